"""Template helpers of the transparency portal."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def transparency_localized(pkg: dict[str, Any], field: str) -> str:
    """``pkg[field + '_ar']`` on Arabic pages when the record has it, else ``pkg[field]``."""
    if tk.h.lang() == "ar" and pkg.get(field + "_ar"):
        return pkg[field + "_ar"]
    return pkg.get(field) or ""


def transparency_services() -> list[dict[str, Any]]:
    """The six services of the portal, with a live count of public records each
    (statistics, the sixth, has its own page and no count).

    One search request, faceted by type, gives every count.
    """
    result = tk.get_action("package_search")(
        {}, {"rows": 0, "facet.field": ["dataset_type"], "facet.limit": -1, "include_private": False}
    )
    counts = result["search_facets"].get("dataset_type", {}).get("items", [])
    count = {item["name"]: item["count"] for item in counts}
    _ = tk._
    return [
        {"type": "ati-request", "icon": "envelope-open-text", "count": count.get("ati-request", 0),
         "title": _("Access to information"),
         "text": _("Ask an institution for information and follow your request until it is answered.")},
        {"type": "publication", "icon": "file-lines", "count": count.get("publication", 0),
         "title": _("Proactive publication"),
         "text": _("What institutions publish without being asked (law 31-13, article 10).")},
        {"type": "dataset", "icon": "table", "count": count.get("dataset", 0),
         "title": _("Open data"),
         "text": _("Find and download the data of public institutions.")},
        {"type": "commitment", "icon": "list-check", "count": count.get("commitment", 0),
         "title": _("OGP action plan"),
         "text": _("Follow the commitments of the national action plan, their milestones and progress.")},
        {"type": "consultation", "icon": "comments", "count": count.get("consultation", 0),
         "title": _("Public consultations"),
         "text": _("Take part in drafting public policies.")},
        {"type": None, "icon": "chart-column", "count": None,
         "title": _("Statistics"),
         "text": _("Figures on the portal and on the institutions that publish through it.")},
    ]


def transparency_reuses(dataset_name: str) -> list[dict[str, Any]]:
    """The public reuses (``showcase`` records) that use the dataset ``dataset_name``."""
    result = tk.get_action("package_search")(
        {}, {"fq": 'dataset_type:showcase AND vocab_datasets_used:"{}"'.format(dataset_name), "rows": 50}
    )
    return result["results"]


def transparency_choice_label(dataset_type: str, field_name: str, value: str) -> str:
    """The label, in the page's language, of ``value`` of a choice field of a schema."""
    schema = tk.h.scheming_get_dataset_schema(dataset_type)
    field = tk.h.scheming_field_by_name(schema["dataset_fields"], field_name)
    return tk.h.scheming_choices_label(tk.h.scheming_field_choices(field), value)


def transparency_type_label(dataset_type: str) -> str:
    """The plural name of a dataset type, in the page's language."""
    _ = tk._
    return {
        "dataset": _("Open data"), "publication": _("Publications"), "action-plan": _("Action plans"),
        "commitment": _("Commitments"), "ati-request": _("Requests for information"),
        "consultation": _("Consultations"), "showcase": _("Reuses"),
    }.get(dataset_type, dataset_type)
