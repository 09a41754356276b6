// Case pages: small enhancements; every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // After a refused action, move focus to the list of errors so it is read out first (the first one
  // when several forms of the page have errors: each summary has an id of its own).
  const summary = document.querySelector(".error-summary[tabindex]");
  if (summary) { summary.focus(); }
  // The exemption ground matters only for an exemption: show it only then (it stays in the form).
  for (const select of document.querySelectorAll("select[data-payment-method]")) {
    const ground = document.getElementById(select.dataset.paymentMethod);
    if (!ground) { continue; }
    const sync = () => { ground.hidden = select.value !== "exemption"; };
    select.addEventListener("change", sync);
    sync();
  }
});
