"""Authorization of the transparency portal's actions."""
from __future__ import annotations

from typing import Callable

import sqlalchemy as sa

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from .. import ati, portal, reuses, workflow

__all__ = [
    "transparency_statistics",
    "transparency_ati_request_submit",
    "transparency_ati_similar",
    "transparency_institutions_import",
    "transparency_institution_show",
    "transparency_ati_request_transition",
    "transparency_ati_request_history",
    "transparency_ati_requester_show",
    "transparency_ati_request_list_mine",
    "transparency_ati_inbox",
    "transparency_cdai_inbox",
    "transparency_cdai_decision_list",
    "transparency_ati_batch_show",
    "transparency_ati_request_audit",
    "transparency_ati_answer_preview",
    "transparency_ati_request_redact",
    "transparency_milestone_update_record",
    "transparency_contribution_create",
    "transparency_contribution_moderate",
    "transparency_contribution_answer",
    "transparency_consultation_report_publish",
    "transparency_contribution_export",
    "transparency_contribution_support",
    "transparency_consultation_draft_load",
    "transparency_contribution_link",
    "transparency_bulk_upload",
    "transparency_publication_coverage",
    "transparency_saved_search_create",
    "transparency_saved_search_list",
    "transparency_follow_stop",
    "transparency_reuse_propose",
    "transparency_reuse_proposal_list",
    "transparency_reuse_moderate",
    "package_create",
    "user_show",
    "user_list",
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
    """Any signed-in user may file a request; a request received on paper, at the
    counter or by post is registered by the officers of the institution that received it."""
    if data_dict.get("channel") in (None, "", "online"):
        return _signed_in(context)
    owner = data_dict.get("owner_org")
    return _officer_of(context, owner if isinstance(owner, str) else "",
                       tk._("Only the institution's officers register the requests it received off the portal"))


@tk.auth_allow_anonymous_access
def transparency_ati_batch_show(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone: the batch page lists public records."""
    return {"success": True}


@tk.auth_allow_anonymous_access
def transparency_ati_similar(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone: it shows public records only."""
    return {"success": True}


def transparency_institutions_import(context: Context, data_dict: DataDict) -> AuthResult:
    """Sysadmins only (who pass before any auth function)."""
    return {"success": False, "msg": tk._("Only sysadmins may import institutions")}


@tk.auth_allow_anonymous_access
def transparency_institution_show(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone: an institution's record is public."""
    return {"success": True}


@tk.auth_sysadmins_check
def transparency_ati_request_transition(context: Context, data_dict: DataDict) -> AuthResult:
    """Who may make the transition ``transition`` on the request ``id``: the
    workflow says whose it is (the requester's, the officers' or the CDAI's;
    sysadmins act as officers, never as the requester, and as the CDAI only if members of it)."""
    pkg = model.Package.get(data_dict.get("id") or "")
    if pkg is None or pkg.type != "ati-request":
        return {"success": False, "msg": tk._("No request for information has this id")}
    roles = ati.roles(model.User.get(context.get("user") or ""), {"id": pkg.id, "owner_org": pkg.owner_org})
    if not roles:
        return {"success": False, "msg": tk._("Only the requester and the institution's officers may act on a request")}
    transition = workflow.TRANSITIONS.get(data_dict.get("transition") or "")
    if transition is not None and transition.actor not in roles:
        return {"success": False, "msg": tk._("You may not make the transition {name} on this request").format(
            name=transition.name)}
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


def transparency_saved_search_create(context: Context, data_dict: DataDict) -> AuthResult:
    """Any signed-in user may follow a search."""
    return _signed_in(context)


def transparency_saved_search_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Signed-in users see and stop their own saved searches."""
    return _signed_in(context)


@tk.auth_allow_anonymous_access
def transparency_follow_stop(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone with a digest's link: the signed token is the proof."""
    return {"success": True}


def transparency_ati_inbox(context: Context, data_dict: DataDict) -> AuthResult:
    """The institution's officers (editors and admins) and sysadmins."""
    return _officer_of(context, data_dict["id"], tk._("Only the institution's officers may see its inbox"))


@tk.auth_sysadmins_check
def transparency_cdai_inbox(context: Context, data_dict: DataDict) -> AuthResult:
    """Members of the CDAI's organization, sysadmins included only if members."""
    if portal.is_cdai(model.User.get(context.get("user") or "")):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the CDAI has this inbox")}


@tk.auth_allow_anonymous_access
def transparency_cdai_decision_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Anyone: the register holds what the requests publish."""
    return {"success": True}


def transparency_ati_request_audit(context: Context, data_dict: DataDict) -> AuthResult:
    """Sysadmins only (CKAN grants them every action before this is asked)."""
    return {"success": False, "msg": tk._("Only sysadmins may read the audit trail")}


def transparency_ati_answer_preview(context: Context, data_dict: DataDict) -> AuthResult:
    """The institution's officers, who answer (and sysadmins)."""
    return _officer_of(context, data_dict["owner_org"], tk._("Only the institution's officers answer a request"))


def transparency_ati_request_redact(context: Context, data_dict: DataDict) -> AuthResult:
    """The CDAI: sysadmins only (CKAN grants them every action before this is asked)."""
    return {"success": False, "msg": tk._("Only the CDAI may redact a published request")}


def transparency_contribution_create(context: Context, data_dict: DataDict) -> AuthResult:
    """Any signed-in user may contribute (the action checks that the window is open)."""
    return _signed_in(context)


def transparency_reuse_propose(context: Context, data_dict: DataDict) -> AuthResult:
    """Any signed-in user may propose a reuse (the action applies the daily limit)."""
    return _signed_in(context)


def transparency_reuse_proposal_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Signed-in users: the list holds only the proposals each may decide on."""
    return _signed_in(context)


def transparency_reuse_moderate(context: Context, data_dict: DataDict) -> AuthResult:
    """The officers of an institution whose dataset the reuse uses (and sysadmins)."""
    package = model.Package.get(data_dict.get("id") or "")
    user = model.User.get(context.get("user") or "")
    if package is not None and any(portal.is_officer(user, org) for org in reuses.moderating_orgs(package)):
        return {"success": True}
    return {"success": False, "msg": tk._("Only the officers of an institution whose data the reuse uses decide on it")}


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


def transparency_contribution_support(context: Context, data_dict: DataDict) -> AuthResult:
    """Any signed-in user may support a published contribution, once (the action checks)."""
    return _signed_in(context)


def transparency_consultation_draft_load(context: Context, data_dict: DataDict) -> AuthResult:
    return _organizing_officer(context, data_dict)


def transparency_contribution_link(context: Context, data_dict: DataDict) -> AuthResult:
    return _organizing_officer(context, data_dict)


@tk.auth_allow_anonymous_access
def transparency_publication_coverage(context: Context, data_dict: DataDict) -> AuthResult:
    """Public: it counts public publications only."""
    return {"success": True}


def transparency_bulk_upload(context: Context, data_dict: DataDict) -> AuthResult:
    """Officers (editors) of the institution whose records are uploaded, and sysadmins."""
    return _officer_of(context, data_dict["owner_org"],
                       tk._("Only the officers of the institution may upload its records"))


# ATI requests change through their workflow only (whose actions act with
# ignore_auth): no generic action, whoever calls it, sysadmins included, creates,
# edits, hides, deletes, moves or re-shares one. Each guarded auth function is
# named with the way to find the packages its data_dict touches.

def _ids(*keys: str) -> Callable[[DataDict], list[str]]:
    return lambda data_dict: [data_dict[key] for key in keys if isinstance(data_dict.get(key), str)]


def _resource_package(resource_key: str) -> Callable[[DataDict], list[str]]:
    def find(data_dict: DataDict) -> list[str]:
        resource = model.Resource.get(data_dict.get(resource_key) or "")
        return [resource.package_id] if resource is not None else []
    return find


def _view_package(data_dict: DataDict) -> list[str]:
    view = model.ResourceView.get(data_dict.get("id") or "")
    return _resource_package("id")({"id": view.resource_id}) if view is not None else []


def _member_package(data_dict: DataDict) -> list[str]:
    return _ids("object")(data_dict) if data_dict.get("object_type") == "package" else []


def _bulk_packages(data_dict: DataDict) -> list[str]:
    datasets = data_dict.get("datasets")
    return [d for d in (datasets if isinstance(datasets, list) else [datasets]) if isinstance(d, str)]


_GUARDED: dict[str, Callable[[DataDict], list[str]]] = {
    "package_update": _ids("id", "name"), "package_patch": _ids("id", "name"),
    "package_delete": _ids("id", "name"), "dataset_purge": _ids("id", "name"),
    "package_owner_org_update": _ids("id"),
    "package_collaborator_create": _ids("id"), "package_collaborator_delete": _ids("id"),
    "package_relationship_create": _ids("subject", "object"),
    "resource_create": lambda d: _ids("package_id")(d) or _resource_package("id")(d),
    "resource_update": _resource_package("id"), "resource_patch": _resource_package("id"),
    "resource_delete": _resource_package("id"),
    "resource_view_create": _resource_package("resource_id"),
    "resource_view_update": _view_package, "resource_view_delete": _view_package,
    "member_create": _member_package, "member_delete": _member_package,
    "bulk_update_private": _bulk_packages, "bulk_update_public": _bulk_packages,
    "bulk_update_delete": _bulk_packages,
}


def _touches_request(ids: list[str]) -> bool:
    if not ids:
        return False
    return model.Session.query(model.Package.id).filter(
        sa.or_(model.Package.id.in_(ids), model.Package.name.in_(ids)),
        model.Package.type == "ati-request").first() is not None


def _workflow_only(locate: Callable[[DataDict], list[str]]) -> AuthFunction:
    @tk.chained_auth_function
    @tk.auth_sysadmins_check
    def guard(next_auth: AuthFunction, context: Context, data_dict: DataDict | None = None) -> AuthResult:
        data_dict = data_dict or {}
        if _touches_request(locate(data_dict)):
            return {"success": False, "msg": tk._("Requests for information change through their workflow only")}
        if authz.is_sysadmin(context.get("user")):
            return {"success": True}  # what CKAN grants sysadmins before asking, here asked on their behalf
        return next_auth(context, data_dict)
    return guard


@tk.chained_auth_function
@tk.auth_sysadmins_check
def package_create(next_auth: AuthFunction, context: Context, data_dict: DataDict | None = None) -> AuthResult:
    """Requests are filed through ``transparency_ati_request_submit`` only."""
    if (data_dict or {}).get("type") == "ati-request":
        return {"success": False, "msg": tk._("Requests for information are filed with the request form only")}
    if authz.is_sysadmin(context.get("user")):
        return {"success": True}
    return next_auth(context, data_dict)


# The people's directory is private: registration is open, so "signed in" says
# nothing about who someone is. Officers see requesters through requests only.

@tk.chained_auth_function
def user_show(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """One's own account; an institution's admins see the accounts of its members (to
    manage their roles); sysadmins see all (CKAN grants them before asking)."""
    viewer = model.User.get(context.get("user") or "")
    target = model.User.get(data_dict.get("id") or "") if data_dict.get("id") else context.get("user_obj")
    if viewer is not None and target is not None and (viewer.id == target.id or _admin_of_member(viewer, target)):
        return next_auth(context, data_dict)
    return {"success": False, "msg": tk._("The accounts of other people are not public")}


def _admin_of_member(admin: model.User, member: model.User) -> bool:
    """Whether ``member`` belongs to an institution that ``admin`` administers."""
    theirs = model.Session.query(model.Member.group_id).filter(
        model.Member.table_name == "user", model.Member.table_id == member.id, model.Member.state == "active")
    return model.Session.query(model.Member.id).filter(
        model.Member.table_name == "user", model.Member.table_id == admin.id, model.Member.state == "active",
        model.Member.capacity == "admin", model.Member.group_id.in_(theirs.scalar_subquery())).first() is not None


@tk.chained_auth_function
def user_list(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """Sysadmins only (CKAN grants them before asking); also guards ``user_autocomplete``."""
    return {"success": False, "msg": tk._("Only sysadmins may list the portal's users")}


def get_auth_functions() -> dict[str, AuthFunction]:
    """The portal's auth functions and the guards of the generic actions (``plugin.py``)."""
    functions: dict[str, AuthFunction] = {name: globals()[name] for name in __all__}
    functions.update({name: _workflow_only(locate) for name, locate in _GUARDED.items()})
    return functions
