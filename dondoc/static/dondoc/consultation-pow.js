// The public comment form's proof of work: find a nonce whose SHA-256 with the server's
// challenge starts with `data-digits` zero hex digits, then submit (dondoc/consultation/intake.py).
(function () {
  const form = document.getElementById("public-comment");
  if (!form) return;
  const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, "0")).join("");
  form.addEventListener("submit", async (event) => {
    if (form.dataset.solved) return;
    event.preventDefault();
    const zeros = "0".repeat(Number(form.dataset.digits || 4));
    const challenge = form.elements.challenge.value;
    const encoder = new TextEncoder();
    for (let nonce = 0; ; nonce++) {
      const digest = await crypto.subtle.digest("SHA-256", encoder.encode(`${challenge}:${nonce}`));
      if (hex(digest).startsWith(zeros)) {
        form.elements.nonce.value = String(nonce);
        break;
      }
    }
    form.dataset.solved = "1";
    // The form was already checked by the browser before this submit event; `submit()` sends
    // it as it is. (`requestSubmit()` from here sent nothing in Chromium: found by
    // tests/browser/test_consultation_flow.py.)
    form.submit();
  });
})();
