// Check-in at the entrance: the camera reads a badge's QR code (jsQR, vendored), each scan is
// put in a queue kept in localStorage and sent; a scan made offline stays queued and is sent
// when the network is back. The server counts a delegate once per session, so a scan sent
// twice (a reply lost on the way) is harmless.
(function () {
  "use strict";
  const root = document.getElementById("checkin");
  if (!root) return;
  const KEY = "dondoc.checkin.queue." + root.dataset.scanUrl;
  const $ = (id) => document.getElementById(id);
  const load = () => JSON.parse(localStorage.getItem(KEY) || "[]");
  const save = (queue) => { localStorage.setItem(KEY, JSON.stringify(queue)); $("queued").textContent = queue.length; };
  const show = (text, ok) => { $("result").textContent = text; $("result").className = "panel " + (ok ? "success" : "error"); };
  let sending = false, lastToken = "", lastAt = 0;

  async function send(item) {
    const response = await fetch(root.dataset.scanUrl, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf },
      body: JSON.stringify(item),
    });
    const body = await response.json();
    return { ok: response.ok, body };
  }

  async function flush() {
    if (sending) return;
    sending = true;
    try {
      let queue = load();
      while (queue.length) {
        let answer;
        try { answer = await send(queue[0]); } catch (offline) { show(root.dataset.msgQueued, false); break; }
        queue = load().slice(1);
        save(queue);
        if (answer.ok) {
          const b = answer.body;
          show((b.created ? root.dataset.msgNew : root.dataset.msgAgain) + ": " + b.name + " — " + b.delegation, true);
          $("present").textContent = b.present; $("expected").textContent = b.expected; $("quorum").textContent = b.quorum;
        } else {
          show(root.dataset.msgError + ": " + (answer.body.error || ""), false);
        }
      }
    } finally { sending = false; }
  }

  function scanned(token) {
    const now = Date.now();
    if (token === lastToken && now - lastAt < 3000) return; // the same badge still in front of the camera
    lastToken = token; lastAt = now;
    const queue = load();
    queue.push({ token: token, session: $("session").value });
    save(queue);
    flush();
  }

  $("manual").addEventListener("submit", (event) => { event.preventDefault(); const t = $("token").value.trim(); if (t) { scanned(t); $("token").value = ""; } });
  window.addEventListener("online", flush);
  setInterval(flush, 5000);
  save(load());
  flush();

  const video = $("camera"), canvas = $("frame"), context = canvas.getContext("2d", { willReadFrequently: true });
  function tick() {
    if (video.readyState === video.HAVE_ENOUGH_DATA && window.jsQR) {
      canvas.width = video.videoWidth; canvas.height = video.videoHeight;
      context.drawImage(video, 0, 0, canvas.width, canvas.height);
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      const code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
      if (code && code.data) scanned(code.data);
    }
    requestAnimationFrame(tick);
  }
  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } })
      .then((stream) => { video.srcObject = stream; video.play(); requestAnimationFrame(tick); })
      .catch(() => show(root.dataset.msgError + ": camera", false));
  }
})();
