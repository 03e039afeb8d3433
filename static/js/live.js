// The live client page: one socket per open page, delivering that client's events and who else is here.
//
// The socket only rings the bell ("note 42 was added"); the page then fetches what changed over HTTP, so
// every access rule is the server's. After a reconnect (or the laptop lid opening) the page tells the
// server the last event it saw, and the server sends whatever came after.

const root = document.getElementById("client-record");
if (root) startLive(root);

function startLive(root) {
  const status = document.getElementById("live-status");
  const presence = document.getElementById("presence");
  const presenceList = document.getElementById("presence-list");
  const notesList = document.getElementById("notes-list");
  const onFirstPage = !new URLSearchParams(location.search).get("page") || new URLSearchParams(location.search).get("page") === "1";
  let seq = Number(root.dataset.seq || 0);
  let socket = null;
  let retry = 0;
  let pinger = null;
  let closedForGood = false;

  function setStatus(text, state) {
    status.textContent = text;
    status.className = `app-live-status app-live-status--${state}`;
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    socket = new WebSocket(`${scheme}://${location.host}${root.dataset.liveSocket}?after=${seq}`);
    socket.addEventListener("open", () => {
      retry = 0;
      setStatus("Live", "live");
      clearInterval(pinger);
      pinger = setInterval(() => send({ type: "ping" }), 25000);
    });
    socket.addEventListener("message", (message) => handle(JSON.parse(message.data)));
    socket.addEventListener("close", (event) => {
      clearInterval(pinger);
      if (closedForGood || event.code === 4403 || event.code === 4401) {
        if (event.code === 4401) location.reload(); // signed out elsewhere: the sign-in page will show
        return;
      }
      setStatus("Reconnecting…", "reconnecting");
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, 500 * 2 ** (retry - 1) + Math.random() * 300);
    });
  }

  function send(message) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
  }

  function handle(message) {
    if (message.type === "hello") {
      seq = Math.max(seq, message.seq);
      showPresence(message.presence);
    } else if (message.type === "event") {
      seq = Math.max(seq, message.seq);
      onEvent(message.event, message.payload);
    } else if (message.type === "presence") {
      showPresence(message.people);
    } else if (message.type === "reload") {
      closedForGood = true;
      location.reload();
    } else if (message.type === "revoked") {
      closedForGood = true;
      document.getElementById("client-record").remove();
      document.getElementById("revoked-message").hidden = false;
      setStatus("Not live", "offline");
    }
  }

  // Which panel of the page each kind of change refreshes (htmx listens for these on <body>).
  const panels = { circle: "circle-changed", join_request: "join-requests-changed", consent: "consent-changed", emergency: "emergency-changed" };

  function onEvent(type, payload) {
    if (type === "note.created" && onFirstPage) {
      addNote(payload.note_id);
    } else if (type === "note.visibility_changed") {
      refreshNote(payload.note_id);
    } else if (panels[type.split(".")[0]]) {
      document.body.dispatchEvent(new CustomEvent(panels[type.split(".")[0]]));
    }
  }

  async function fetchNote(noteId) {
    const response = await fetch(`${root.dataset.noteUrl}${noteId}/`, { headers: { "HX-Request": "true" } });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`note ${noteId}: ${response.status}`);
    const template = document.createElement("template");
    template.innerHTML = (await response.text()).trim();
    return template.content.firstElementChild;
  }

  async function refreshNote(noteId) {
    const shown = document.getElementById(`note-${noteId}`);
    const note = await fetchNote(noteId);
    if (shown && !note) shown.remove(); // no longer ours to see
    else if (shown && note) shown.replaceWith(note);
    else if (note && onFirstPage) insertNote(note, noteId);
  }

  async function addNote(noteId) {
    if (document.getElementById(`note-${noteId}`)) return; // our own note, already shown
    const note = await fetchNote(noteId);
    if (note && !document.getElementById(`note-${noteId}`)) insertNote(note, noteId);
  }

  function insertNote(note, noteId) {
    document.getElementById("no-notes")?.remove();
    // Keep newest first even if two notes arrive out of order.
    const older = [...notesList.querySelectorAll("[data-note-id]")].find((el) => Number(el.dataset.noteId) < noteId);
    notesList.insertBefore(note, older || null);
  }

  function showPresence(people) {
    presenceList.replaceChildren(
      ...people.map((person) => {
        const item = document.createElement("li");
        item.className = "app-presence__item";
        item.textContent = person.name;
        return item;
      }),
    );
    presence.hidden = people.length === 0;
  }

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState !== "visible") return;
    if (socket && socket.readyState === WebSocket.OPEN) send({ type: "resume", after: seq });
    else if (!socket || socket.readyState === WebSocket.CLOSED) connect();
  });
  window.addEventListener("online", () => send({ type: "resume", after: seq }));

  connect();
}
