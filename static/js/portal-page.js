// The portal, live: when the team changes something shared with the client, the page shows it.
// Only things shared with the client ever reach this socket (the server filters them).
import { openLiveSocket } from "./live-socket.js";

const root = document.getElementById("portal-content");
if (root) {
  openLiveSocket(root, {
    onEvent() {
      // Anything that arrives here is about what this page shows: fetch it again, in place.
      if (document.activeElement?.tagName === "TEXTAREA" && document.activeElement.value) return; // still typing
      htmx.ajax("GET", location.pathname + location.search, { target: "#portal-content", select: "#portal-content", swap: "outerHTML" });
    },
  });
}
