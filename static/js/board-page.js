// The board, live: others' cards appear, change, move and close within a second; who is editing what is
// shown ("Tom is editing a worry"); a change to a card you are editing is pointed out, never swapped in
// under your hands (the server settles any clash when you save).
import { openLiveSocket } from "./live-socket.js";

const root = document.getElementById("board-page");
if (root) {
  const editingIn = (card) => card?.querySelector("form[data-edit-form]");

  async function fetchCard(cardId) {
    const response = await fetch(`${root.dataset.cardUrl}${cardId}/`, { headers: { "HX-Request": "true" } });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`card ${cardId}: ${response.status}`);
    const template = document.createElement("template");
    template.innerHTML = (await response.text()).trim();
    return template.content.firstElementChild;
  }

  function countCards() {
    for (const list of document.querySelectorAll(".app-board__cards")) {
      const count = document.getElementById(`column-${list.dataset.column}-count`);
      if (count) count.textContent = `(${list.querySelectorAll(":scope > .app-card").length})`;
    }
  }

  async function refreshCard(cardId, payload, { closed = false } = {}) {
    const shown = document.getElementById(`card-${cardId}`);
    if (editingIn(shown)) {
      const hint = shown.querySelector(".app-stale-notice");
      if (hint) {
        hint.textContent = "Someone just changed this card. If you changed the same thing, you will be asked which to keep.";
        hint.hidden = false;
      }
      shown.dataset.stale = "true";
      return;
    }
    const fresh = closed ? null : await fetchCard(cardId);
    if (!fresh || !fresh.matches(".app-card")) {
      shown?.remove();
      countCards();
      return;
    }
    const current = document.getElementById(`card-${cardId}`); // our own new card may have arrived meanwhile
    const list = document.getElementById(`cards-${fresh.dataset.column}`);
    if (current && current !== shown && editingIn(current)) return;
    if (current && current !== shown) current.remove();
    if (shown && shown.parentElement === list) shown.replaceWith(fresh);
    else {
      shown?.remove();
      list.append(fresh);
    }
    htmx.process(fresh);
    countCards();
  }

  const live = openLiveSocket(root, {
    describePerson: (person) => (person.focus ? `${person.name} is editing ${person.focus}` : person.name),
    onEvent(type, payload) {
      if (type === "board.scale_add") document.body.dispatchEvent(new CustomEvent("scales-changed"));
      else if (type === "board.card_close") refreshCard(payload.card_id, payload, { closed: true });
      else if (type.startsWith("board.card_")) refreshCard(payload.card_id, payload);
    },
  });

  // Tell the others what this person is editing ("a worry"), and stop when the form closes.
  document.body.addEventListener("htmx:afterSettle", () => {
    const form = document.querySelector("form[data-edit-form]");
    live.setFocus(form ? form.dataset.label : null);
    for (const card of document.querySelectorAll(".app-card[data-stale='true']")) {
      if (!editingIn(card)) refreshCard(card.dataset.cardId, {});
    }
    // Our own new card can arrive twice (the form's answer and the live event): keep the first.
    const seen = new Set();
    for (const card of document.querySelectorAll(".app-card")) {
      if (seen.has(card.id)) card.remove();
      seen.add(card.id);
    }
    countCards();
  });
}
