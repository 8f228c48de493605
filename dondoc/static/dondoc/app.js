// dondoc's own behaviour, from a static file: the Content-Security-Policy forbids inline script.
"use strict";

// Filter forms (data-refresh-on-change="<id of the search box>"): a change in any field but
// the search box (which refreshes as one types) asks htmx to refresh the list at once.
document.addEventListener("change", (event) => {
  const field = event.target;
  const form = field instanceof Element ? field.closest("form[data-refresh-on-change]") : null;
  if (form && field.id !== form.dataset.refreshOnChange && window.htmx) {
    window.htmx.trigger(form, "refresh");
  }
});
