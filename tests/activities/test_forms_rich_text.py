"""The note editor widget, shared by the rep's call form and the admin."""

from django import forms

from activities.widgets import RichTextEditor


class NoteForm(forms.Form):
    note_html = forms.CharField(required=False, widget=RichTextEditor)


STORED = "<body><p>Wants a <strong>demo</strong></p><p>Next week</p></body>"


def test_it_renders_a_hidden_input_bound_to_a_trix_editor():
    html = str(NoteForm(initial={"note_html": STORED})["note_html"])
    assert '<input type="hidden" name="note_html" id="id_note_html" value="&lt;body&gt;' in html
    assert (
        '<trix-editor input="id_note_html" id="id_note_html_editor" aria-label="Note">'
        "</trix-editor>"
    ) in html


def test_without_javascript_a_textarea_shows_the_note_as_plaintext():
    html = str(NoteForm(initial={"note_html": STORED})["note_html"])
    assert '<noscript><textarea name="note_html_text"' in html
    assert ">\nWants a demo\nNext week</textarea></noscript>" in html


def test_the_label_points_at_the_editor():
    assert 'for="id_note_html_editor"' in NoteForm()["note_html"].label_tag()


def test_it_brings_trix_and_its_set_up():
    media = str(NoteForm().media)
    assert "/static/vendor/trix-2.1.19/trix.css" in media
    assert media.index("js/rich-text.js") < media.index("trix.umd.min.js")


def test_the_editors_html_is_the_value():
    form = NoteForm({"note_html": "<p>Hi <em>there</em></p>"})
    assert form.is_valid()
    assert form.cleaned_data["note_html"] == "<p>Hi <em>there</em></p>"


def test_an_unchanged_plaintext_keeps_the_formatting():
    form = NoteForm(
        {"note_html": STORED, "note_html_text": "Wants a demo\r\nNext week\r\n"},
        initial={"note_html": STORED},
    )
    assert form.is_valid()
    assert form.cleaned_data["note_html"] == STORED
    assert not form.has_changed()


def test_a_changed_plaintext_becomes_the_note():
    form = NoteForm({"note_html": STORED, "note_html_text": "Wants a demo\r\n<b>Friday</b>"})
    assert form.is_valid()
    assert (
        form.cleaned_data["note_html"] == "<body>Wants a demo<br />&lt;b&gt;Friday&lt;/b&gt;</body>"
    )
