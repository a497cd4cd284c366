"""Actions on OGP commitments: progress updates of their milestones."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ... import portal
from ...model import MilestoneUpdate
from .. import schema as schemas
from .common import site_context, validate

__all__ = ["transparency_milestone_update_record", "transparency_milestone_update_list"]


def _commitment(context: Context, package_id: str) -> dict[str, Any]:
    pkg = tk.get_action("package_show")({"user": context.get("user")}, {"id": package_id})
    if pkg.get("type") != "commitment":
        raise tk.ObjectNotFound(tk._("No commitment has this id"))
    return pkg


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
    milestones[data["milestone"]]["state"] = data["state"]
    tk.get_action("package_patch")(dict(site_context(), defer_commit=True), {"id": pkg["id"], "milestones": milestones})
    user = model.User.get(context.get("user") or "")
    model.Session.add(MilestoneUpdate(
        package_id=pkg["id"], milestone=data["milestone"], milestone_title=milestones[data["milestone"]]["title"],
        state=data["state"], date=date, comment=data.get("comment"), evidence_url=data.get("evidence_url"),
        user_id=user.id if user else None))
    model.repo.commit()
    return tk.get_action("package_show")(dict(site_context(), use_cache=False), {"id": pkg["id"]})


@tk.side_effect_free
def transparency_milestone_update_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The dated, public history of progress updates of a commitment, newest first.

    :param id: the commitment's id or name
    :type id: string
    :rtype: list of dictionaries
    """
    data = validate(data_dict, schemas.ati_request_id(), context)
    pkg = _commitment(context, data["id"])
    rows = (model.Session.query(MilestoneUpdate).filter(MilestoneUpdate.package_id == pkg["id"])
            .order_by(MilestoneUpdate.date.desc(), MilestoneUpdate.id.desc()))
    return [row.as_dict() for row in rows]
