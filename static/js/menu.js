/* The phone 菜单 is a <details> and works without this file. With it, Escape closes the open
   menu and puts focus back on its button, and a tap outside the menu closes it. */
(function () {
  "use strict";
  var menu = document.querySelector(".nav-menu");
  if (!menu) { return; }
  var button = menu.querySelector("summary");

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      button.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (menu.open && !menu.contains(event.target)) { menu.open = false; }
  });
})();
