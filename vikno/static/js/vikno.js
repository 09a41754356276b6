// Small progressive enhancements; every page works without this file.
document.addEventListener("keydown", (event) => {
  // Ctrl+/ focuses the first search box (a modifier, so no single-key shortcut: WCAG 2.1.4).
  if (event.key === "/" && (event.ctrlKey || event.metaKey)) {
    const box = document.querySelector("input[type=search]");
    if (box) { event.preventDefault(); box.focus(); }
  }
});
