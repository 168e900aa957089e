// The image picker's window (archive/admin/richtext.py): a click on an image hands its
// address, description and caption to the Figure dialog of the editor that opened it,
// through the CKEditor file-browser call django-prose-editor's Figure extension listens to.
(function () {
  "use strict";
  const number = new URLSearchParams(window.location.search).get("CKEditorFuncNum");
  const opener = window.opener;
  const editor = number !== null && opener && opener.CKEDITOR && opener.CKEDITOR.tools;

  document.addEventListener("DOMContentLoaded", () => {
    if (!editor) {
      document.querySelector(".image-picker-message").hidden = false;
    }
  });
  document.addEventListener("click", (event) => {
    const choice = event.target.closest(".image-picker-choice");
    if (!choice || !editor) return;
    editor.callFunction(number, choice.dataset.url, {
      id: choice.dataset.id,
      alternative_text: choice.dataset.alt,
      caption: choice.dataset.caption,
    });
    window.close();
  });
})();
