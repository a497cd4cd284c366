"""The text inside uploaded documents, searchable with their record.

When a resource is uploaded or replaced (``resource_create`` / ``resource_update``
of any record: publications, answers to requests, open data), a background job
(``extract``) reads the text of a PDF, DOCX, ODT, TXT or CSV file, bounded to
``ckanext.transparency.search.document_max_chars`` characters, keeps it in the
table ``transparency_document_text`` (never in the package dict: it would be
copied into every activity, API answer and the index's copy of the dict) and
reindexes the record, whose ``search_document`` field it fills (textsearch.py).
The file's SHA-256 is kept beside the text: a job on an unchanged file does
nothing, a replaced file is read again. A file that cannot be read keeps the
reason in the row and the log; its record stays searchable by its metadata.
The text of a request's documents is masked as everything published from a
request is (``ati.masking``: the requester's identity, contact details).
``ckan transparency refresh`` reads the uploads that no job has read (Redis was
down, the worker stopped).

PDF: pypdf (pure Python, BSD; on Arabic PDFs shaped by a word processor it gives
the words in reading order where PDFium reverses them and splits lam-alef).
DOCX and ODT: the standard library (they are zipped XML). TXT and CSV: UTF-8,
else Windows Arabic (cp1256).
"""
from __future__ import annotations

import datetime
import hashlib
import io
import logging
import zipfile
from typing import Any, Iterator
from xml.etree import ElementTree

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search, uploader

from . import ati, privacy
from .model import DocumentText

log = logging.getLogger(__name__)

READABLE = ("pdf", "docx", "odt", "txt", "csv")
_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_ODF_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_MAX_XML_BYTES = 50 * 1024 * 1024  # a zipped member larger than this is not read (zip bombs)


class Unreadable(Exception):
    """The file's text cannot be read; the message says why."""


def text_of(data: bytes, kind: str, limit: int) -> str:
    """The text of a file of ``kind`` (one of READABLE), at most ``limit`` characters."""
    try:
        pieces = {"pdf": _pdf, "docx": _docx, "odt": _odt, "txt": _plain, "csv": _plain}[kind](data)
        text = ""
        for piece in pieces:
            text += piece.strip() + "\n"
            if len(text) >= limit:
                break
    except Unreadable:
        raise
    except Exception as error:  # damaged or hostile files fail in many ways: each is a reason, not a crash
        raise Unreadable(f"{kind.upper()} could not be read: {type(error).__name__}: {error}") from error
    text = text.strip()[:limit]
    if not text:
        raise Unreadable(f"no text found in this {kind.upper()} (a scan without a text layer?)")
    return text


def _pdf(data: bytes) -> Iterator[str]:
    import pypdf
    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):
        raise Unreadable("the PDF is protected by a password")
    for page in reader.pages:
        yield page.extract_text() or ""


def _zipped_xml(data: bytes, member: str) -> ElementTree.Element:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if archive.getinfo(member).file_size > _MAX_XML_BYTES:
            raise Unreadable(f"{member} is larger than {_MAX_XML_BYTES // 1024 // 1024} MB once unzipped")
        return ElementTree.fromstring(archive.read(member))


def _docx(data: bytes) -> Iterator[str]:
    for paragraph in _zipped_xml(data, "word/document.xml").iter(f"{_WORD}p"):
        yield "".join(node.text or "" for node in paragraph.iter(f"{_WORD}t"))


def _odt(data: bytes) -> Iterator[str]:
    root = _zipped_xml(data, "content.xml")
    for element in root.iter():
        if element.tag in (f"{_ODF_TEXT}p", f"{_ODF_TEXT}h"):
            yield "".join(element.itertext())


def _plain(data: bytes) -> Iterator[str]:
    for encoding in ("utf-8-sig", "cp1256"):
        try:
            yield data.decode(encoding)
            return
        except UnicodeDecodeError:
            continue
    raise Unreadable("the text is neither UTF-8 nor Windows Arabic (cp1256)")


def names_requester(package_id: str, upload: Any) -> bool:
    """Whether an uploaded document's text names a request's requester (their name,
    address or numbers): masking cannot reach inside a file that will be downloaded."""
    kind = upload.filename.rsplit(".", 1)[-1].lower() if "." in upload.filename else ""
    if kind not in READABLE:
        return False
    data = upload.stream.read()
    upload.stream.seek(0)
    try:
        text = text_of(data, kind, tk.config.get("ckanext.transparency.search.document_max_chars"))
    except Unreadable:
        return False
    return ati.masking(package_id)(text) != privacy.mask(text)


def kind_of(resource: dict[str, Any] | model.Resource) -> str | None:
    """The READABLE kind of an uploaded resource, or None (links and other formats)."""
    get = resource.get if isinstance(resource, dict) else lambda key: getattr(resource, key, None)
    if get("url_type") != "upload":
        return None
    name = (get("url") or "").rsplit("/", 1)[-1]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return extension if extension in READABLE else None


def extract_soon(resource: dict[str, Any]) -> None:
    """Asks a worker to read the text of an uploaded resource; ``refresh`` catches up if Redis is down."""
    if not kind_of(resource) and not model.Session.get(DocumentText, resource["id"]):
        return
    try:
        tk.enqueue_job(extract, [resource["id"]], title="transparency: text of a document", rq_kwargs={"ttl": 86400})
    except Exception as error:  # Redis unreachable: `ckan transparency refresh` reads it later.
        log.warning("Text of resource %s left for the next `ckan transparency refresh`: %s", resource["id"], error)


def extract(resource_id: str) -> str:
    """Reads the text of an uploaded resource and reindexes its record (the job).
    Returns what happened: "read", "unchanged", "unreadable" or "gone"."""
    resource = model.Resource.get(resource_id)
    kind = kind_of(resource) if resource and resource.state == "active" else None
    if not kind:  # deleted, or its file replaced by a link: its old text leaves the index
        row = model.Session.get(DocumentText, resource_id)
        if row:
            model.Session.delete(row)
            model.Session.commit()
            search.rebuild(row.package_id)
        return "gone"
    path = uploader.get_resource_uploader({"id": resource.id}).get_path(resource.id)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as error:
        data, reason = b"", f"the uploaded file cannot be opened: {error.strerror}"
    else:
        reason = None
    digest = hashlib.sha256(data).hexdigest()
    row = model.Session.get(DocumentText, resource.id)
    if row and row.sha256 == digest and row.package_id == resource.package_id:
        return "unchanged"
    text = None
    if reason is None:
        try:
            text = text_of(data, kind, tk.config.get("ckanext.transparency.search.document_max_chars"))
        except Unreadable as error:
            reason = str(error)
        else:
            if model.Package.get(resource.package_id).type == "ati-request":
                text = ati.masking(resource.package_id)(text)  # the requester's identity never reaches the index
    if reason:
        log.warning("Text of resource %s (%s) not indexed: %s; its record stays searchable by its metadata",
                    resource.id, resource.url, reason)
    row = row or DocumentText(resource_id=resource.id)
    row.package_id, row.sha256, row.text, row.error = resource.package_id, digest, text, reason
    row.extracted = datetime.datetime.utcnow()
    model.Session.add(row)
    model.Session.commit()
    search.rebuild(resource.package_id)
    return "unreadable" if reason else "read"


def texts_of(package_id: str) -> list[str]:
    """The texts of the package's active uploaded documents, within the bound."""
    rows = model.Session.execute(
        sa.select(DocumentText.text)
        .join(model.Resource, model.Resource.id == DocumentText.resource_id)
        .where(DocumentText.package_id == package_id, model.Resource.state == "active",
               DocumentText.text.isnot(None))
        .order_by(model.Resource.position)).scalars()
    return list(rows)


def unread() -> list[str]:
    """Ids of active uploaded resources of a READABLE kind whose file no job has read."""
    query = (model.Session.query(model.Resource)
             .outerjoin(DocumentText, DocumentText.resource_id == model.Resource.id)
             .filter(model.Resource.state == "active", model.Resource.url_type == "upload",
                     DocumentText.resource_id.is_(None)))
    return [resource.id for resource in query if kind_of(resource)]
