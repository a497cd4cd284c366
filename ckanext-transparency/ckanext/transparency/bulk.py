"""Rows of a bulk upload (a CSV of publications or datasets) turned into package dicts.

The columns are the fields of the type's schema (``schemas/<type>.yaml``) plus
``document`` (a link, or the name of a file sent with the rows) and
``document_name``. Values of choice fields are the schema's values; fields that
hold several values (``language``) separate them with ``;``.
"""
from __future__ import annotations

import csv
import io
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.munge import munge_title_to_name

TYPES = ("publication", "dataset")
DOCUMENT_COLUMNS = ("document", "document_name")


def _fields(dataset_type: str) -> list[dict[str, Any]]:
    return [f for f in tk.h.scheming_get_dataset_schema(dataset_type)["dataset_fields"]
            if f["field_name"] != "owner_org"]


def columns(dataset_type: str) -> list[str]:
    """The columns a CSV of ``dataset_type`` may have, in the schema's order."""
    return [f["field_name"] for f in _fields(dataset_type)] + list(DOCUMENT_COLUMNS)


def read_csv(text: str) -> list[dict[str, str]]:
    """The rows of a CSV (UTF-8, with or without a byte order mark, comma-separated)."""
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def unknown_columns(dataset_type: str, rows: list[dict[str, Any]]) -> list[str]:
    known = set(columns(dataset_type))
    return sorted({key for row in rows for key in row if key not in known})


def package(row: dict[str, Any], dataset_type: str, owner_org: str) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The package dict of ``row`` and the errors found before CKAN's validation
    (values outside a choice list, with the values accepted)."""
    pkg: dict[str, Any] = {"type": dataset_type, "owner_org": owner_org}
    errors: dict[str, list[str]] = {}
    for field in _fields(dataset_type):
        name = field["field_name"]
        value = str(row.get(name) or "").strip()
        if not value:
            continue
        if field.get("preset") == "multiple_checkbox":
            value = [v.strip() for v in value.replace(",", ";").split(";") if v.strip()]
        choices = [c["value"] for c in field.get("choices", [])]
        wrong = [v for v in (value if isinstance(value, list) else [value]) if choices and v not in choices]
        if wrong:
            errors[name] = [tk._("{value} is not one of {choices}").format(value=", ".join(wrong),
                                                                            choices=", ".join(choices))]
        pkg[name] = value
    if not pkg.get("name") and pkg.get("title"):
        pkg["name"] = munge_title_to_name(pkg["title"])[:100]
    return pkg, errors
