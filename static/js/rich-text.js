// Set up Trix for notes: paragraphs as <p> (what the server's sanitizer keeps), no file
// attachments (a note is text; recordings have their own fields), and a toolbar a keyboard
// reaches: Trix takes its buttons out of the Tab order (tabindex="-1"); here they stay in it.
// Loaded before Trix itself.
document.addEventListener("trix-before-initialize", function () {
  var config = window.Trix.config;
  config.blockAttributes.default.tagName = "p";
  if (!config.toolbar.tabbable) {
    var toolbarHTML = config.toolbar.getDefaultHTML;
    config.toolbar.getDefaultHTML = function () {
      return toolbarHTML().replace(/ tabindex="-1"/g, "");
    };
    config.toolbar.tabbable = true;
  }
});

document.addEventListener("trix-file-accept", function (event) {
  event.preventDefault();
});
