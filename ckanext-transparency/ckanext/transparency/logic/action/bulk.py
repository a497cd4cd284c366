"""Bulk upload of publications or datasets from CSV rows, with their documents."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ... import bulk, uploads
from .. import schema as schemas
from ...portal import site_context
from .common import reason, validate

__all__ = ["transparency_bulk_upload"]


def transparency_bulk_upload(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Creates publications or datasets of one institution from CSV rows. Each row
    stands alone: good rows are created (with their document), bad rows are reported
    with the reason and nothing of them is kept; a row naming a record that exists
    is reported, so sending the same file again after fixing it creates only the
    rows that were missing. Officers (editors) of the institution and sysadmins.

    :param type: ``publication`` or ``dataset``
    :type type: string
    :param owner_org: the institution (name or id)
    :type owner_org: string
    :param csv: the CSV (an uploaded file or its text); its columns are the
        fields of the type's schema plus ``document`` and ``document_name``
    :type csv: file or string
    :param rows: instead of ``csv``, the rows as objects keyed by column
    :type rows: list of dictionaries
    :param documents: the files named in the ``document`` column (in a multipart
        request, every uploaded file other than ``csv``, whatever its field name);
        a ``document`` starting with http:// or https:// is a link instead
    :type documents: list of files
    :returns: ``{"created": n, "rejected": [{"row", "name", "reason"}]}``, rows
        numbered from 1 after the header
    :rtype: dictionary
    """
    data = validate(data_dict, schemas.bulk_upload(), context)
    tk.check_access("transparency_bulk_upload", context, {"owner_org": data["owner_org"]})
    rows = _rows(data_dict)
    unknown = bulk.unknown_columns(data["type"], rows)
    if unknown:
        raise tk.ValidationError({"csv": [tk._("Unknown columns: {unknown}; the columns are {columns}").format(
            unknown=", ".join(unknown), columns=", ".join(bulk.columns(data["type"])))]})
    documents = {d.filename: d for d in _documents(data_dict)}
    report: dict[str, Any] = {"created": 0, "rejected": []}
    for number, row in enumerate(rows, start=1):
        pkg, errors = bulk.package(row, data["type"], data["owner_org"])
        try:
            _create(context, pkg, errors, row, documents)
            report["created"] += 1
        except tk.ValidationError as error:
            model.Session.rollback()
            report["rejected"].append({"row": number, "name": pkg.get("name"), "reason": reason(error.error_dict)})
    return report


def _rows(data_dict: DataDict) -> list[dict[str, Any]]:
    given = data_dict.get("csv")
    if uploads.is_upload(given):
        given = given.stream.read().decode("utf-8-sig", errors="replace")
    if isinstance(given, str) and given.strip():
        return bulk.read_csv(given)
    rows = data_dict.get("rows")
    if isinstance(rows, list) and rows and all(isinstance(row, dict) for row in rows):
        return rows
    raise tk.ValidationError({"csv": [tk._("Send the rows as a CSV file (csv) or as a list of objects (rows)")]})


def _documents(data_dict: DataDict) -> list[Any]:
    given = data_dict.get("documents") or []
    given = list(given) if isinstance(given, (list, tuple)) else [given]
    given += [v for k, v in data_dict.items() if k not in ("csv", "documents") and uploads.is_upload(v)]
    return [d for d in given if uploads.is_upload(d) and d.filename]


def _create(context: Context, pkg: dict[str, Any], errors: dict[str, list[str]], row: dict[str, Any],
            documents: dict[str, Any]) -> None:
    """Creates the record of one row with its document, or raises ValidationError and keeps nothing."""
    if pkg.get("name") and model.Package.get(pkg["name"]) is not None:
        errors["name"] = [tk._("A record named {name} exists already").format(name=pkg["name"])]
    document = str(row.get("document") or "").strip()
    upload = None
    if document.startswith(("http://", "https://")):
        pkg["resources"] = [{"url": document, "name": row.get("document_name") or document}]
    elif document:
        upload = documents.get(document)
        if upload is None:
            errors["document"] = [tk._("{name} was not sent with the rows").format(name=document)]
        else:
            try:
                uploads.check(upload)
            except tk.Invalid as error:
                errors["document"] = [error.error]
    if errors:
        raise tk.ValidationError(errors)
    created = tk.get_action("package_create")({"user": context.get("user")}, pkg)
    if upload is None:
        return
    try:
        tk.get_action("resource_create")({"user": context.get("user")}, {
            "package_id": created["id"], "url": upload.filename, "upload": upload,
            "name": row.get("document_name") or upload.filename})
    except tk.ValidationError:
        model.Session.rollback()
        tk.get_action("dataset_purge")(site_context(), {"id": created["id"]})
        raise
