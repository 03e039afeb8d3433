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

start(document);
document.body.addEventListener("htmx:load", (event) => {
  if (event.target !== document.body) start(event.target);
});
