// Mentorship area: the print button of the agreement (the page also prints from the browser menu).
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
