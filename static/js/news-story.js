/* Story page tools, progressive enhancement only: the page works without this file.
   打印 calls the browser's print dialog (print.css gives a clean A4 page).
   朗读 reads the article aloud with the browser's speech synthesis; the button stays
   hidden where the browser has none. */
(function () {
  "use strict";
  var printButton = document.querySelector("[data-print]");
  if (printButton && typeof window.print === "function") {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }

  var readButton = document.querySelector("[data-read-aloud]");
  var article = document.querySelector(".article-body");
  if (!readButton || !article || !("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  var synth = window.speechSynthesis;
  var startLabel = readButton.textContent;
  var stopLabel = readButton.getAttribute("data-label-stop") || startLabel;
  var title = document.querySelector(".story-title");

  function setReading(on) {
    readButton.textContent = on ? stopLabel : startLabel;
    readButton.setAttribute("aria-pressed", on ? "true" : "false");
  }

  function chunks(text) {
    // Some engines stop on long utterances: speak sentence groups one after another.
    var parts = text.replace(/\s+/g, " ").split(/(?<=[。！？!?；;])/);
    var out = [], current = "";
    parts.forEach(function (p) {
      if ((current + p).length > 180 && current) { out.push(current); current = ""; }
      current += p;
    });
    if (current.trim()) { out.push(current); }
    return out;
  }

  readButton.hidden = false;
  readButton.setAttribute("aria-pressed", "false");
  readButton.addEventListener("click", function () {
    if (synth.speaking || synth.pending) {
      synth.cancel();
      setReading(false);
      return;
    }
    var text = (title ? title.textContent + "。" : "") + article.innerText;
    var queue = chunks(text);
    queue.forEach(function (part, index) {
      var utterance = new window.SpeechSynthesisUtterance(part);
      utterance.lang = "zh-CN";
      if (index === queue.length - 1) {
        utterance.onend = function () { setReading(false); };
      }
      synth.speak(utterance);
    });
    setReading(true);
  });
  window.addEventListener("pagehide", function () { synth.cancel(); });
})();
