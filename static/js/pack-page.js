// A client's conference pack, live: when a note is put in or taken out of the pack, or a report is added,
// the notes and reports refresh in place. The meeting's socket tells this page only about its own item,
// and about a note only if this reader may read it; the page fetches the pack again, where the rules apply
// (and the read is audited) once more.
import { openLiveSocket } from "./live-socket.js";

const root = document.getElementById("pack");
if (root) {
  const sections = ["pack-notes", "pack-contributions"];

  async function refresh() {
    const response = await fetch(location.pathname, { headers: { "HX-Request": "true" } });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    for (const id of sections) {
      const now = document.getElementById(id);
      const next = fresh.getElementById(id);
      if (now && next) now.replaceWith(next);
    }
  }

  openLiveSocket(root, {
    onEvent(event, payload) {
      if (String(payload.item_id) !== root.dataset.item) return;
      if (event === "meeting.pack_note_add" || event === "meeting.pack_note_remove" || event === "meeting.contribution_add") {
        refresh();
      }
    },
  });
}
