from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html

from activities.notes import derive_plaintext, plaintext_to_html

TRIX = "vendor/trix-2.1.19/"


class RichTextEditor(forms.Widget):
    """A note in a Trix editor, or in a plain textarea for a browser without JavaScript.

    Trix keeps its HTML in a hidden input named like the field; the server sanitizes it as it
    does any note. Without JavaScript the <noscript> textarea (`<name>_text`) shows the note as
    plaintext, and its text replaces the note only when the rep changed it, so that saving a
    form without JavaScript keeps the note's formatting. `label` names the editor, or the
    textarea, for assistive technology: a <label> cannot name a custom element.
    """

    text_suffix = "_text"

    class Media:
        css = {"all": [TRIX + "trix.css"]}
        # rich-text.js first: it configures Trix before the editors start.
        js = ["js/rich-text.js", TRIX + "trix.umd.min.js"]

    def __init__(self, attrs=None, label="Note"):
        super().__init__(attrs)
        self.label = label

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        input_id = attrs.pop("id", None) or f"id_{name}"
        html = self.format_value(value) or ""
        return format_html(
            '<div class="rich-text">'
            '<input type="hidden" name="{name}" id="{input_id}" value="{html}">'
            '<trix-editor input="{input_id}" id="{editor_id}" aria-label="{label}"{attrs}>'
            "</trix-editor>"
            '<noscript><textarea name="{text_name}" id="{input_id}_text" rows="6" '
            'aria-label="{label}">{text}</textarea></noscript>'
            "</div>",
            name=name,
            input_id=input_id,
            html=html,
            editor_id=self.id_for_label(input_id),
            attrs=flatatt(attrs),
            text_name=name + self.text_suffix,
            label=self.label,
            text="\n" + derive_plaintext(html),
        )

    def id_for_label(self, id_):
        return f"{id_}_editor" if id_ else id_

    def value_from_datadict(self, data, files, name):
        html = data.get(name)
        text = data.get(name + self.text_suffix)
        if text is None:
            return html
        if derive_plaintext(plaintext_to_html(text)) == derive_plaintext(html or ""):
            return html
        return plaintext_to_html(text)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + self.text_suffix not in data
