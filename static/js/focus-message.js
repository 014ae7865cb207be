/* A message drawn next to the thing the person acted on (core/targeted.py, or a form's error
   summary) gets the focus when the page opens, so a screen reader reads it out and it is in view.
   The address's #fragment names the message itself: Chromium focuses it without this file, other
   browsers at least scroll to it; this focuses it everywhere. Progressive enhancement only. */
(function () {
  "use strict";
  function focusMessage() {
    var named = window.location.hash ? document.getElementById(decodeURIComponent(window.location.hash.slice(1))) : null;
    var message = named && named.hasAttribute("data-focus-message") ? named : document.querySelector("[data-focus-message]");
    if (!message || document.activeElement === message) {
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
