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

# The OGP's column names (../shared/data/ogp_morocco_2018_2020_commitments.csv) and our fields.
OGP_COLUMNS = ["ogp_id", "title", "action_plan", "cycle", "policy_area"]


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
    """Creates or updates the commitments of an action plan from rows with the OGP's
    columns (ogp_id, title, action_plan, cycle, policy_area), and their milestones
    from milestone rows (ogp_id, milestone_title, milestone_start, milestone_end,
    milestone_deliverable, milestone_weight, milestone_state).

    Each commitment row stands alone: good rows are saved, bad rows are reported
    with the reason. The milestone rows of a commitment replace its milestones
    together or not at all: one bad milestone row leaves the commitment's
    milestones as they were, and each of its rows is reported.

    :param id: the action plan's id or name
    :type id: string
    :param owner_org: the lead institution of new commitments
    :type owner_org: string
    :param rows: the rows, as objects keyed by column name (numbered from 1 in the report)
    :type rows: list of dictionaries
    :returns: ``{"created": n, "updated": n, "milestones": n, "rejected": [{"row", "ogp_id", "reason"}]}``
    :rtype: dictionary
    """
    data = validate(data_dict, schemas.plan_import(), context)
    plan = show(context, data["id"], "action-plan", tk._("No action plan has this id"))
    rows = data_dict.get("rows")
    if not isinstance(rows, list):
        raise tk.ValidationError({"rows": [tk._("Send the rows as a list of objects")]})
    report: dict[str, Any] = {"created": 0, "updated": 0, "milestones": 0, "rejected": []}
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


def _import_commitment(context: Context, plan: dict[str, Any], owner_org: str, number: int,
                       row: dict[str, Any], report: dict[str, Any]) -> None:
    ogp_id = str(row.get("ogp_id") or "").strip()
    area = str(row.get("policy_area") or "").strip()
    package = {"type": "commitment", "name": ogp_id.lower(), "ogp_id": ogp_id,
               "title": str(row.get("title") or "").strip(), "action_plan": plan["name"],
               "owner_org": owner_org, "commitment_status": "active",
               "policy_areas": [v for v in [_policy_area_value(area)] if v] if area else []}
    if area and not package["policy_areas"]:
        report["rejected"].append({"row": number, "ogp_id": ogp_id,
                                   "reason": tk._("Unknown policy area: {area}").format(area=area)})
        return
    existing = model.Package.get(package["name"]) if ogp_id else None
    try:
        if existing is not None and existing.type == "commitment":
            tk.get_action("package_patch")({"user": context.get("user")}, dict(
                package, id=existing.id, owner_org=existing.owner_org))
            report["updated"] += 1
        else:
            tk.get_action("package_create")({"user": context.get("user")}, package)
            report["created"] += 1
    except tk.ValidationError as error:
        model.Session.rollback()
        report["rejected"].append({"row": number, "ogp_id": ogp_id, "reason": reason(error.error_dict)})


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
    milestones = [{"title": str(row.get("milestone_title") or "").strip(),
                   "start": str(row.get("milestone_start") or "").strip(),
                   "end": str(row.get("milestone_end") or "").strip(),
                   "deliverable": str(row.get("milestone_deliverable") or "").strip(),
                   "weight": str(row.get("milestone_weight") or "").strip() or "1",
                   "state": str(row.get("milestone_state") or "").strip() or "not-started"} for _, row in group]
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
    """The commitments of an action plan with the OGP's column names, plus their progress.

    :param id: the action plan's id or name
    :type id: string
    :rtype: list of dictionaries
    """
    data = validate(data_dict, schemas.package_id(), context)
    plan = show(context, data["id"], "action-plan", tk._("No action plan has this id"))
    found = tk.get_action("package_search")({"user": context.get("user")}, {
        "fq": '+dataset_type:commitment +action_plan:"{}"'.format(plan["name"]), "rows": 1000, "sort": "name asc"})
    return [{"ogp_id": c["ogp_id"], "title": c["title"], "action_plan": plan["title"], "cycle": plan.get("cycle"),
             "policy_area": ";".join(c.get("policy_areas") or []), "lead_institution": c["organization"]["title"],
             "start_date": c.get("start_date"), "end_date": c.get("end_date"), "status": c.get("commitment_status"),
             "progress": c.get("progress"), "late_milestones": c.get("late_milestones")}
            for c in found["results"]]
