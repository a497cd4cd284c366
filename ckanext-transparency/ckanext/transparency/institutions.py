"""Institutions at national scale: ministries and their directorates, regions,
provinces and communes, public establishments, imported from a CSV file.

The hierarchy is CKAN's own (as ckanext-hierarchy keeps it): a ``member`` row
of the child organization with capacity ``parent`` whose ``table_id`` is the
parent (``Group.get_parent_groups`` / ``get_children_groups`` read it). Names,
acronym, kind of body and the information officer's institutional address are
the organization schema's fields (``schemas/organization.yaml``, group extras).
"""
from __future__ import annotations

import csv
import dataclasses
import io
from typing import Any, Iterator

import ckan.plugins.toolkit as tk
from ckan import model

COLUMNS = ("code", "title_fr", "title_ar", "acronym", "kind", "parent", "contact_email")
REQUIRED_COLUMNS = ("code", "title_fr", "title_ar", "kind", "parent")
EXTRAS = ("title_ar", "acronym", "kind", "contact_email")  # schema fields kept as group extras
PARENT = "parent"


@dataclasses.dataclass
class Row:
    line: int
    values: dict[str, str]
    outcome: str = ""  # created, updated, unchanged, or rejected
    errors: list[str] = dataclasses.field(default_factory=list)


def read(text: str) -> list[Row]:
    """The rows of a CSV file (UTF-8, with or without BOM) with their line numbers;
    ValidationError when its header lacks a column."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise tk.ValidationError({"csv": [tk._("The file lacks the columns: {columns}").format(
            columns=", ".join(missing))]})
    return [Row(reader.line_num, {c: (raw.get(c) or "").strip() for c in COLUMNS}) for raw in reader]


def import_rows(rows: list[Row]) -> Iterator[Row]:
    """Saves each good row (an institution created or brought up to date, with its
    parent), leaves each bad one untouched with its errors; yields each row once
    done. A row's changes are committed together or not at all; importing the same
    file again changes nothing."""
    kinds = [choice["value"] for choice in kind_choices()]
    seen: dict[str, int] = {}
    for row in rows:
        row.errors = _check(row.values, kinds, seen)
        if not row.errors:
            seen[row.values["code"]] = row.line
            row.outcome = _save(row.values)
            model.repo.commit()
        else:
            row.outcome = "rejected"
        yield row


def kind_choices() -> list[dict[str, Any]]:
    """The kinds of body of the organization schema (``value`` and multilingual ``label``)."""
    schema = tk.h.scheming_get_organization_schema("organization") or {}
    field = tk.h.scheming_field_by_name(schema.get("fields", []), "kind") or {}
    return field.get("choices", [])


def _check(values: dict[str, str], kinds: list[str], seen: dict[str, int]) -> list[str]:
    """What is wrong with a row, in the reader's language ([] when nothing)."""
    errors, code = [], values["code"]
    if not code:
        errors.append(tk._("The code is missing"))
    elif not _valid(code, "name_validator"):
        errors.append(tk._("The code {code} is not valid: lower-case letters, digits, - and _ only, "
                           "2 to 100 characters").format(code=code))
    elif code in seen:
        errors.append(tk._("The code {code} is already used on line {line}").format(code=code, line=seen[code]))
    if not values["title_fr"]:
        errors.append(tk._("The French name is missing"))
    if not values["title_ar"]:
        errors.append(tk._("The Arabic name is missing"))
    if values["kind"] not in kinds:
        errors.append(tk._("The kind {kind} is not one of: {kinds}").format(kind=values["kind"], kinds=", ".join(kinds)))
    parent = values["parent"]
    if parent and (parent == code or (parent not in seen and _organization(parent) is None)):
        errors.append(tk._("The parent {parent} is neither an institution of the portal nor on an earlier "
                           "line").format(parent=parent))
    if values["contact_email"] and not _valid(values["contact_email"], "email_validator"):
        errors.append(tk._("The address {email} is not an e-mail address").format(email=values["contact_email"]))
    return errors


def _valid(value: str, validator: str) -> bool:
    try:
        tk.get_validator(validator)(value, {"model": model, "session": model.Session})
    except tk.Invalid:
        return False
    return True


def _organization(name: str) -> model.Group | None:
    group = model.Group.get(name)
    return group if group is not None and group.is_organization and group.state == "active" else None


def _save(values: dict[str, str]) -> str:
    """Creates or updates the institution of a checked row: created, updated or unchanged."""
    org = model.Group.get(values["code"])
    outcome = "unchanged"
    if org is None:
        org = model.Group(name=values["code"], title=values["title_fr"], type="organization", is_organization=True,
                          approval_status="approved")
        model.Session.add(org)
        model.Session.flush()  # its id
        outcome = "created"
    elif org.title != values["title_fr"] or org.state != "active":
        org.title, org.state, outcome = values["title_fr"], "active", "updated"
    extras = {extra.key: extra for extra in model.Session.query(model.GroupExtra).filter_by(group_id=org.id)}
    for key in EXTRAS:
        extra = extras.get(key)
        if extra is None and values[key]:
            model.Session.add(model.GroupExtra(group_id=org.id, key=key, value=values[key], state="active"))
        elif extra is not None and (extra.value, extra.state) != (values[key], "active"):
            extra.value, extra.state = values[key], "active"
        else:
            continue
        outcome = "updated" if outcome == "unchanged" else outcome
    if _set_parent(org, values["parent"]) and outcome == "unchanged":
        outcome = "updated"
    return outcome


def _set_parent(org: model.Group, parent_name: str) -> bool:
    """Makes ``parent_name`` (or none) the parent of ``org``; whether that changed anything."""
    rows = (model.Session.query(model.Member)
            .filter_by(group_id=org.id, table_name="group", capacity=PARENT, state="active").all())
    parent = _organization(parent_name) if parent_name else None  # earlier lines are committed
    wanted = parent.id if parent else None
    if [m.table_id for m in rows] == ([wanted] if wanted else []):
        return False
    for member in rows:
        member.state = "deleted"
    if wanted:
        model.Session.add(model.Member(group=org, table_id=wanted, table_name="group", capacity=PARENT))
    return True


def record(org: model.Group) -> dict[str, Any]:
    """An institution's place in the hierarchy: its parents from the top, its children."""
    return {"parents": [_brief(g) for g in org.get_parent_group_hierarchy(type="organization")],
            "children": sorted((_brief(g) for g in org.get_children_groups(type="organization")),
                               key=lambda g: g["title"] or g["name"])}


def _brief(group: model.Group) -> dict[str, Any]:
    return {"name": group.name, "title": group.title}


def summary(rows: list[Row]) -> dict[str, Any]:
    """How many institutions were created, updated, left unchanged; the rejected rows
    with their line in the file and what is wrong."""
    counts = {outcome: sum(row.outcome == outcome for row in rows) for outcome in ("created", "updated", "unchanged")}
    return dict(counts, rejected=[{"line": row.line, "code": row.values["code"], "errors": row.errors}
                                  for row in rows if row.outcome == "rejected"])
