/* Story page tools, progressive enhancement only: the page works without this file.
   打印 calls the browser's print dialog (print.css gives a clean A4 page).
   分享 hands the address to the phone's share sheet, or copies it, or shows it to copy.
   朗读 reads the title and the article aloud with the browser's speech synthesis, with
   暂停/继续 and 停止朗读; where the browser has none, a note says so instead. */
(function () {
  "use strict";
  var status = document.querySelector("[data-tool-status]");

  function say(message) {
    if (status) { status.textContent = message; }
  }

  var printButton = document.querySelector("[data-print]");
  if (printButton && typeof window.print === "function") {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }

  var shareButton = document.querySelector("[data-share]");
  if (shareButton) {
    var url = shareButton.getAttribute("data-url") || window.location.href;
    var showUrl = function () { say(shareButton.getAttribute("data-msg-manual") + url); };
    shareButton.hidden = false;
    shareButton.addEventListener("click", function () {
      if (typeof navigator.share === "function") {
        navigator.share({ title: document.title, url: url }).catch(function () {});
      } else if (navigator.clipboard && typeof navigator.clipboard.writeText === "function") {
        navigator.clipboard.writeText(url).then(function () {
          say(shareButton.getAttribute("data-msg-copied"));
        }, showUrl);
      } else {
        showUrl();
      }
    });
  }

  var readButton = document.querySelector("[data-read-aloud]");
  var pauseButton = document.querySelector("[data-read-pause]");
  var missing = document.querySelector("[data-read-aloud-missing]");
  var article = document.querySelector(".article-body");
  if (!readButton || !article) {
    return;
  }
  if (!window.speechSynthesis || typeof window.SpeechSynthesisUtterance !== "function") {
    if (missing) { missing.hidden = false; }
    return;
  }
  var synth = window.speechSynthesis;
  var startLabel = readButton.textContent;
  var stopLabel = readButton.getAttribute("data-label-stop") || startLabel;
  var pauseLabel = pauseButton ? pauseButton.textContent : "";
  var resumeLabel = pauseButton ? pauseButton.getAttribute("data-label-resume") : "";
  var title = document.querySelector(".story-title");
  var reading = false;

  function setPaused(on) {
    if (!pauseButton) { return; }
    pauseButton.textContent = on ? resumeLabel : pauseLabel;
    pauseButton.setAttribute("aria-pressed", on ? "true" : "false");
  }

  function setReading(on) {
    reading = on;
    readButton.textContent = on ? stopLabel : startLabel;
    readButton.setAttribute("aria-pressed", on ? "true" : "false");
    if (pauseButton) {
      setPaused(false);
      if (!on && document.activeElement === pauseButton) { readButton.focus(); }
      pauseButton.hidden = !on;
    }
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
    if (reading) {
      synth.cancel();
      setReading(false);
      return;
    }
    synth.cancel();
    var text = (title ? title.textContent.trim() + "。" : "") + article.innerText;
    var queue = chunks(text);
    queue.forEach(function (part, index) {
      var utterance = new window.SpeechSynthesisUtterance(part);
      utterance.lang = "zh-CN";  // stories are written in Chinese
      if (index === queue.length - 1) {
        utterance.onend = function () { setReading(false); };
      }
      synth.speak(utterance);
    });
    setReading(true);
  });
  if (pauseButton) {
    pauseButton.addEventListener("click", function () {
      if (synth.paused) {
        synth.resume();
        setPaused(false);
      } else {
        synth.pause();
        setPaused(true);
      }
    });
  }
  window.addEventListener("pagehide", function () { synth.cancel(); });
})();
