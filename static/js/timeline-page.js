// The timeline, live: when anything happens to this client that this person may hear of (a note, the
// plan, the board, the circle…), the list is read again from the server, where the access rules apply.
// Several changes in a burst make one read.
import { openLiveSocket } from "./live-socket.js";

const root = document.getElementById("timeline-page");
if (root) {
  let timer = null;
  openLiveSocket(root, {
    onEvent() {
      clearTimeout(timer);
      timer = setTimeout(() => document.body.dispatchEvent(new CustomEvent("timeline-changed")), 300);
    },
  });
}
