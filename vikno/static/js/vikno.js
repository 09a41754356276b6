// Small progressive enhancements; every page works without this file.
document.addEventListener("keydown", (event) => {
  // "/" focuses the first search box, as in most keyboard-driven tools.
  if (event.key === "/" && !["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName)) {
    const box = document.querySelector("input[type=search]");
    if (box) { event.preventDefault(); box.focus(); }
  }
});
