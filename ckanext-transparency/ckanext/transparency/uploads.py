"""What an uploaded document must be to be kept: a safe file name, a type a person
can open, content that is not a program, and a size within ``ckan.max_resource_size``.

Every upload of the portal goes through ``check``: resources of any record
(``resource_create`` / ``resource_update``), bulk uploads, officers' answers and
contributors' files.
"""
from __future__ import annotations

from typing import Any

import magic

import ckan.plugins.toolkit as tk

DOCUMENT_EXTENSIONS = {"pdf", "csv", "xlsx", "xls", "ods", "docx", "odt", "txt", "zip", "png", "jpg", "jpeg",
                       "json", "geojson", "xml"}
# Content refused whatever the file's name says: programs, scripts, and pages that run scripts.
REFUSED_CONTENT = ("application/x-dosexec", "application/x-executable", "application/x-sharedlib",
                   "application/x-mach-binary", "application/x-pie-executable", "text/x-shellscript",
                   "text/html", "image/svg+xml")


def is_upload(value: Any) -> bool:
    """Whether ``value`` is an uploaded file (werkzeug's FileStorage or alike)."""
    return hasattr(value, "filename") and hasattr(value, "stream")


def check(upload: Any) -> None:
    """Raises ``tk.Invalid`` with what is wrong with ``upload`` and what is accepted."""
    filename = upload.filename or ""
    if "/" in filename or "\\" in filename or filename.startswith(".") or "\x00" in filename:
        raise tk.Invalid(tk._("The file name may not contain a path"))
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in DOCUMENT_EXTENSIONS:
        raise tk.Invalid(tk._("{name}: accepted documents are {types}").format(
            name=filename, types=", ".join(sorted(DOCUMENT_EXTENSIONS))))
    stream = upload.stream
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    limit = tk.config.get("ckan.max_resource_size")
    if size > limit * 1024 * 1024:
        raise tk.Invalid(tk._("{name} is {size:.1f} MB; the largest file accepted is {limit} MB").format(
            name=filename, size=size / 1024 / 1024, limit=limit))
    if size == 0:
        raise tk.Invalid(tk._("{name} is empty").format(name=filename))
    content = magic.from_buffer(stream.read(4096), mime=True)
    stream.seek(0)
    if content in REFUSED_CONTENT:
        raise tk.Invalid(tk._("{name} holds {content}: programs, scripts and web pages are not accepted").format(
            name=filename, content=content))


def check_image(upload: Any) -> None:
    """Raises ``tk.Invalid`` unless ``upload`` is an image of the types of
    ``ckan.upload.showcase.mimetypes`` (found from its content) within ``ckan.max_image_size``."""
    accepted = tk.config.get("ckan.upload.showcase.mimetypes")
    stream = upload.stream
    content = magic.from_buffer(stream.read(4096), mime=True)
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    if content not in accepted:
        raise tk.Invalid(tk._("{name} is not an image: send a PNG, JPEG, GIF or WebP picture").format(
            name=upload.filename or ""))
    limit = tk.config.get("ckan.max_image_size")
    if size > limit * 1024 * 1024:
        raise tk.Invalid(tk._("{name} is {size:.1f} MB; the largest image accepted is {limit} MB").format(
            name=upload.filename or "", size=size / 1024 / 1024, limit=limit))
