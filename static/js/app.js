// Starts the GOV.UK and MOJ components, on the page and on anything htmx swaps in later.
import { initAll as govukInitAll } from "/static/vendor/govuk-frontend/govuk-frontend.min.js";
import { initAll as mojInitAll } from "/static/vendor/moj-frontend/moj-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}

function start(scope) {
  try {
    govukInitAll({ scope });
    mojInitAll(scope);
  } catch (error) {
    console.warn("Could not start page components", error);
  }
}

// Radios that reveal more questions (data-reveals="<id>"). GOV.UK Frontend's own reveal marks the radio
// aria-expanded, which a radio may not carry (axe: aria-allowed-attr, critical); this reveals the same way
// without it. The revealed questions follow their radio in the page, so screen readers meet them next.
function syncReveals(scope) {
  scope.querySelectorAll("input[type=radio][data-reveals]").forEach((radio) => {
    document.getElementById(radio.dataset.reveals)?.classList.toggle("govuk-radios__conditional--hidden", !radio.checked);
  });
}

document.addEventListener("change", (event) => {
  const radio = event.target;
  if (radio instanceof HTMLInputElement && radio.type === "radio" && radio.form) syncReveals(radio.form);
});

start(document);
syncReveals(document);
document.body.addEventListener("htmx:load", (event) => {
  if (event.target !== document.body) {
    start(event.target);
    syncReveals(event.target);
  }
});
