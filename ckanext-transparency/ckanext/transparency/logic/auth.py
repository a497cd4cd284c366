"""Authorization of the transparency portal's actions."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from .. import ati, portal

__all__ = [
    "transparency_statistics",
    "transparency_ati_request_submit",
    "transparency_ati_request_transition",
    "transparency_ati_request_history",
    "transparency_ati_requester_show",
    "transparency_ati_request_list_mine",
    "transparency_ati_inbox",
    "transparency_ati_request_audit",
    "transparency_milestone_update_record",
    "transparency_contribution_create",
    "transparency_contribution_moderate",
    "transparency_contribution_answer",
    "transparency_consultation_report_publish",
    "transparency_contribution_export",
    "transparency_bulk_upload",
    "transparency_publication_coverage",
    "package_create",
    "package_update",
    "package_patch",
    "package_delete",
]


def _signed_in(context: Context) -> AuthResult:
    if authz.auth_is_anon_user(context):
        return {"success": False, "msg": tk._("Sign in first")}
    return {"success": True}


@tk.auth_allow_anonymous_access
def transparency_statistics(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone, signed in or not: the figures are public."""
    return {"success": True}


def transparency_ati_request_submit(context: Context, data_dict: DataDict) -> AuthResult:
    """Any signed-in user may file a request."""
    return _signed_in(context)


def transparency_ati_request_transition(context: Context, data_dict: DataDict) -> AuthResult:
    """The requester, the institution's officers and sysadmins; which transition
    each may make is the workflow's rule (``context['ati_roles']``)."""
    if not context.get("ati_roles"):
        return {"success": False, "msg": tk._("Only the requester and the institution's officers may act on a request")}
    return {"success": True}


@tk.auth_allow_anonymous_access
def transparency_ati_request_history(context: Context, data_dict: DataDict) -> AuthResult:
    """Whoever may see the request may read its history."""
    return authz.is_authorized("package_show", context, data_dict)


def transparency_ati_requester_show(context: Context, data_dict: DataDict) -> AuthResult:
    """The requester, the officers of the institution asked and sysadmins."""
    user = model.User.get(context.get("user") or "")
    who = ati.requester(data_dict["id"])
    if user is not None and (portal.is_officer(user, data_dict["owner_org"])
                             or (who is not None and who.user_id == user.id)):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the requester and the institution's officers may see who asked")}


def transparency_ati_request_list_mine(context: Context, data_dict: DataDict) -> AuthResult:
    return _signed_in(context)


def transparency_ati_inbox(context: Context, data_dict: DataDict) -> AuthResult:
    """The institution's officers (editors and admins) and sysadmins."""
    return _officer_of(context, data_dict["id"], tk._("Only the institution's officers may see its inbox"))


def transparency_ati_request_audit(context: Context, data_dict: DataDict) -> AuthResult:
    """Sysadmins only (CKAN grants them every action before this is asked)."""
    return {"success": False, "msg": tk._("Only sysadmins may read the audit trail")}


def transparency_contribution_create(context: Context, data_dict: DataDict) -> AuthResult:
    """Any signed-in user may contribute (the action checks that the window is open)."""
    return _signed_in(context)


def _officer_of(context: Context, org_id: str, refusal: str) -> AuthResult:
    if portal.is_officer(model.User.get(context.get("user") or ""), org_id):
        return {"success": True}
    return {"success": False, "msg": refusal}


def _organizing_officer(context: Context, data_dict: DataDict) -> AuthResult:
    return _officer_of(context, data_dict["owner_org"],
                       tk._("Only the officers of the institution in charge may do this"))


def transparency_milestone_update_record(context: Context, data_dict: DataDict) -> AuthResult:
    """Officers of the commitment's lead institution and sysadmins."""
    return _organizing_officer(context, data_dict)


def transparency_contribution_moderate(context: Context, data_dict: DataDict) -> AuthResult:
    """Officers of the organizing institution and sysadmins (also: who sees pending contributions)."""
    return _organizing_officer(context, data_dict)


def transparency_contribution_answer(context: Context, data_dict: DataDict) -> AuthResult:
    return _organizing_officer(context, data_dict)


def transparency_consultation_report_publish(context: Context, data_dict: DataDict) -> AuthResult:
    return _organizing_officer(context, data_dict)


def transparency_contribution_export(context: Context, data_dict: DataDict) -> AuthResult:
    """The export holds contributors' contact details: officers of the organizing institution only."""
    return _organizing_officer(context, data_dict)


@tk.auth_allow_anonymous_access
def transparency_publication_coverage(context: Context, data_dict: DataDict) -> AuthResult:
    """Public: it counts public publications only."""
    return {"success": True}


def transparency_bulk_upload(context: Context, data_dict: DataDict) -> AuthResult:
    """Officers (editors) of the institution whose records are uploaded, and sysadmins."""
    return _officer_of(context, data_dict["owner_org"],
                       tk._("Only the officers of the institution may upload its records"))


# ATI requests change through the workflow only (which acts with ignore_auth):
# nobody but a sysadmin creates, edits or deletes one through the generic actions.

def _is_ati_request(data_dict: DataDict) -> bool:
    if data_dict.get("type") == "ati-request":
        return True
    pkg = model.Package.get(data_dict.get("id") or data_dict.get("name") or "")
    return pkg is not None and pkg.type == "ati-request"


def _workflow_only(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    if data_dict and _is_ati_request(data_dict) and not authz.is_sysadmin(context.get("user")):
        return {"success": False, "msg": tk._("Requests for information change through their workflow only")}
    return next_auth(context, data_dict)


@tk.chained_auth_function
def package_create(next_auth: AuthFunction, context: Context, data_dict: DataDict | None = None) -> AuthResult:
    return _workflow_only(next_auth, context, data_dict or {})


@tk.chained_auth_function
def package_update(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    return _workflow_only(next_auth, context, data_dict)


@tk.chained_auth_function
def package_patch(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    return _workflow_only(next_auth, context, data_dict)


@tk.chained_auth_function
def package_delete(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    return _workflow_only(next_auth, context, data_dict)
