// The client record page, live: new notes appear, notes someone may no longer see disappear, and the
// circle, consent, join-request and "who has looked" panels refresh when they change.
import { openLiveSocket } from "./live-socket.js";

const root = document.getElementById("client-record");
if (root) {
  const notesList = document.getElementById("notes-list");
  const params = new URLSearchParams(location.search);
  const onFirstPage = !params.get("page") || params.get("page") === "1";
  // Which panel each kind of change refreshes (htmx listens for these events on <body>).
  const panels = {
    circle: "circle-changed",
    join_request: "join-requests-changed",
    consent: "consent-changed",
    emergency: "emergency-changed",
    plan: "truth-changed",
    board: "truth-changed",
    referral: "referral-changed",
    handover: "handover-changed",
    meeting: "truth-changed", // put on a meeting's agenda, or it opens or ends: "Next review or meeting"
  };

  async function fetchNote(noteId) {
    const response = await fetch(`${root.dataset.noteUrl}${noteId}/`, { headers: { "HX-Request": "true" } });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`note ${noteId}: ${response.status}`);
    const template = document.createElement("template");
    template.innerHTML = (await response.text()).trim();
    return template.content.firstElementChild;
  }

  function insertNote(note, noteId) {
    document.getElementById("no-notes")?.remove();
    // Keep newest first even if two notes arrive out of order.
    const older = [...notesList.querySelectorAll("[data-note-id]")].find((el) => Number(el.dataset.noteId) < noteId);
    notesList.insertBefore(note, older || null);
  }

  async function addNote(noteId) {
    if (document.getElementById(`note-${noteId}`)) return; // our own note, already shown
    const note = await fetchNote(noteId);
    if (note && !document.getElementById(`note-${noteId}`)) insertNote(note, noteId);
  }

  async function refreshNote(noteId) {
    const shown = document.getElementById(`note-${noteId}`);
    const note = await fetchNote(noteId);
    if (shown && !note) shown.remove(); // no longer ours to see
    else if (shown && note) shown.replaceWith(note);
    else if (note && onFirstPage) insertNote(note, noteId);
  }

  openLiveSocket(root, {
    // Someone on an assessment page of this client: "Aisha is completing PHQ-9".
    describePerson: (person) => (person.focus?.startsWith("completing ") ? `${person.name} is ${person.focus}` : person.name),
    onEvent(type, payload) {
      const panel = panels[type.split(".")[0]];
      if (type === "note.create" && onFirstPage) addNote(payload.note_id);
      else if (type === "note.visibility_widen" || type === "note.visibility_narrow") refreshNote(payload.note_id);
      else if (type === "assessment.complete" || type === "assessment.amend") {
        document.body.dispatchEvent(new CustomEvent("assessments-changed"));
      } else if (type === "client.stage_change" || type === "client.reopen") {
        document.body.dispatchEvent(new CustomEvent("stage-changed"));
      } else if (panel) document.body.dispatchEvent(new CustomEvent(panel));
      if (type === "circle.member_add" || type === "circle.member_remove" || type === "circle.lead_change"
          || type === "client.stage_change" || type === "client.reopen" || type === "assessment.complete"
          || type === "assessment.amend") {
        document.body.dispatchEvent(new CustomEvent("truth-changed")); // "What is true now" shows them too
      }
    },
  });
}
