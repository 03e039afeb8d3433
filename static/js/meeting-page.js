// The live meeting: everyone's page follows the chair to the current item (unless they chose to look at
// another, with a link back), a timer shows the item's slot, presence shows who is in the meeting, and
// minutes, decisions and attendance refresh as they change. A page being typed in is never swapped from
// under the person: they are told, and a clash is settled when they save (keep theirs, keep mine, merge).
import { openLiveSocket } from "./live-socket.js";

const root = document.getElementById("meeting-page");
if (root) {
  const panel = document.getElementById("item-panel");
  let timer = null;

  const shownItem = () => panel.querySelector("[data-item]")?.dataset.item || "";
  const following = () => !new URLSearchParams(location.search).get("item") || shownItem() === root.dataset.currentItem;
  const typing = () => {
    const form = panel.querySelector("form[data-edit-form]");
    if (!form) return null;
    const box = form.querySelector("textarea");
    return box && box.value !== box.defaultValue ? form : null;
  };

  async function showItem(itemId) {
    if (!itemId) return;
    const response = await fetch(`${root.dataset.itemUrl}${itemId}/`, { headers: { "HX-Request": "true" } });
    if (!response.ok) return;
    panel.innerHTML = await response.text();
    startTimer();
  }

  // The chair is on an item that is not this person's to read: the socket names no item, nor does the page.
  function showElsewhere() {
    clearInterval(timer);
    const note = document.createElement("p");
    note.className = "govuk-inset-text";
    note.id = "meeting-elsewhere";
    note.textContent = "The meeting is on another client's item. Your page will follow the chair when it moves on.";
    panel.replaceChildren(note);
  }

  function markAgenda(itemId) {
    for (const entry of document.querySelectorAll("#agenda > li")) {
      const current = entry.id === `agenda-${itemId}`;
      entry.classList.toggle("app-agenda__current", current);
      entry.querySelector(".app-now")?.remove();
      if (current) {
        const tag = document.createElement("strong");
        tag.className = "govuk-tag govuk-tag--green app-now";
        tag.textContent = "Now";
        entry.querySelector("a")?.after(" ", tag);
      }
    }
  }

  function startTimer() {
    clearInterval(timer);
    const section = panel.querySelector("[data-started-at]");
    const clock = document.getElementById("item-timer");
    if (!section || !clock || !section.dataset.startedAt) return;
    const ends = new Date(section.dataset.startedAt).getTime() + Number(section.dataset.slot) * 60000;
    const tick = () => {
      const left = Math.round((ends - Date.now()) / 1000);
      const minutes = Math.floor(Math.abs(left) / 60);
      const seconds = String(Math.abs(left) % 60).padStart(2, "0");
      clock.textContent = left >= 0 ? `${minutes}:${seconds} left for this item` : `${minutes}:${seconds} over time`;
      clock.classList.toggle("app-timer--over", left < 0);
    };
    tick();
    timer = setInterval(tick, 1000);
  }

  function refreshShown(itemId, payload) {
    if (String(itemId) !== shownItem()) return;
    const form = typing();
    if (form) {
      const hint = form.querySelector(".app-stale-notice");
      if (hint) {
        hint.textContent = `${payload.by || "Someone"} just changed the minutes. If you changed the same text, you will be asked which to keep when you save.`;
        hint.hidden = false;
      }
      return;
    }
    showItem(itemId);
  }

  openLiveSocket(root, {
    onEvent(event, payload) {
      if (event === "meeting.item_move") {
        const wasFollowing = following();
        root.dataset.currentItem = payload.item_id || "";
        markAgenda(payload.item_id);
        if (wasFollowing && !typing()) {
          if (new URLSearchParams(location.search).get("item")) history.replaceState(null, "", location.pathname);
          if (payload.elsewhere) showElsewhere();
          else showItem(payload.item_id);
        }
      } else if (event === "meeting.minutes_update" || event === "meeting.amend") {
        if (payload.by !== root.dataset.user) refreshShown(payload.item_id, payload);
      } else if (event === "meeting.decision" || event === "meeting.item_close" || event === "meeting.contribution_add") {
        refreshShown(payload.item_id, payload);
      } else if (event === "meeting.open" || event === "meeting.end" || event === "meeting.attendance" || event === "meeting.agenda_add" || event === "meeting.answer") {
        if (!typing()) location.reload();
      }
    },
  });
  startTimer();
}
