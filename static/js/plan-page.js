// The plan page, live: others' saved changes appear within a second, who is editing what is shown,
// and a change to something you are editing right now is pointed out instead of overwriting your form.
import { openLiveSocket } from "./live-socket.js";

const root = document.getElementById("plan-page");
if (root) {
  const goals = document.getElementById("goals");
  const notice = document.getElementById("plan-notice");
  let reorderWaiting = false;

  const editingIn = (card) => card?.querySelector("form[data-edit-form], form.app-inline-edit");

  async function fetchGoal(goalId) {
    const response = await fetch(`${root.dataset.goalUrl}${goalId}/`, { headers: { "HX-Request": "true" } });
    if (response.status === 404) return null;
    if (!response.ok) throw new Error(`goal ${goalId}: ${response.status}`);
    const template = document.createElement("template");
    template.innerHTML = (await response.text()).trim();
    return template.content.firstElementChild;
  }

  async function refreshGoal(goalId, payload) {
    const card = document.getElementById(`goal-${goalId}`);
    const form = editingIn(card);
    if (form) {
      // Never swap a form from under someone: tell them, and let the server sort out any clash on save.
      const hint = form.querySelector(".app-stale-notice");
      if (hint) {
        hint.textContent = `${payload.by || "Someone"} just changed this. If you changed the same thing, you will be asked which to keep.`;
        hint.hidden = false;
      }
      card.dataset.stale = "true";
      return;
    }
    const fresh = await fetchGoal(goalId);
    // Look again: two events for a new goal (its goal_add and an action_add, written together by a meeting's
    // decision) fetch it at once, and the first answer may have put the card in meanwhile.
    const current = document.getElementById(`goal-${goalId}`);
    if (!fresh) {
      current?.remove();
      return;
    }
    if (current) current.replaceWith(fresh);
    else {
      document.getElementById("no-goals")?.remove();
      goals.append(fresh);
    }
    htmx.process(fresh);
    document.body.dispatchEvent(new CustomEvent("plan-changed"));
  }

  function refreshOrder() {
    if (goals.querySelector("form.app-inline-edit")) {
      reorderWaiting = true;
      notice.textContent = "Someone changed the order of the plan. It will update when you finish editing.";
      notice.hidden = false;
      return;
    }
    reorderWaiting = false;
    notice.hidden = true;
    htmx.ajax("GET", location.pathname, { target: "#goals", select: "#goals", swap: "outerHTML" });
  }

  const live = openLiveSocket(root, {
    describePerson: (person) => (person.focus ? `${person.name} is editing ‘${person.focus}’` : person.name),
    onEvent(type, payload) {
      if (type === "plan.goal_remove") document.getElementById(`goal-${payload.goal_id}`)?.remove();
      else if (type === "plan.goal_move" || type === "plan.action_move") refreshOrder();
      else if (type === "plan.agree") document.body.dispatchEvent(new CustomEvent("plan-agreed"));
      else if (payload.goal_id) refreshGoal(payload.goal_id, payload);
      if (type.startsWith("plan.action") && type !== "plan.action_move") document.body.dispatchEvent(new CustomEvent("plan-changed"));
    },
  });

  // Tell the others what this person is editing, and stop when the form closes.
  document.body.addEventListener("htmx:afterSettle", () => {
    const form = document.querySelector("form[data-edit-form]");
    live.setFocus(form ? form.dataset.label : null);
    if (!form && reorderWaiting) refreshOrder();
    for (const card of document.querySelectorAll("[data-stale='true']")) {
      if (!editingIn(card)) refreshGoal(card.dataset.goalId, {});
    }
  });
}
