"""Actions on OGP commitments: progress updates of their milestones."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ... import choices, consultations, mail, portal
from ...model import MilestoneUpdate, contributions_to
from .. import schema as schemas
from ...portal import site_context
from .common import reason, show, validate

__all__ = ["transparency_milestone_update_record", "transparency_milestone_update_list", "transparency_commitment_origins",
           "transparency_action_plan_import", "transparency_action_plan_export"]

# The columns of an action plan's file, the same for the export and the import: the
# OGP's (ogp_id, title, action_plan, cycle, policy_area), ours, and the milestone
# columns of milestone rows. ``action_plan``, ``cycle``, ``progress`` and
# ``late_milestones`` are read-only: the import takes the plan from its parameter
# and computes the others.
COMMITMENT_COLUMNS = ["ogp_id", "title", "action_plan", "cycle", "policy_area", "lead_institution", "status",
                      "start_date", "end_date", "progress", "late_milestones"]
MILESTONE_COLUMNS = ["milestone_title", "milestone_start", "milestone_end", "milestone_deliverable",
                     "milestone_weight", "milestone_state"]
PLAN_COLUMNS = COMMITMENT_COLUMNS + MILESTONE_COLUMNS


def _commitment(context: Context, package_id: str) -> dict[str, Any]:
    return show(context, package_id, "commitment", tk._("No commitment has this id"))


def transparency_milestone_update_record(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Records a progress update on a milestone (officers of the lead institution,
    sysadmins). The milestone takes the new state; the commitment's progress follows.

    :param id: the commitment's id or name
    :type id: string
    :param milestone: the milestone's position in the list, from 0
    :type milestone: int
    :param state: not-started, in-progress, completed, delayed or cancelled
    :type state: string
    :param date: when (YYYY-MM-DD; default today, never in the future)
    :type date: string
    :param comment: what was done (optional)
    :type comment: string
    :param evidence_url: a link to the evidence (optional)
    :type evidence_url: string
    :param upload: or the evidence as a document (multipart upload; PDF, office
        documents, CSV, images, ZIP), kept as a resource of the commitment
    :type upload: file
    :returns: the commitment
    :rtype: dictionary
    """
    data = validate(data_dict, schemas.milestone_update(), context)
    pkg = _commitment(context, data["id"])
    tk.check_access("transparency_milestone_update_record", context, {"owner_org": pkg["owner_org"]})
    milestones = pkg.get("milestones") or []
    if not 0 <= data["milestone"] < len(milestones):
        raise tk.ValidationError({"milestone": [tk._("This commitment has {count} milestones, numbered from 0").format(
            count=len(milestones))]})
    date = data["date"].date() if data.get("date") else portal.today()
    if date > portal.today():
        raise tk.ValidationError({"date": [tk._("An update cannot be dated in the future")]})
    if data.get("upload") and data.get("evidence_url"):
        raise tk.ValidationError({"upload": [tk._("Give the evidence as a link or as a document, not both")]})
    milestones[data["milestone"]]["state"] = data["state"]
    tk.get_action("package_patch")(dict(site_context(), defer_commit=True), {"id": pkg["id"], "milestones": milestones})
    if data.get("upload"):
        evidence = tk.get_action("resource_create")(dict(site_context(), defer_commit=True), {
            "package_id": pkg["id"], "upload": data["upload"], "url": data["upload"].filename,
            "name": tk._("Evidence: {milestone} ({date})").format(
                milestone=milestones[data["milestone"]]["title"], date=date.isoformat())})
        data["evidence_url"] = evidence["url"]
    user = model.User.get(context.get("user") or "")
    update = MilestoneUpdate(
        package_id=pkg["id"], milestone=data["milestone"], milestone_title=milestones[data["milestone"]]["title"],
        state=data["state"], date=date, comment=data.get("comment"), evidence_url=data.get("evidence_url"),
        user_id=user.id if user else None)
    model.Session.add(update)
    consultations.tell_progress(pkg, update)
    model.repo.commit()
    mail.send_soon()
    return tk.get_action("package_show")(dict(site_context(), use_cache=False), {"id": pkg["id"]})


@tk.side_effect_free
def transparency_milestone_update_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The dated, public history of progress updates of a commitment, newest first.

    :param id: the commitment's id or name
    :type id: string
    :rtype: list of dictionaries
    """
    data = validate(data_dict, schemas.package_id(), context)
    pkg = _commitment(context, data["id"])
    rows = (model.Session.query(MilestoneUpdate).filter(MilestoneUpdate.package_id == pkg["id"])
            .order_by(MilestoneUpdate.date.desc(), MilestoneUpdate.id.desc()))
    return [row.as_dict() for row in rows]


@tk.side_effect_free
def transparency_commitment_origins(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Where a commitment came from: the published contributions to public
    consultations that led to it, oldest first.

    :param id: the commitment's id or name
    :type id: string
    :returns: each contribution with ``consultation`` (``name``, ``title``, ``title_ar``)
    :rtype: list of dictionaries
    """
    data = validate(data_dict, schemas.package_id(), context)
    pkg = _commitment(context, data["id"])
    return [dict(item.as_dict(), consultation={"name": consultation.name, "title": consultation.title,
                                               "title_ar": consultation.extras.get("title_ar")})
            for item, _email, consultation in contributions_to(pkg["id"])]


def _policy_area_value(label: str) -> str | None:
    """Our value of an OGP policy-area label (``Open Data`` -> ``open-data``)."""
    for choice in choices.of("commitment", "policy_areas"):
        if label.strip().lower() in (choice["value"], choice["label"].get("en", "").lower()):
            return choice["value"]
    return None


def transparency_action_plan_import(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Creates or updates the commitments of an action plan from rows with the
    columns of its export (``PLAN_COLUMNS``): commitment rows (ogp_id, title,
    policy_area with values separated by ";", lead_institution, status, start_date,
    end_date) and milestone rows (ogp_id, milestone_title, milestone_start,
    milestone_end, milestone_deliverable, milestone_weight, milestone_state). An
    empty cell leaves the field as it is; a row that changes nothing is counted
    as unchanged, so importing an unchanged export changes nothing.

    Each commitment row stands alone: good rows are saved, bad rows are reported
    with the reason. The milestone rows of a commitment replace its milestones
    together or not at all: one bad milestone row leaves the commitment's
    milestones as they were, and each of its rows is reported.

    :param id: the action plan's id or name
    :type id: string
    :param owner_org: the lead institution of new commitments whose row names none
    :type owner_org: string
    :param rows: the rows, as objects keyed by column name (numbered from 1 in the report)
    :type rows: list of dictionaries
    :returns: ``{"created": n, "updated": n, "unchanged": n, "milestones": n,
        "rejected": [{"row", "ogp_id", "reason"}]}`` (``milestones``: the milestone
        rows of commitments whose milestones changed)
    :rtype: dictionary
    """
    data = validate(data_dict, schemas.plan_import(), context)
    plan = show(context, data["id"], "action-plan", tk._("No action plan has this id"))
    rows = data_dict.get("rows")
    if not isinstance(rows, list):
        raise tk.ValidationError({"rows": [tk._("Send the rows as a list of objects")]})
    report: dict[str, Any] = {"created": 0, "updated": 0, "unchanged": 0, "milestones": 0, "rejected": []}
    milestone_rows: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for position, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            report["rejected"].append({"row": position, "ogp_id": None, "reason": tk._("Not a row of columns")})
            continue
        if str(row.get("milestone_title") or "").strip():
            milestone_rows.setdefault(str(row.get("ogp_id") or "").strip(), []).append((position, row))
        else:
            _import_commitment(context, plan, data["owner_org"], position, row, report)
    for ogp_id, group in milestone_rows.items():
        _import_milestones(context, plan, ogp_id, group, report)
    return report


def _cell(row: dict[str, Any], column: str) -> str:
    return str(row.get(column) or "").strip()


def _import_commitment(context: Context, plan: dict[str, Any], owner_org: str, number: int,
                       row: dict[str, Any], report: dict[str, Any]) -> None:
    ogp_id = _cell(row, "ogp_id")
    areas = [a.strip() for a in _cell(row, "policy_area").split(";") if a.strip()]
    wanted = {"ogp_id": ogp_id, "title": _cell(row, "title"), "action_plan": plan["name"],
              "policy_areas": [_policy_area_value(a) for a in areas]}
    unknown = [a for a, value in zip(areas, wanted["policy_areas"]) if value is None]
    if unknown:
        report["rejected"].append({"row": number, "ogp_id": ogp_id,
                                   "reason": tk._("Unknown policy area: {area}").format(area=", ".join(unknown))})
        return
    lead = _cell(row, "lead_institution")
    if lead:
        org = model.Group.get(lead)
        if org is None or not org.is_organization or org.state != "active":
            report["rejected"].append({"row": number, "ogp_id": ogp_id,
                                       "reason": tk._("No institution has the address {name}").format(name=lead)})
            return
        wanted["owner_org"] = org.id
    for field, column in (("commitment_status", "status"), ("start_date", "start_date"), ("end_date", "end_date")):
        if _cell(row, column):
            wanted[field] = _cell(row, column)
    existing = model.Package.get(ogp_id.lower()) if ogp_id else None
    try:
        if existing is not None and existing.type == "commitment":
            shown = tk.get_action("package_show")({"user": context.get("user")}, {"id": existing.id})
            changes = {field: value for field, value in wanted.items() if shown.get(field) != value}
            if not changes:
                report["unchanged"] += 1
                return
            tk.get_action("package_patch")({"user": context.get("user")}, dict(changes, id=existing.id))
            report["updated"] += 1
        else:
            tk.get_action("package_create")({"user": context.get("user")}, dict(
                {"owner_org": owner_org, "commitment_status": "active"}, **wanted, type="commitment",
                name=ogp_id.lower()))
            report["created"] += 1
    except tk.ValidationError as error:
        model.Session.rollback()
        report["rejected"].append({"row": number, "ogp_id": ogp_id, "reason": reason(error.error_dict)})


_MILESTONE_KEYS = [column.removeprefix("milestone_") for column in MILESTONE_COLUMNS]


def _milestone(given: dict[str, Any]) -> dict[str, str]:
    """A milestone as the file writes it (weight 1 and not started unless said)."""
    cells = {key: "" if given.get(key) is None else str(given[key]).strip() for key in _MILESTONE_KEYS}
    return dict(cells, weight=cells["weight"] or "1", state=cells["state"] or "not-started")


def _import_milestones(context: Context, plan: dict[str, Any], ogp_id: str,
                       group: list[tuple[int, dict[str, Any]]], report: dict[str, Any]) -> None:
    def reject_all(reasons: dict[int, str]) -> None:
        other = tk._("Not imported: another milestone row of {ogp_id} was rejected").format(ogp_id=ogp_id)
        report["rejected"].extend({"row": number, "ogp_id": ogp_id, "reason": reasons.get(i, other)}
                                  for i, (number, _) in enumerate(group))
    commitment = model.Package.get(ogp_id.lower()) if ogp_id else None
    if commitment is None or commitment.type != "commitment" or commitment.extras.get("action_plan") != plan["name"]:
        reject_all({0: tk._("No commitment {ogp_id} in this action plan").format(ogp_id=ogp_id)})
        return
    milestones = [_milestone({key: _cell(row, f"milestone_{key}") for key in _MILESTONE_KEYS}) for _, row in group]
    current = tk.get_action("package_show")({"user": context.get("user")}, {"id": commitment.id}).get("milestones")
    if milestones == [_milestone(m) for m in current or []]:
        return
    try:
        tk.get_action("package_patch")({"user": context.get("user")}, {"id": commitment.id, "milestones": milestones})
    except tk.ValidationError as error:
        model.Session.rollback()
        errors = error.error_dict.get("milestones")
        if isinstance(errors, list):
            reject_all({i: reason(e, "milestone_") for i, e in enumerate(errors) if e})
        else:
            reject_all({0: reason(error.error_dict)})
        return
    report["milestones"] += len(group)



def transparency_action_plan_export(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The commitments of an action plan, each followed by its milestones, in the
    columns the import reads (``PLAN_COLUMNS``), with their progress.

    :param id: the action plan's id or name
    :type id: string
    :rtype: list of dictionaries
    """
    data = validate(data_dict, schemas.package_id(), context)
    plan = show(context, data["id"], "action-plan", tk._("No action plan has this id"))
    found = tk.get_action("package_search")({"user": context.get("user")}, {
        "fq": '+dataset_type:commitment +action_plan:"{}"'.format(plan["name"]), "rows": 1000, "sort": "name asc"})
    rows = []
    blank = dict.fromkeys(PLAN_COLUMNS, "")
    for c in found["results"]:
        rows.append(dict(blank, ogp_id=c["ogp_id"], title=c["title"], action_plan=plan["title"],
                         cycle=plan.get("cycle") or "", policy_area=";".join(c.get("policy_areas") or []),
                         lead_institution=c["organization"]["name"], status=c.get("commitment_status") or "",
                         start_date=c.get("start_date") or "", end_date=c.get("end_date") or "",
                         progress=c.get("progress"), late_milestones=c.get("late_milestones")))
        rows.extend(dict(blank, ogp_id=c["ogp_id"], **{f"milestone_{key}": value for key, value in _milestone(m).items()})
                    for m in c.get("milestones") or [])
    return rows
