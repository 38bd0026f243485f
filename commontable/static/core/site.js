// After a refused form, move focus to its error summary: keyboard and screen-reader users land on
// what to fix (each item links to its field) rather than at the top of the page.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary[tabindex='-1']");
  if (summary) {
    summary.focus();
  }
});

// A filtered list's results, replaced as people filter or turn pages: say how many were found in
// one polite sentence (not the whole table again), and when a page link was pressed, keep focus
// in the results rather than losing it to the top of the page.
document.addEventListener("htmx:afterSwap", (event) => {
  const results = event.detail.target;
  if (!results || results.id !== "results") {
    return;
  }
  const live = document.getElementById("live-status");
  const count = results.querySelector("strong");
  if (live && count) {
    live.textContent = count.textContent.trim();
  }
  const trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
  if (trigger && !document.body.contains(trigger)) {
    results.focus();
  }
});
