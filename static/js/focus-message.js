/* A message drawn next to the thing the person acted on (core/targeted.py, or a form's error
   summary) gets the focus when the page opens, so a screen reader reads it and it is in view.
   Progressive enhancement only: without this file the address's #anchor still scrolls the
   element with its message into view. */
(function () {
  "use strict";
  function focusMessage() {
    var message = document.querySelector("[data-focus-message]");
    if (!message) {
      return;
    }
    if (!message.hasAttribute("tabindex")) {
      message.setAttribute("tabindex", "-1");
    }
    message.focus({ preventScroll: true });
    var box = message.getBoundingClientRect();
    var viewport = window.innerHeight || document.documentElement.clientHeight;
    if (box.top < 0 || box.bottom > viewport) {
      message.scrollIntoView({ block: box.height > viewport ? "start" : "center" });
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusMessage);
  } else {
    focusMessage();
  }
})();
