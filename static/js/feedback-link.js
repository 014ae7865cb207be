/* The resident's private page, progressive enhancement only: the link is on the page as text either way.
   复制链接 copies it (or says how to copy it by hand); 打印本页 calls the browser's print dialog
   (print.css prints the link in full and leaves the forms out). */
(function () {
  "use strict";
  var status = document.querySelector("[data-tool-status]");

  function say(message) {
    if (status) { status.textContent = message; }
  }

  var copyButton = document.querySelector("[data-copy]");
  if (copyButton && navigator.clipboard && typeof navigator.clipboard.writeText === "function") {
    copyButton.hidden = false;
    copyButton.addEventListener("click", function () {
      navigator.clipboard.writeText(copyButton.getAttribute("data-copy")).then(function () {
        say(copyButton.getAttribute("data-msg-copied"));
      }, function () {
        say(copyButton.getAttribute("data-msg-manual"));
      });
    });
  }

  var printButton = document.querySelector("[data-print]");
  if (printButton && typeof window.print === "function") {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }
})();
