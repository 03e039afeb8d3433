// One live socket per open client page (the record or its plan): it delivers that client's events and
// shows who else is on the same page.
//
// The socket only rings the bell ("note 42 was added"); pages fetch what changed over HTTP, so every
// access rule is the server's. After a reconnect (or the laptop lid opening) the page tells the server
// the last event it saw, and the server sends whatever came after. The ping every 25 s also makes the server
// look at the outbox, so an event whose doorbell was lost arrives within one ping (docs/architecture.md,
// "Delivery guarantees"); a page too far behind is told to reload instead of being sent every event.

export function openLiveSocket(root, { onEvent, describePerson = (person) => person.name }) {
  const status = document.getElementById("live-status");
  const presence = document.getElementById("presence");
  const presenceList = document.getElementById("presence-list");
  let seq = Number(root.dataset.seq || 0);
  let socket = null;
  let retry = 0;
  let pinger = null;
  let closedForGood = false;
  let focus = null;

  function setStatus(text, state) {
    if (!status) return;
    status.textContent = text;
    status.className = `app-live-status app-live-status--${state}`;
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const page = root.dataset.livePage || "record";
    socket = new WebSocket(`${scheme}://${location.host}${root.dataset.liveSocket}?after=${seq}&page=${page}`);
    socket.addEventListener("open", () => {
      retry = 0;
      setStatus("Live", "live");
      if (focus) send({ type: "focus", label: focus });
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
      // What this person may see changed, or the page is too far behind to replay: start afresh.
      closedForGood = true;
      location.reload();
    } else if (message.type === "revoked") {
      closedForGood = true;
      (document.getElementById(root.id) || root).remove();
      document.getElementById("revoked-message").hidden = false;
      setStatus("Not live", "offline");
    }
  }

  function showPresence(people) {
    if (!presenceList) return;
    presenceList.replaceChildren(
      ...people.map((person) => {
        const item = document.createElement("li");
        item.className = "app-presence__item";
        item.textContent = describePerson(person);
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
  return {
    // Tell the others what this person is working on ("Priya is editing 'Keep our flat'"), or null.
    setFocus(label) {
      focus = label;
      send({ type: "focus", label });
    },
  };
}
