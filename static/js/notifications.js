// This person's notifications, live, on every page: "Priya approved your request to join…".
// The same socket closes when they sign out anywhere, and the page then goes to the sign-in page.

const area = document.getElementById("live-notifications");
const count = document.getElementById("notification-count");
let retry = 0;

function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const socket = new WebSocket(`${scheme}://${location.host}/ws/me/`);
  socket.addEventListener("open", () => { retry = 0; });
  socket.addEventListener("message", (message) => {
    const data = JSON.parse(message.data);
    if (data.type === "notification") {
      show(data.notification);
      joinRequestDecided(data.notification);
    }
  });
  socket.addEventListener("close", (event) => {
    if (event.code === 4401) {
      location.reload(); // signed out: the sign-in page will show
      return;
    }
    retry = Math.min(retry + 1, 6);
    setTimeout(connect, 1000 * 2 ** (retry - 1));
  });
}

function show(notification) {
  const banner = document.createElement("div");
  banner.className = "govuk-notification-banner";
  banner.setAttribute("role", "region");
  banner.setAttribute("aria-label", "Notification");
  banner.dataset.notificationId = notification.id;
  const header = document.createElement("div");
  header.className = "govuk-notification-banner__header";
  const title = document.createElement("h2");
  title.className = "govuk-notification-banner__title";
  title.textContent = "Just now";
  header.append(title);
  const content = document.createElement("div");
  content.className = "govuk-notification-banner__content";
  const text = document.createElement("p");
  text.className = "govuk-notification-banner__heading";
  if (notification.url) {
    const link = document.createElement("a");
    link.className = "govuk-notification-banner__link";
    link.href = notification.url;
    link.textContent = notification.text;
    text.append(link);
  } else {
    text.textContent = notification.text;
  }
  content.append(text);
  banner.append(header, content);
  area.prepend(banner);
  if (count) {
    const tag = count.querySelector(".govuk-tag");
    tag.textContent = String(Number(tag.textContent || 0) + 1);
    count.hidden = false;
  }
}

// On the page of a circle this person asked to join, the lead's decision replaces "the lead will decide"
// at once: approved, the record opens; declined, the page says so (in the lead's words, if any).
function joinRequestDecided(notification) {
  const waiting = document.getElementById("my-join-request");
  if (!waiting || !notification.kind.startsWith("join_request.")) return;
  if (new URL(notification.url, location.href).pathname !== waiting.dataset.clientUrl) return;
  waiting.textContent = notification.text + " ";
  if (notification.kind === "join_request.approved") {
    const link = document.createElement("a");
    link.className = "govuk-link";
    link.href = waiting.dataset.clientUrl;
    link.textContent = "Open the record";
    waiting.append(link);
  }
}

if (area) connect();
