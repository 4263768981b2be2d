"""Serving stored audio with HTTP Range support, so that players can seek (RFC 9110 §14).

A stored file is served as the audio type of its extension (`audio_files.served_type`), never
as a type guessed from its name; anything else (a file stored before uploads were checked) is
a download of bytes. Either way the browser may not sniff another type, and the response has
its own Content-Security-Policy: opened as a page, it can run nothing and reach nothing.
"""

import os
import re

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from activities.audio_files import served_type

BYTE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK_SIZE = 64 * 1024
AUDIO_CONTENT_SECURITY_POLICY = "default-src 'none'; sandbox"


def parse_range(header, size):
    """Return (start, end) inclusive for a single-range `header`, None to ignore it, or
    ValueError when it cannot be satisfied for a resource of `size` bytes."""
    match = BYTE_RANGE.match((header or "").strip())
    if match is None:
        return None  # absent, malformed or multiple ranges: answer with the whole file
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # bytes=-500: the last 500 bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise ValueError("empty suffix range")
        return max(size - suffix, 0), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if last and int(last) < start:
        return None
    if start >= size:
        raise ValueError("range starts after the end")
    return start, end


def _read(file, start, length):
    file.seek(start)
    remaining = length
    try:
        while remaining > 0:
            chunk = file.read(min(CHUNK_SIZE, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        file.close()


def ranged_file_response(request, field_file):
    """Answer with `field_file` (a stored FieldFile): 206 for a satisfiable Range, 416 for
    an unsatisfiable one, 200 with the whole file otherwise."""
    size = field_file.size
    content_type = served_type(field_file.name) or "application/octet-stream"
    try:
        byte_range = parse_range(request.headers.get("Range"), size)
    except ValueError:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
    else:
        file = field_file.storage.open(field_file.name, "rb")
        if byte_range is None:
            response = FileResponse(file, content_type=content_type)
            response["Content-Length"] = str(size)
        else:
            start, end = byte_range
            response = StreamingHttpResponse(
                _read(file, start, end - start + 1), status=206, content_type=content_type
            )
            response["Content-Length"] = str(end - start + 1)
            response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=content_type == "application/octet-stream",
        filename=os.path.basename(field_file.name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = AUDIO_CONTENT_SECURITY_POLICY
    return response
