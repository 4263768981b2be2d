"""Which views take a request body beyond DATA_UPLOAD_MAX_MEMORY_SIZE: those that accept audio.

A view marked `@accepts_large_uploads` may receive a multipart body up to
UPLOAD_MAX_REQUEST_SIZE from a signed-in user; every other request, and any anonymous one, keeps
the small limit (the request size middleware decides, before anything reads the body).
"""


def accepts_large_uploads(view):
    """Mark `view` (a function, or a method such as a ModelAdmin's add_view) as taking files."""
    view.accepts_large_uploads = True
    return view


def takes_large_uploads(view):
    """True when `view`, as resolved for a request, was marked with `accepts_large_uploads`."""
    return getattr(view, "accepts_large_uploads", False)
