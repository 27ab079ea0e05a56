// What Matters review app: the only script (no inline scripts: see the Content-Security-Policy).
// Starts the NHS.UK frontend components, keeps the queue up to date, and wires the print button.
import { initAll } from "/nhsuk/nhsuk-frontend.min.js";

document.body.classList.add("js-enabled", "nhsuk-frontend-supported");
initAll();

const POLL_MS = 5000;

function watchQueue(region) {
  const announcer = document.getElementById("queue-announcer");
  const base = region.dataset.src;
  async function poll() {
    try {
      const sep = base.includes("?") ? "&" : "?";
      const reply = await fetch(`${base}${sep}since=${encodeURIComponent(region.dataset.version)}`, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
      if (reply.status === 401) {
        window.location.assign("/login?expired=1");
        return;
      }
      if (reply.status === 200) {
        const before = region.querySelectorAll("tbody tr").length;
        region.innerHTML = await reply.text(); // server-rendered with autoescape
        region.dataset.version = reply.headers.get("X-Queue-Version") || "";
        const after = region.querySelectorAll("tbody tr").length;
        if (announcer) {
          announcer.textContent = after > before ? `Queue updated: ${after - before} new item${after - before === 1 ? "" : "s"}.` : "Queue updated.";
        }
      }
    } catch (error) {
      // Offline for a moment: try again on the next tick.
    }
    window.setTimeout(poll, POLL_MS);
  }
  window.setTimeout(poll, POLL_MS);
}

const region = document.getElementById("queue-live");
if (region) watchQueue(region);

for (const button of document.querySelectorAll("[data-print]")) {
  button.addEventListener("click", () => window.print());
}

const problem = document.querySelector(".nhsuk-error-summary");
if (problem) problem.focus();
