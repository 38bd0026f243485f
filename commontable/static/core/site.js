// After a refused form, move focus to its error summary: keyboard and screen-reader users land on
// what to fix (each item links to its field) rather than at the top of the page.
document.addEventListener("DOMContentLoaded", () => {
  const summary = document.querySelector(".error-summary[tabindex='-1']");
  if (summary) {
    summary.focus();
  }
});
