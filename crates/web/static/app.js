// Small behaviours of the pages, kept out of the HTML so the Content-Security-Policy can forbid
// inline scripts (script-src 'self').
document.addEventListener("click", (e) => {
  const b = e.target instanceof Element ? e.target.closest("[data-print]") : null;
  if (b) {
    e.preventDefault();
    window.print();
  }
});

// An irreversible action asks first: a form with data-confirm submits only when the user agrees.
document.addEventListener("submit", (e) => {
  const form = e.target instanceof HTMLFormElement ? e.target : null;
  const question = form?.dataset.confirm;
  if (question && !window.confirm(question)) {
    e.preventDefault();
  }
});
