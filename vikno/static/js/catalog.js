// Catalog pages: small enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Print buttons are hidden until this script can make them work.
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
  // After a refused save, move focus to the list of errors so it is read out first.
  const summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
});
