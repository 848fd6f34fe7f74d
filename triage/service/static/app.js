// Severe content stays blurred until a reviewer clicks it (reviewer wellbeing). No inline scripts (CSP).
document.addEventListener("click", function (event) {
  var target = event.target.closest(".blurred");
  if (target) {
    target.classList.remove("blurred");
  }
});
document.addEventListener("keydown", function (event) {
  if ((event.key === "Enter" || event.key === " ") && event.target.classList.contains("blurred")) {
    event.target.classList.remove("blurred");
    event.preventDefault();
  }
});
