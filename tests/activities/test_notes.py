from activities.notes import couple_note, derive_plaintext, plaintext_to_html, sanitize_html


def test_html_wins_when_both_are_given():
    assert couple_note(text="ignored", html="<p>kept</p>") == ("kept", "<body><p>kept</p></body>")


def test_plaintext_becomes_escaped_html_with_br():
    assert plaintext_to_html("a < b\nc & d") == "<body>a &lt; b<br />c &amp; d</body>"


def test_neither_form_leaves_the_note_alone():
    assert couple_note() is None


def test_script_is_removed_with_its_content():
    assert sanitize_html("<p>hi<script>alert(1)</script></p>") == "<body><p>hi</p></body>"


def test_event_handlers_and_javascript_links_are_removed():
    html = sanitize_html('<p onclick="x()"><a href="javascript:alert(1)">go</a></p>')
    assert "onclick" not in html
    assert "javascript" not in html


def test_links_get_a_safe_rel():
    html = sanitize_html('<a href="https://example.com">x</a>')
    assert 'rel="noopener noreferrer nofollow"' in html


def test_unclosed_tags_are_closed():
    assert sanitize_html("<p><strong>bold") == "<body><p><strong>bold</strong></p></body>"


def test_plaintext_puts_paragraphs_and_list_items_on_their_own_lines():
    html = "<body><p>Hello <b>there</b></p><ul><li>one</li><li>two</li></ul><p>a<br>b</p></body>"
    assert derive_plaintext(html) == "Hello there\none\ntwo\na\nb"


def test_plaintext_unescapes_entities():
    assert derive_plaintext("<p>Tom &amp; Jerry &lt;3</p>") == "Tom & Jerry <3"
