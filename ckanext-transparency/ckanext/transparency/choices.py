"""The choices of the schemas' choice fields (``schemas/*.yaml``): the one place
where states, outcomes, grounds, categories and the like are listed. Code and
templates read them from here; tests check that the plain rule modules agree."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def of(dataset_type: str, field_name: str, subfield: str | None = None) -> list[dict[str, Any]]:
    """The choices (``value`` and multilingual ``label``) of a field of a schema, or
    of a subfield of a repeating field; [] if the field has none."""
    schema = tk.h.scheming_get_dataset_schema(dataset_type) or {}
    field = tk.h.scheming_field_by_name(schema.get("dataset_fields", []), field_name) or {}
    if subfield:
        field = tk.h.scheming_field_by_name(field.get("repeating_subfields", []), subfield) or {}
    return field.get("choices", [])


def values(dataset_type: str, field_name: str, subfield: str | None = None) -> list[str]:
    return [choice["value"] for choice in of(dataset_type, field_name, subfield)]


def label(dataset_type: str, field_name: str, value: str) -> dict[str, str]:
    """The multilingual label of ``value`` ({} if it is not a choice of the field)."""
    return next((c["label"] for c in of(dataset_type, field_name) if c["value"] == value), {})


def options(dataset_type: str, field_name: str, subfield: str | None = None) -> list[dict[str, str]]:
    """The choices as form options, labelled in the page's language."""
    return [{"value": c["value"], "text": tk.h.scheming_language_text(c["label"])}
            for c in of(dataset_type, field_name, subfield)]
