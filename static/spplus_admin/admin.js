// Two fixes to select2, the admin's autocomplete, for screen readers (axe). Its search fields are named after
// the field they search: select2 creates them unlabelled, in place for a multiple choice and in a dropdown for
// a single one. Its « remove all » button moves out of the list of choices, where only list items belong; its
// click handler is delegated from the whole selection, so it still works there. Its combobox names the list it
// opens with aria-owns only, where ARIA 1.2 asks for aria-controls.
(function () {
  "use strict";

  function searchedSelect(field) {
    var container = field.closest(".select2-container");
    var previous = container && container.previousElementSibling;
    if (previous && previous.tagName === "SELECT") {
      return previous;
    }
    var match = (field.getAttribute("aria-controls") || "").match(/^select2-(.+)-results$/);
    return match ? document.getElementById(match[1]) : null;
  }

  function fieldName(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    var text = label ? label.textContent : select.getAttribute("aria-label") || "";
    return text.replace(/\s*:\s*$/, "").trim();
  }

  function labelSearchFields() {
    document.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (field) {
      var select = searchedSelect(field);
      var name = select ? fieldName(select) : "";
      field.setAttribute("aria-label", name ? "Rechercher : " + name : "Rechercher");
    });
  }

  function moveClearButtons() {
    document.querySelectorAll("ul.select2-selection__rendered > .select2-selection__clear").forEach(function (button) {
      button.parentElement.before(button);
    });
  }

  function nameControlledLists() {
    document.querySelectorAll('.select2-selection[role="combobox"][aria-owns]').forEach(function (combobox) {
      combobox.setAttribute("aria-controls", combobox.getAttribute("aria-owns"));
    });
  }

  function fixSelect2() {
    labelSearchFields();
    moveClearButtons();
    nameControlledLists();
  }

  fixSelect2();
  new MutationObserver(fixSelect2).observe(document.body, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: ["aria-owns"],
  });
})();
