/* Accessible names for the article form's widgets that Django's admin and django-prose-editor
   leave unnamed (axe: aria-input-field-name, label, list), in every desk language: the body
   editor's textbox, the autocomplete comboboxes and their search fields take their field's label;
   select2's "clear" cross, a <span> straight inside its list of choices, leaves the list; the date
   and time inputs of a publication time take the words Django prints beside them. Select2 redraws
   its boxes on every change, so this runs again whenever the form changes. */
(() => {
  "use strict";

  const labelText = (id) => {
    const label = id && document.querySelector(`label[for="${CSS.escape(id)}"]`);
    return label ? label.textContent.replace(/[:：]\s*$/, "").trim() : "";
  };

  const name = (element, text) => {
    if (text && !element.hasAttribute("aria-label")) element.setAttribute("aria-label", text);
  };

  const nameWidgets = () => {
    for (const editor of document.querySelectorAll(".prose-editor .ProseMirror[role=textbox]")) {
      const textarea = editor.closest(".prose-editor").querySelector("textarea");
      name(editor, labelText(textarea && textarea.id));
    }
    for (const select of document.querySelectorAll("select.admin-autocomplete")) {
      const box = select.nextElementSibling;
      if (!box || !box.classList.contains("select2")) continue;
      const text = labelText(select.id);
      for (const part of box.querySelectorAll("[role=combobox], .select2-search__field")) name(part, text);
      for (const shown of box.querySelectorAll(".select2-selection__rendered[role=textbox]")) {
        name(shown, text);
      }
      for (const list of box.querySelectorAll("ul.select2-selection__rendered")) {
        // Select2 draws a fresh cross on each change and none once nothing is chosen.
        const fresh = list.querySelector(":scope > :not(li)");
        const moved = list.parentElement.querySelectorAll(":scope > .select2-selection__clear");
        if (fresh || !list.querySelector(".select2-selection__choice")) {
          for (const old of moved) old.remove();
        }
        if (fresh) list.before(fresh);
      }
    }
    for (const pair of document.querySelectorAll("p.datetime")) {
      for (const input of pair.querySelectorAll("input")) {
        const words = input.previousSibling && input.previousSibling.textContent;
        name(input, (words || "").replace(/[:：]\s*$/, "").trim());
      }
    }
  };

  const start = () => {
    nameWidgets();
    new MutationObserver(nameWidgets).observe(document.body, { childList: true, subtree: true });
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
