// Small behaviours of the pages, kept out of the HTML so the Content-Security-Policy can forbid
// inline scripts (script-src 'self').
document.addEventListener("click", (e) => {
  const b = e.target instanceof Element ? e.target.closest("[data-print]") : null;
  if (b) {
    e.preventDefault();
    window.print();
  }
});
