// A draft assessment: it saves itself (htmx posts the questions to the draft endpoint as the author types),
// and the client page's "Also here" says what the author is doing ("Aisha is completing PHQ-9").
import { openLiveSocket } from "./live-socket.js";

const root = document.getElementById("assessment-draft");
if (root) {
  const live = openLiveSocket(root, { onEvent() {} });
  live.setFocus(root.dataset.focus);
  // Whatever is typed between the last autosave and leaving the page is sent as the page goes.
  window.addEventListener("pagehide", () => {
    const form = document.getElementById("assessment-form");
    const questions = document.getElementById("assessment-questions");
    if (form && questions) navigator.sendBeacon(questions.getAttribute("hx-post"), new FormData(form));
  });
}
