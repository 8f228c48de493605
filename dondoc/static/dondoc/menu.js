// The menu on a phone: collapsed behind one button, so the page starts on the first screen.
// Without this script the menu simply stays open.
document.addEventListener("DOMContentLoaded", () => {
  const bar = document.querySelector(".topbar");
  const toggle = bar && bar.querySelector(".menu-toggle");
  if (!toggle) return;
  bar.classList.add("collapsible");
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const open = bar.classList.toggle("open");
    toggle.setAttribute("aria-expanded", String(open));
  });
});
