"""The browsable API: DRF's pages of the API, for people who open it in a browser.

An endpoint's description there (and in its OPTIONS answer) is its `description` attribute, or
else the first paragraph of its class docstring, written for the API's users: the paragraphs
after it are for the code's readers. Pages are in English, with one main landmark, as every page
of closecalls (DRF's base template writes `<html>` and a second `role="main"` outside the
blocks templates/rest_framework/api.html can override, so the renderer mends them). A signed-out
browser is answered 401 with a link to sign in, not with the Basic-auth prompt (api/errors.py).
"""

from django.utils.encoding import smart_str
from rest_framework import renderers
from rest_framework.utils import formatting

# In DRF's rest_framework/base.html (3.18), outside any block.
_HTML_START = "<html>"
_SECOND_MAIN = '<div class="content-main" role="main"  aria-label="main content">'


def view_description(view, html=False):
    """`REST_FRAMEWORK["VIEW_DESCRIPTION_FUNCTION"]`: what an endpoint says of itself."""
    description = getattr(view, "description", None)
    if description is None:
        docstring = formatting.dedent(smart_str(view.__class__.__doc__ or ""))
        description = " ".join(docstring.split("\n\n")[0].split())
    return formatting.markup_description(description) if html else description


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        page = super().render(data, accepted_media_type, renderer_context)
        return page.replace(_HTML_START, '<html lang="en">', 1).replace(
            _SECOND_MAIN, '<div class="content-main">', 1
        )
