/* The staff desk (Django admin), progressive enhancement only: every form works without this file.
 *
 * 1. Photo buttons (core/widgets.py): show the chosen file's name beside 选择照片 / 拍照.
 * 2. The rich-text editor (django-prose-editor) names its buttons in English: put the desk's words
 *    (core.desk.EDITOR_WORDS, rendered as JSON into #desk-words) on its titles, screen-reader labels,
 *    menus and dialogs. Its dialogs ask window.gettext, which is wrapped here before the editor's
 *    module reads it (this script is deferred and comes before the editor's modules).
 */
(function () {
  "use strict";

  var wordsNode = document.getElementById("desk-words");
  var words = {};
  try {
    words = wordsNode ? JSON.parse(wordsNode.textContent) : {};
  } catch (e) {
    words = {};
  }

  function say(text) {
    var key = (text || "").trim();
    return Object.prototype.hasOwnProperty.call(words, key) ? words[key] : text;
  }

  var original = window.gettext;
  window.gettext = function (text) {
    var mine = say(text);
    if (mine !== text) return mine;
    return original ? original(text) : text;
  };

  // 1. photo buttons
  function showName(input) {
    var box = input.closest(".desk-photo");
    if (!box) return;
    var label = box.querySelector(".desk-photo-name");
    if (!label) return;
    var names = [];
    box.querySelectorAll("input[type=file]").forEach(function (one) {
      Array.prototype.forEach.call(one.files || [], function (file) { names.push(file.name); });
    });
    if (!label.dataset.none) label.dataset.none = label.textContent;
    label.textContent = names.length ? names.join("、") : label.dataset.none;
    box.classList.toggle("desk-photo-chosen", names.length > 0);
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches(".desk-photo input[type=file]")) showName(input);
  });

  // 2. the editor's toolbar, menus and dialogs
  function translate(root) {
    root.querySelectorAll(".prose-menubar [title], .prose-menubar [aria-label]").forEach(function (node) {
      ["title", "aria-label"].forEach(function (name) {
        var value = node.getAttribute(name);
        if (value && say(value) !== value) node.setAttribute(name, say(value));
      });
    });
    root.querySelectorAll(".prose-menubar__option, .prose-menubar__option *").forEach(function (node) {
      if (node.children.length === 0 && say(node.textContent) !== node.textContent) {
        node.textContent = say(node.textContent);
      }
    });
  }
  function watch() {
    // On a phone the menu starts closed behind its 菜单 button, whatever a wide screen remembered.
    var main = document.getElementById("main");
    if (main && window.matchMedia("(max-width: 767px)").matches) main.classList.remove("shifted");
    translate(document);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        if (change.type === "attributes") {
          if (!change.target.closest(".prose-menubar")) return;
          var value = change.target.getAttribute(change.attributeName);
          if (value && say(value) !== value) change.target.setAttribute(change.attributeName, say(value));
          return;
        }
        change.addedNodes.forEach(function (node) {
          if (node.nodeType === 1) translate(node.parentNode || node);
        });
      });
    }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ["title", "aria-label"] });
  }
  // Deferred scripts run before Django's nav_sidebar.js sets the menu up: wait for the whole page.
  if (document.readyState === "complete") {
    watch();
  } else {
    document.addEventListener("DOMContentLoaded", watch);
  }
})();
