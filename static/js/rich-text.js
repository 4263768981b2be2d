// Set up Trix for notes: paragraphs as <p> (what the server's sanitizer keeps), and no file
// attachments (a note is text; recordings have their own fields). Loaded before Trix itself.
document.addEventListener("trix-before-initialize", function () {
  window.Trix.config.blockAttributes.default.tagName = "p";
});

document.addEventListener("trix-file-accept", function (event) {
  event.preventDefault();
});
