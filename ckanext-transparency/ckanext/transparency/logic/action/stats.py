"""Figures on the portal: requests for information, the action plan, consultations
and the catalogue.

Every figure comes from a Solr facet count or one grouped SQL query: a fixed
number of queries whatever the number of records, never a loop over records.
"""
from __future__ import annotations

import datetime
from typing import Any

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ... import figures, workflow
from ...model import Contribution
from .. import schema as schemas
from .common import validate

__all__ = ["transparency_statistics"]

CDAI_STATES = ("complaint-cdai", "cdai-decided", "compliance", "complied")
DECIDED_STATES = ("cdai-decided", "compliance", "complied")
COMPLAINT_STATES = ("complaint-head", "head-answered", *CDAI_STATES)


@tk.side_effect_free
def transparency_statistics(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Public figures on the portal, for all institutions or one, over a period.

    :param institution: an institution's name or id (optional)
    :type institution: string
    :param start: the first day of the period, YYYY-MM-DD (optional): requests
        received and contributions sent on that day or later
    :type start: string
    :param end: the last day of the period, YYYY-MM-DD (optional)
    :type end: string
    :returns: ``filters`` (as understood) and four sections:
        ``requests`` (received, answered, by outcome, on time, working days to
        answer, overdue, withdrawn, transferred, complaints, by refusal ground, by channel,
        by month, institutions ranked by answers within the deadline),
        ``action_plan`` (commitments by status, IRM completion and policy area;
        commitments with late milestones by institution; the period does not
        apply), ``consultations`` (contributions received, published, answered,
        led to a commitment)
        and ``catalog`` (public records by type and institution).
        Lists hold ``name`` (the code), ``label`` (in the request's language)
        and ``count``.
    :rtype: dictionary
    """
    tk.check_access("transparency_statistics", context, data_dict)
    data = validate(data_dict, schemas.statistics(), context)
    if data.get("start") and data.get("end") and data["start"] > data["end"]:
        raise tk.ValidationError({"end": [tk._("The end of the period comes before its start")]})
    org = model.Group.get(data["institution"]) if data.get("institution") else None
    search = _Search(context, f"+owner_org:{org.id}" if org else "")
    return {
        "filters": {"institution": org.name if org else None,
                    "start": data["start"].isoformat() if data.get("start") else None,
                    "end": data["end"].isoformat() if data.get("end") else None},
        "requests": _requests(search, data.get("start"), data.get("end")),
        "action_plan": _action_plan(search),
        "consultations": _consultations(org, data.get("start"), data.get("end")),
        "catalog": _catalog(search),
    }


class _Search:
    """Facet counts of public records through package_search (rows=0)."""

    def __init__(self, context: Context, base_fq: str):
        self.context = {"user": context.get("user")}
        self.base_fq = base_fq

    def facets(self, fq: str, fields: list[str]) -> tuple[int, dict[str, list[dict[str, Any]]]]:
        result = tk.get_action("package_search")(dict(self.context), {
            "fq": f"{self.base_fq} {fq}".strip(), "rows": 0, "facet.field": fields,
            "facet.limit": -1, "facet.mincount": 1})
        return result["count"], {field: [{"name": i["name"], "label": i["display_name"], "count": i["count"]}
                                         for i in sorted(result["search_facets"].get(field, {}).get("items", []),
                                                         key=lambda i: (-i["count"], i["name"]))]
                                 for field in fields}


def _requests(search: _Search, start: datetime.date | None, end: datetime.date | None) -> dict[str, Any]:
    fq = "+dataset_type:ati-request"
    if start or end:
        fq += " +received_date:[{} TO {}]".format(
            f"{start.isoformat()}T00:00:00Z" if start else "*", f"{end.isoformat()}T00:00:00Z" if end else "*")
    received, facets = search.facets(fq, ["organization", "ati_state", "outcome", "refusal_ground",
                                          "received_month", "answer_working_days", "transferred", "channel"])
    answered_by_org = _counts(search.facets(fq + " +answered_date:[* TO *]", ["organization"])[1]["organization"])
    on_time_by_org = _counts(search.facets(fq + " +on_time:yes", ["organization"])[1]["organization"])
    overdue_by_org = _counts(search.facets(fq + " +overdue:yes", ["organization"])[1]["organization"])
    states = _counts(facets["ati_state"])
    institutions = [{"name": i["name"], "label": i["label"], "received": i["count"],
                     "answered": answered_by_org.get(i["name"], 0), "on_time": on_time_by_org.get(i["name"], 0),
                     "overdue": overdue_by_org.get(i["name"], 0)} for i in facets["organization"]]
    for i in institutions:
        i["on_time_percent"] = figures.percent(i["on_time"], i["answered"])
    institutions.sort(key=lambda i: (-(i["on_time_percent"] or 0), -i["received"], i["name"]))
    days = sorted((int(i["name"]), i["count"]) for i in facets["answer_working_days"])
    answered = sum(answered_by_org.values())
    on_time = sum(on_time_by_org.values())
    return {
        "received": received, "answered": answered, "on_time": on_time,
        "on_time_percent": figures.percent(on_time, answered),
        "median_working_days": figures.median(days), "mean_working_days": figures.mean(days),
        "overdue": sum(overdue_by_org.values()),
        "withdrawn": states.get("withdrawn", 0),
        "transferred": _counts(facets["transferred"]).get("yes", 0),
        "by_outcome": sorted(facets["outcome"], key=lambda i: workflow.OUTCOMES.index(i["name"])),
        "by_state": facets["ati_state"],
        "by_ground": facets["refusal_ground"],
        # Complaints go head first, then the CDAI: the state tells how far each went.
        "complaints": {"head": sum(states.get(s, 0) for s in COMPLAINT_STATES),
                       "head_answered": states.get("head-answered", 0),
                       "cdai": sum(states.get(s, 0) for s in CDAI_STATES),
                       "cdai_decided": sum(states.get(s, 0) for s in DECIDED_STATES),
                       "complied": states.get("complied", 0)},
        "by_channel": facets["channel"],
        "by_month": figures.months(_counts(facets["received_month"])),
        "by_institution": institutions,
    }


def _action_plan(search: _Search) -> dict[str, Any]:
    fq = "+dataset_type:commitment"
    commitments, facets = search.facets(fq, ["commitment_status", "irm_completion", "vocab_policy_areas"])
    late = search.facets(fq + " +late:yes", ["organization"])
    return {"commitments": commitments, "by_status": facets["commitment_status"],
            "by_completion": facets["irm_completion"], "by_policy_area": facets["vocab_policy_areas"],
            "with_late_milestones": late[0], "late_by_institution": late[1]["organization"]}


def _consultations(org: model.Group | None, start: datetime.date | None,
                   end: datetime.date | None) -> dict[str, Any]:
    led = Contribution.commitment_id.isnot(None)
    query = (sa.select(Contribution.state, Contribution.answer_kind.isnot(None), led, sa.func.count())
             .join(model.Package, model.Package.id == Contribution.package_id)
             .where(model.Package.state == "active", model.Package.private.is_(False))
             .group_by(Contribution.state, Contribution.answer_kind.isnot(None), led))
    if org:
        query = query.where(model.Package.owner_org == org.id)
    if start:
        query = query.where(Contribution.created >= start)
    if end:
        query = query.where(Contribution.created < end + datetime.timedelta(days=1))
    counts = {"received": 0, "published": 0, "answered": 0, "rejected": 0, "led_to_commitments": 0}
    for state, answered, led_to, count in model.Session.execute(query):  # one row per (state, answered, led_to)
        counts["received"] += count
        if state in ("published", "rejected"):
            counts[state] += count
        if answered:
            counts["answered"] += count
        if led_to and state == "published":
            counts["led_to_commitments"] += count
    return counts


def _catalog(search: _Search) -> dict[str, Any]:
    total, facets = search.facets("", ["dataset_type", "organization"])
    return {"total": total, "by_type": [dict(i, label=tk.h.transparency_type_label(i["name"]))
                                        for i in facets["dataset_type"]],
            "by_institution": facets["organization"]}


def _counts(items: list[dict[str, Any]]) -> dict[str, int]:
    return {i["name"]: i["count"] for i in items}
