"""What the parts of the portal share: the date in Morocco, who is an institution's officer."""
from __future__ import annotations

import datetime
import zoneinfo

import ckan.plugins.toolkit as tk
from ckan import authz, model
from flask import has_request_context
from ckan.types import Context


def now() -> datetime.datetime:
    """The current time, aware, in the portal's time zone (Morocco), whatever the server's."""
    return datetime.datetime.now(zoneinfo.ZoneInfo(tk.config.get("ckan.display_timezone") or "UTC"))


def today() -> datetime.date:
    return now().date()


def is_officer(user: model.User | None, org_id: str) -> bool:
    """An editor or admin of the institution (its information officers), or a sysadmin."""
    return bool(user) and authz.has_user_permission_for_group_or_org(org_id, user.name, "update_dataset")


def is_cdai(user: model.User | None) -> bool:
    """A member of the CDAI's organization (``ckanext.transparency.cdai_organization``)."""
    cdai = model.Group.get(tk.config.get("ckanext.transparency.cdai_organization"))
    return bool(user) and cdai is not None and cdai.is_organization and model.Session.query(model.Member.id).filter(
        model.Member.group_id == cdai.id, model.Member.table_name == "user", model.Member.table_id == user.id,
        model.Member.state == "active").first() is not None


def language() -> str:
    """The reader's language: the page's; outside a web request, English, the
    language of the strings that gettext gives there."""
    return tk.h.lang() if has_request_context() else "en"


def current_user() -> model.User | None:
    """The signed-in user of the web request, or None."""
    return model.User.get(tk.current_user.name) if tk.current_user.is_authenticated else None


def user_context() -> dict[str, str]:
    """An action context acting as the signed-in user of the web request (or anonymous)."""
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def site_context() -> Context:
    """Acts as the site user: workflow changes are made by the portal, not by hand,
    and no personal account appears in the package or its activity."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    return {"user": site_user["name"], "ignore_auth": True}
