"""What each dataset type shows as search facets, and how its fields are indexed.

Single-valued choice fields are indexed by CKAN under their own name (Solr's
catch-all string field); fields holding a list (scheming stores them as JSON)
are indexed as ``vocab_<field>``, CKAN's multi-valued string fields, so that
every value is a facet entry of its own.
"""
from __future__ import annotations

import datetime
import functools
import json
from typing import Any

import ckan.plugins.toolkit as tk
from flask import has_request_context

from . import ati, indexing, phases, portal, progress, workflow

# Fields that hold a JSON list in the package dict.
LIST_FIELDS = ("policy_areas", "language", "related_commitments", "datasets_used", "support_actors")

def _facets() -> dict[str, list[tuple[str, str]]]:
    _ = tk._
    return {
        "dataset": [("organization", _("Publishers")), ("theme", _("Themes")),
                    ("tags", _("Keywords")), ("res_format", _("Formats")),
                    ("spatial_region", _("Regions")), ("license_id", _("Licences"))],
        "publication": [("organization", _("Institutions")), ("category", _("Categories")),
                        ("publication_year", _("Years"))],
        "action-plan": [("organization", _("Coordinating institutions")), ("plan_status", _("Status"))],
        "commitment": [("organization", _("Lead institutions")), ("vocab_policy_areas", _("Policy areas")),
                       ("late", _("Late milestones")), ("commitment_status", _("Status")),
                       ("action_plan", _("Action plans")), ("irm_completion", _("IRM completion"))],
        "ati-request": [("organization", _("Institutions")), ("ati_state", _("State")), ("overdue", _("Deadline")),
                        ("outcome", _("Outcome")), ("refusal_ground", _("Refusal grounds")),
                        ("delivery", _("Delivery")), ("urgent", _("Urgent")), ("channel", _("Channel")),
                        ("cdai_decision", _("CDAI decision"))],
        "consultation": [("phase", _("Phase")), ("organization", _("Organizing institutions")),
                         ("topic", _("Topics"))],
        "showcase": [("organization", _("Institutions")), ("reuse_kind", _("Kinds"))],
        "indicator": [("organization", _("Source institutions")), ("periodicity", _("Periodicity")),
                      ("tags", _("Keywords"))],
    }


def facets_for(package_type: str, default: dict[str, Any]) -> dict[str, Any]:
    """The facets of the search page of ``package_type`` (CKAN's own for other types)."""
    facets = _facets().get(package_type)
    if facets is None:
        return default
    return dict(facets)


def index_fields(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Adds the derived search fields of a package about to be indexed (after
    checking that Solr answers: see ``indexing``)."""
    indexing.guard(pkg_dict["id"])
    for field in LIST_FIELDS:
        value = pkg_dict.get(field)
        if isinstance(value, str) and value.startswith("["):
            value = json.loads(value)
        if value:
            pkg_dict["vocab_" + field] = value if isinstance(value, list) else [value]
    if pkg_dict.get("type") == "ati-request" and pkg_dict.get("due_date"):
        due = datetime.date.fromisoformat(pkg_dict["due_date"][:10])
        pkg_dict["overdue"] = "yes" if workflow.is_overdue(pkg_dict.get("ati_state", ""), due, portal.today()) else "no"
        pkg_dict["received_month"] = pkg_dict["received_date"][:7]
        pkg_dict["channel"] = pkg_dict.get("channel") or "online"  # requests filed before channels were recorded
        if pkg_dict.get("answered_date"):  # an answer on the due date is on time
            pkg_dict["on_time"] = "yes" if pkg_dict["answered_date"][:10] <= pkg_dict["due_date"][:10] else "no"
    if pkg_dict.get("type") == "consultation" and pkg_dict.get("opens_at") and pkg_dict.get("closes_at"):
        pkg_dict["phase"] = phases.phase(portal.now(), phases.parse(pkg_dict["opens_at"]),
                                         phases.parse(pkg_dict["closes_at"]), bool(pkg_dict.get("report_summary")))
    if pkg_dict.get("type") == "commitment":
        milestones = pkg_dict.get("milestones") or "[]"
        figures = commitment_figures(json.loads(milestones) if isinstance(milestones, str) else milestones)
        # Zero-padded: Solr's catch-all field is a string, and sorts and ranges must follow the numbers.
        pkg_dict["progress"] = "{:03d}".format(figures["progress"]) if figures["progress"] is not None else None
        pkg_dict["late_milestones"] = "{:03d}".format(figures["late_milestones"])
        pkg_dict["late"] = "yes" if figures["late_milestones"] else "no"
        # package_search answers from this copy: the figures go there too.
        validated = json.loads(pkg_dict["validated_data_dict"])
        validated.update(figures)
        pkg_dict["validated_data_dict"] = json.dumps(validated)
    if pkg_dict.get("publication_date"):
        pkg_dict["publication_year"] = pkg_dict["publication_date"][:4]
    if pkg_dict.get("cdai_decision_date"):
        pkg_dict["cdai_decision_year"] = pkg_dict["cdai_decision_date"][:4]
    # Long free text stays searchable through extras_<field> (a text field copied
    # into ``text``) but leaves Solr's catch-all string field, whose terms are
    # capped at 32 kB.
    for key in [k for k, v in pkg_dict.items() if k in _schema_fields() and isinstance(v, str) and len(v) > 256]:
        del pkg_dict[key]
    return pkg_dict


def commitment_figures(milestones: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures of a commitment, computed from its milestones, never typed by hand."""
    return {"progress": progress.commitment_progress(milestones),
            "late_milestones": progress.late_count(milestones, portal.today()),
            "milestone_count": len(milestones)}


def add_figures(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Puts a commitment's computed figures into its package dict (show and search),
    and whether a request's deadline is an estimate (``due_date_estimate``: it lies
    beyond the dated Islamic holidays)."""
    if pkg_dict.get("type") == "commitment":
        pkg_dict.update(commitment_figures(pkg_dict.get("milestones") or []))
    if pkg_dict.get("type") == "ati-request" and pkg_dict.get("due_date"):
        pkg_dict["due_date_estimate"] = ati.due_is_estimate(datetime.date.fromisoformat(pkg_dict["due_date"][:10]))
    return pkg_dict


def label_facets(search_results: dict[str, Any]) -> dict[str, Any]:
    """Gives facet entries of choice fields the label of their value, in the page's language."""
    choices = choice_labels()
    for field, facet in search_results.get("search_facets", {}).items():
        labels = choices.get(field[len("vocab_"):] if field.startswith("vocab_") else field)
        if labels:
            for item in facet["items"]:
                if item["name"] in labels:
                    item["display_name"] = _text(labels[item["name"]])
    return search_results


def page_language() -> str:
    """The request's language (the default language outside a request, e.g. in a
    CLI or a background job)."""
    return tk.h.lang() if has_request_context() else tk.config.get("ckan.locale_default")


def _text(label: dict[str, str]) -> str:
    """The text of a multilingual label in the page's language."""
    lang = page_language()
    return label.get(lang) or label.get("en") or next(iter(label.values()))


# Labels of the values of fields computed at index time.
DERIVED_CHOICES = {
    "overdue": {"yes": {"fr": "En retard", "ar": "متأخر", "en": "Overdue"},
                "no": {"fr": "Dans les délais", "ar": "داخل الأجل", "en": "On time"}},
    "late": {"yes": {"fr": "Avec jalons en retard", "ar": "بمراحل متأخرة", "en": "With late milestones"},
             "no": {"fr": "Sans retard", "ar": "دون تأخر", "en": "Not late"}},
    "phase": {phases.ANNOUNCED: {"fr": "Annoncée", "ar": "معلن عنها", "en": "Announced"},
              phases.OPEN: {"fr": "Ouverte aux contributions", "ar": "مفتوحة للمساهمات", "en": "Open for contributions"},
              phases.UNDER_REVIEW: {"fr": "En cours d'analyse", "ar": "قيد الدراسة", "en": "Under review"},
              phases.CLOSED: {"fr": "Clôturée avec rapport", "ar": "مختتمة بتقرير", "en": "Closed with a report"}},
}


@functools.lru_cache(maxsize=1)  # schemas are read once, when the plugins load
def choice_labels() -> dict[str, dict[str, Any]]:
    """{field name: {value: multilingual label}} over the choice fields of every schema."""
    labels: dict[str, dict[str, Any]] = {k: dict(v) for k, v in DERIVED_CHOICES.items()}
    for schema in tk.h.scheming_dataset_schemas().values():
        for field in schema["dataset_fields"]:
            for choice in field.get("choices", []):
                labels.setdefault(field["field_name"], {})[choice["value"]] = choice["label"]
    return labels


@functools.lru_cache(maxsize=1)
def _schema_fields() -> frozenset[str]:
    """Names of the fields our schemas add beside CKAN's core package fields."""
    core = {"title", "name", "notes", "owner_org", "tag_string", "license_id", "url"}
    names = set()
    for schema in tk.h.scheming_dataset_schemas().values():
        names.update(f["field_name"] for f in schema["dataset_fields"])
    return frozenset(names - core)
