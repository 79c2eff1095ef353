/* Writing aids on the article form (desk/writing.py): a live word count and reading time under
   the body, and a character count beside each field marked with data-guide, warning past the
   length search engines show. A static file: the desk's CSP allows no inline script. */
(function () {
  "use strict";

  function plural(count, word) {
    return count + " " + word + (count === 1 ? "" : "s");
  }

  function countWords(text) {
    var words = text.trim().split(/\s+/).filter(Boolean);
    return words.length;
  }

  function bodyStats(stats) {
    var row = document.querySelector(".form-row.field-body, .field-body");
    if (!row) {
      return;
    }
    var perMinute = parseInt(stats.dataset.wordsPerMinute, 10) || 230;
    var editable = row.querySelector(".field-body .fieldBox, .field-body > div") || row;
    editable.appendChild(stats);
    stats.hidden = false;

    function source() {
      // The text box itself, not the ProseMirror views inside the toolbar's pickers.
      var prose = Array.from(row.querySelectorAll(".ProseMirror")).find(function (view) {
        return !view.closest(".prose-menubar");
      });
      if (prose) {
        return prose.innerText || prose.textContent || "";
      }
      var textarea = row.querySelector("textarea");
      if (textarea) {
        var scratch = document.createElement("div");
        scratch.innerHTML = textarea.value.replace(/<\/(p|h\d|li|blockquote)>/g, " </$1>");
        return scratch.textContent || "";
      }
      return row.querySelector(".readonly") ? row.querySelector(".readonly").textContent : "";
    }

    function update() {
      var words = countWords(source());
      var minutes = Math.max(1, Math.round(words / perMinute));
      var text = words ? plural(words, "word") + " · " + minutes + " min read" : "0 words";
      // The count sits inside the watched field: writing the same text again would wake the
      // observer below for ever.
      if (stats.textContent !== text) {
        stats.textContent = text;
      }
    }

    update();
    // The editor starts after this script, and edits come from typing, pasting and the toolbar:
    // watching the field's content catches them all.
    new MutationObserver(update).observe(row, { childList: true, subtree: true, characterData: true });
    row.addEventListener("input", update);
  }

  function lengthGuide(field) {
    var guide = parseInt(field.dataset.guide, 10);
    if (!guide) {
      return;
    }
    var note = document.createElement("span");
    note.className = "length-guide";
    note.setAttribute("aria-live", "polite");
    note.id = field.id + "-length";
    field.setAttribute(
      "aria-describedby",
      ((field.getAttribute("aria-describedby") || "") + " " + note.id).trim()
    );
    field.insertAdjacentElement("afterend", note);

    function update() {
      var length = Array.from(field.value).length;
      var over = length > guide;
      note.classList.toggle("over", over);
      note.textContent = over
        ? length + " / " + guide + " characters: search engines cut the last " + (length - guide)
        : length + " / " + guide + " characters";
    }

    update();
    field.addEventListener("input", update);
  }

  function start() {
    var stats = document.getElementById("body-stats");
    if (stats) {
      bodyStats(stats);
    }
    document.querySelectorAll("input[data-guide], textarea[data-guide]").forEach(lengthGuide);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
