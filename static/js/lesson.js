/* The lesson outline starts folded on a phone; it stays open on wider screens. */
if (window.matchMedia("(max-width: 56rem)").matches) {
  document.querySelectorAll("details.outline-details").forEach(function (details) {
    details.open = false;
  });
}
