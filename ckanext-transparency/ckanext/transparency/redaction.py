"""Keeping what must not be public out of a request's public record: documents
given to the requester only, documents hidden after publication, passages
redacted everywhere the record was published (the record, its resources, its
history, the activity stream, and through them the search index, DCAT and feeds).
The originals stay in the bundle's private tables."""
from __future__ import annotations

import os
import shutil
import uuid
from typing import Any, Callable

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.uploader import get_resource_uploader
from ckanext.activity.model import Activity

from .portal import site_context
from .model import AtiDocument, AtiEvent


def _private_dir(package_id: str) -> str:
    return os.path.join(tk.config.get("ckan.storage_path"), "transparency", "ati", package_id)


def document_file(document_id: int) -> str:
    """Where the file of a kept document is on disk (its access already checked)."""
    return os.path.join(tk.config.get("ckan.storage_path"), model.Session.get(AtiDocument, document_id).path)


def keep_document(package_id: str, name: str, upload: Any, url: str | None, reason: str,
                  user_id: str | None) -> AtiDocument:
    """Keeps an uploaded file (or a link) for the requester and the officers only."""
    document = AtiDocument(package_id=package_id, name=name, url=url, reason=reason, user_id=user_id)
    if upload:
        directory = _private_dir(package_id)
        os.makedirs(directory, mode=0o700, exist_ok=True)
        filename = f"{uuid.uuid4().hex}-{os.path.basename(upload.filename)}"
        upload.save(os.path.join(directory, filename))
        os.chmod(os.path.join(directory, filename), 0o600)
        document.path = os.path.join("transparency", "ati", package_id, filename)
    model.Session.add(document)
    return document


def publish_document(package_id: str, name: str, upload: Any, url: str | None, public: Callable[[str], str]) -> None:
    """Adds the document to the public record, its file name masked like the text."""
    resource: dict[str, Any] = {"package_id": package_id, "name": name}
    if upload:
        stem, dot, extension = upload.filename.rpartition(".")
        if public(stem) != stem:
            upload.filename = f"document{dot}{extension}"
        resource.update(upload=upload, url=upload.filename)
    else:
        resource["url"] = url
    tk.get_action("resource_create")(dict(site_context(), defer_commit=True), resource)


def hide_resource(pkg: dict[str, Any], resource_id: str, reason: str, user_id: str) -> str:
    """Takes a resource out of the public record and keeps it privately; its name."""
    resource = next((r for r in pkg.get("resources", []) if r["id"] == resource_id), None)
    if resource is None:
        raise tk.ValidationError({"resource_id": [tk._("This request has no published document with this id")]})
    document = keep_document(pkg["id"], resource["name"] or tk._("Document"), None,
                             None if resource.get("url_type") == "upload" else resource["url"], reason, user_id)
    if resource.get("url_type") == "upload":
        source = get_resource_uploader(resource).get_path(resource_id)
        directory = _private_dir(pkg["id"])
        os.makedirs(directory, mode=0o700, exist_ok=True)
        filename = f"{uuid.uuid4().hex}-{os.path.basename(resource['url'])}"
        shutil.move(source, os.path.join(directory, filename))
        document.path = os.path.join("transparency", "ati", pkg["id"], filename)
    tk.get_action("resource_delete")(dict(site_context(), defer_commit=True), {"id": resource_id})
    _rewrite_activities(pkg["id"], lambda data: _without_resource(data, resource_id))
    return resource["name"] or ""


def redact_passage(pkg: dict[str, Any], masked: Callable[[str], str]) -> bool:
    """Masks a passage wherever the request was published; whether it was found."""
    fields = {key: masked(pkg.get(key) or "") for key in ("title", "notes", "answer", "document_type",
                                                            "period_covered")}
    changed = {key: value for key, value in fields.items() if value != (pkg.get(key) or "")}
    found = bool(changed)
    if changed:
        tk.get_action("package_patch")(dict(site_context(), defer_commit=True), dict(changed, id=pkg["id"]))
    for resource in pkg.get("resources", []):
        texts = {key: masked(resource.get(key) or "") for key in ("name", "description")}
        if any(texts[key] != (resource.get(key) or "") for key in texts):
            found = True
            tk.get_action("resource_patch")(dict(site_context(), defer_commit=True), dict(texts, id=resource["id"]))
    for event in model.Session.query(AtiEvent).filter(AtiEvent.package_id == pkg["id"], AtiEvent.note.isnot(None)):
        if masked(event.note) != event.note:
            found = True
            event.note = masked(event.note)
    _rewrite_activities(pkg["id"], lambda data: _masked(data, masked))
    return found


def _rewrite_activities(package_id: str, rewrite: Callable[[Any], Any]) -> None:
    """Rewrites the package as the activity stream keeps each of its versions."""
    for activity in model.Session.query(Activity).filter(Activity.object_id == package_id):
        activity.data = rewrite(activity.data)


def _masked(value: Any, masked: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return masked(value)
    if isinstance(value, dict):
        return {key: _masked(item, masked) for key, item in value.items()}
    if isinstance(value, list):
        return [_masked(item, masked) for item in value]
    return value


def _without_resource(value: Any, resource_id: str) -> Any:
    if isinstance(value, dict):
        return {key: _without_resource(item, resource_id) for key, item in value.items()}
    if isinstance(value, list):
        return [_without_resource(item, resource_id) for item in value
                if not (isinstance(item, dict) and item.get("id") == resource_id)]
    return value
