"""Reuses proposed by citizens and their moderation."""
from __future__ import annotations

import datetime
import secrets
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.munge import munge_title_to_name
from ckan.types import Context, DataDict

from ... import mail, portal, reuses
from ...model import ReuseProposal, pending_proposals, proposals_since
from ...portal import site_context
from .. import schema as schemas
from .common import validate

__all__ = [
    "transparency_reuse_propose",
    "transparency_reuse_proposal_list",
    "transparency_reuse_moderate",
]


def transparency_reuse_propose(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Proposes a reuse of the catalogue's data, as the signed-in user. It stays private
    until an officer of an institution whose dataset it uses, or a sysadmin, approves it;
    its author is told by e-mail. The author is not recorded in the package.

    :param title: the reuse's title
    :type title: string
    :param notes: what it is and what it does with the data
    :type notes: string
    :param url: the link to the reuse (application, article, visualisation)
    :type url: string
    :param reuse_kind: application, visualisation, article or api
    :type reuse_kind: string
    :param datasets_used: the names of the public datasets it uses
    :type datasets_used: list of strings
    :param image_upload: an image (PNG, JPEG, GIF or WebP; optional; multipart upload)
    :type image_upload: file
    :returns: the proposed reuse (private)
    :rtype: dictionary
    """
    tk.check_access("transparency_reuse_propose", context, data_dict)
    user = model.User.get(context["user"])
    limit = tk.config.get("ckanext.transparency.reuse.daily_limit")
    if proposals_since(user.id, datetime.datetime.utcnow() - datetime.timedelta(days=1)) >= limit:
        raise tk.ValidationError({"title": [tk._(
            "You have proposed {limit} reuses in the last 24 hours, the most allowed; try again tomorrow").format(
            limit=limit)]})
    data = validate(data_dict, schemas.reuse_propose(), context)
    first = model.Package.get(data["datasets_used"][0])
    reuses.save_image(data)
    pkg = tk.get_action("package_create")(site_context(), {
        "type": "showcase", "private": True, "owner_org": first.owner_org,
        "name": f"{munge_title_to_name(data['title'])[:80] or 'reutilisation'}-{secrets.token_hex(3)}",
        **{key: data[key] for key in ("title", "notes", "url", "reuse_kind", "datasets_used", "image_url")
           if data.get(key)}})
    model.Session.add(ReuseProposal(package_id=pkg["id"], user_id=user.id, lang=portal.language()))
    model.repo.commit()
    return pkg


def _proposal(package_id: str) -> tuple[ReuseProposal, model.Package]:
    package = model.Package.get(package_id)
    proposal = model.Session.get(ReuseProposal, package.id) if package is not None else None
    if proposal is None:
        raise tk.ObjectNotFound(tk._("No proposed reuse has this id"))
    return proposal, package


@tk.side_effect_free
def transparency_reuse_proposal_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The proposed reuses waiting for a decision that the signed-in user may approve or
    reject (officers: those using their institution's datasets; sysadmins: all).

    :returns: the pending reuses, oldest first, each with ``proposal`` (its state and date)
        and ``datasets``, the datasets it uses (``name``, ``title``)
    :rtype: list of dictionaries
    """
    tk.check_access("transparency_reuse_proposal_list", context, data_dict)
    found = []
    for proposal in pending_proposals():
        try:
            tk.check_access("transparency_reuse_moderate", dict(context), {"id": proposal.package_id})
        except tk.NotAuthorized:
            continue
        pkg = tk.get_action("package_show")(site_context(), {"id": proposal.package_id})
        found.append(dict(pkg, proposal=proposal.as_dict()))
    names = {name for pkg in found for name in pkg.get("datasets_used") or []}
    titles = dict(model.Session.query(model.Package.name, model.Package.title).filter(model.Package.name.in_(names)))
    for pkg in found:
        pkg["datasets"] = [{"name": name, "title": titles.get(name) or name} for name in pkg.get("datasets_used") or []]
    return found


def transparency_reuse_moderate(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Approves a proposed reuse (it becomes public) or rejects it with a reason told to
    its author (it is deleted). The author is told by e-mail in their language.

    :param id: the reuse's id or name
    :type id: string
    :param decision: ``approve`` or ``reject``
    :type decision: string
    :param reason: why it is rejected (required to reject; sent to the author)
    :type reason: string
    :returns: the proposal's state
    :rtype: dictionary
    """
    tk.check_access("transparency_reuse_moderate", context, data_dict)
    data = validate(data_dict, schemas.reuse_moderate(), context)
    proposal, package = _proposal(data["id"])
    if proposal.state != "pending":
        raise tk.ValidationError({"decision": [tk._("This reuse was already decided on")]})
    if data["decision"] == "reject" and not data.get("reason"):
        raise tk.ValidationError({"reason": [tk._("Say why the reuse is rejected: its author is told")]})
    if data["decision"] == "approve":
        tk.get_action("package_patch")(site_context(), {"id": package.id, "private": False})
    else:
        tk.get_action("package_delete")(site_context(), {"id": package.id})
    proposal.state = "approved" if data["decision"] == "approve" else "rejected"
    proposal.reason = data.get("reason")
    proposal.decided_by = model.User.get(context["user"]).id
    proposal.decided = datetime.datetime.utcnow()
    author = model.Session.get(model.User, proposal.user_id)
    mail.send([author.email] if author.email else [], f"transparency/emails/reuse/{proposal.state}.txt",
              proposal.lang, title=package.title, name=package.name, reason=proposal.reason or "")
    model.repo.commit()
    mail.send_soon()
    return proposal.as_dict()
