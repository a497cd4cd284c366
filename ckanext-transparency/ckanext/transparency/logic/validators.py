"""Validators named in the schemas (``schemas/*.yaml``)."""
from __future__ import annotations

import datetime
import json
import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context

from .. import ati, choices, privacy, uploads

_OGP_ID = re.compile(r"^[A-Z]{2}\d{4}$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def transparency_ogp_id(value: Any, context: Context) -> Any:
    """An OGP commitment id: two capital letters and four digits (``MO0006``)."""
    if not _OGP_ID.match(value or ""):
        raise tk.Invalid(tk._("An OGP id is two capital letters and four digits, e.g. MO0006"))
    return value


def transparency_unique_ogp_id(key: Any, data: dict[Any, Any], errors: dict[Any, Any], context: Context) -> None:
    """No other commitment has this OGP id."""
    value = data.get(key)
    if not value:
        return
    query = (
        model.Session.query(model.PackageExtra.package_id)
        .join(model.Package, model.Package.id == model.PackageExtra.package_id)
        .filter(model.PackageExtra.key == "ogp_id", model.PackageExtra.value == value,
                model.PackageExtra.state == "active", model.Package.state != "deleted")
    )
    package_id = data.get(("id",))
    if package_id:
        query = query.filter(model.Package.id != package_id)
    if query.first():
        errors[key].append(tk._("Another commitment already has the OGP id {id}").format(id=value))


def transparency_name_not_reserved(value: Any, context: Context) -> Any:
    """Not a name of the form of requests' tracking numbers, which only requests take."""
    if ati.RESERVED_NAME.match(value or ""):
        raise tk.Invalid(tk._("Addresses of the form DAI-year-number are kept for requests for information"))
    return value


def transparency_action_plan_exists(value: Any, context: Context) -> Any:
    """The name or id of an existing action plan."""
    if value:
        pkg = model.Package.get(value)
        if pkg is None or pkg.type != "action-plan" or pkg.state == "deleted":
            raise tk.Invalid(tk._("No action plan is named {name}").format(name=value))
        return pkg.name
    return value


def transparency_month(value: Any, context: Context) -> Any:
    """A month written YYYY-MM."""
    if value and not _MONTH.match(value):
        raise tk.Invalid(tk._("Write the month as YYYY-MM, e.g. 2019-03"))
    return value


def transparency_date(value: Any, context: Context) -> Any:
    """A day written YYYY-MM-DD, as a date."""
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise tk.Invalid(tk._("Write the date as YYYY-MM-DD, e.g. 2026-01-31"))


def transparency_datasets_exist(value: Any, context: Context) -> Any:
    """Every name of the list is a public dataset of the catalogue."""
    names = json.loads(value) if isinstance(value, str) else value
    for name in names or []:
        pkg = model.Package.get(name)
        if pkg is None or pkg.type != "dataset" or pkg.state != "active" or pkg.private:
            raise tk.Invalid(tk._("No dataset is named {name}").format(name=name))
    return value


def transparency_max_length(length: int):
    """At most ``length`` characters."""
    def validator(value: Any, context: Context) -> Any:
        if isinstance(value, str) and len(value) > length:
            raise tk.Invalid(tk._("At most {max} characters (this text has {length})").format(
                max=length, length=len(value)))
        return value
    return validator


def transparency_between(lowest: int, highest: int):
    """A whole number from ``lowest`` to ``highest``."""
    def validator(value: Any, context: Context) -> Any:
        number = tk.get_validator("int_validator")(value, context)
        if number is None or not lowest <= number <= highest:
            raise tk.Invalid(tk._("A whole number from {lowest} to {highest}").format(lowest=lowest, highest=highest))
        return number
    return validator


def transparency_no_null(value: Any, context: Context) -> Any:
    """Text without NUL characters (PostgreSQL refuses them)."""
    if isinstance(value, str) and "\x00" in value:
        raise tk.Invalid(tk._("The text contains a NUL character"))
    return value


def transparency_organization(value: Any, context: Context) -> Any:
    """The name or id of an active institution (organization); returns its id."""
    group = model.Group.get(value) if isinstance(value, str) and "\x00" not in value else None
    if group is None or not group.is_organization or group.state != "active":
        raise tk.Invalid(tk._("No institution is named {name}").format(name=value))
    return group.id


def transparency_organizations(value: Any, context: Context) -> Any:
    """Names or ids of active institutions (a list, or one); returns their ids."""
    values = value if isinstance(value, list) else [value]
    return [transparency_organization(v, context) for v in values if v != ""]


def transparency_required_online(key: Any, data: dict[Any, Any], errors: dict[Any, Any], context: Context) -> None:
    """Required of a request filed on the portal; an officer registering one received
    otherwise may leave it empty (the requester may have given no e-mail)."""
    if data.get(("channel",)) in (None, "", "online") and not data.get(key):
        errors[key].append(tk._("Missing value"))


def transparency_ati_choice(field_name: str):
    """One of the values of the choice field ``field_name`` of the ati-request schema."""
    def validator(value: Any, context: Context) -> Any:
        values = choices.values("ati-request", field_name)
        if value not in values:
            raise tk.Invalid(tk._("Choose one of: {values}").format(values=", ".join(values)))
        return value
    return validator


def transparency_id_number(value: Any, context: Context) -> Any:
    """A CIN or residence document number (letters then digits, e.g. AB123456)."""
    value = privacy.normalize_id_number(value)
    if not privacy.ID_NUMBER.match(value):
        raise tk.Invalid(tk._("A CIN or residence number is one or two letters then digits, e.g. AB123456"))
    return value


def transparency_email(value: Any, context: Context) -> Any:
    if not privacy.EMAIL.match(value) or len(value) > 254:
        raise tk.Invalid(tk._("Write an e-mail address such as name@example.ma"))
    return value


def transparency_phone(value: Any, context: Context) -> Any:
    if value and not privacy.PHONE.match(value):
        raise tk.Invalid(tk._("Write a phone number with digits only, e.g. +212 5 37 00 00 00"))
    return value


def transparency_required_if_urgent(key: Any, data: dict[Any, Any], errors: dict[Any, Any], context: Context) -> None:
    """An urgent request says why (art. 17: life, safety or freedom at stake)."""
    urgent = data.get(("urgent",))
    if urgent in (True, "true", "True", "on", "1", "yes") and not data.get(key):
        errors[key].append(tk._("Say why the request is urgent (life, safety or freedom at stake)"))


def transparency_document(value: Any, context: Context) -> Any:
    """An uploaded document that ``uploads.check`` accepts."""
    if not uploads.is_upload(value):
        if value in ("", None):
            return value
        raise tk.Invalid(tk._("Send the document as a file upload"))
    uploads.check(value)
    return value


def transparency_image(value: Any, context: Context) -> Any:
    """An uploaded image that ``uploads.check_image`` accepts."""
    if value in ("", None):
        return value
    if not uploads.is_upload(value):
        raise tk.Invalid(tk._("Send the image as a file upload"))
    uploads.check_image(value)
    return value


def transparency_licence(value: Any, context: Context) -> Any:
    """One of the open licences of ``ckanext.transparency.licences``; empty: the default licence."""
    if value in (None, "", tk.missing):
        return tk.config.get("ckanext.transparency.default_licence")
    allowed = tk.config.get("ckanext.transparency.licences")
    if value not in allowed:
        raise tk.Invalid(tk._("Choose an open licence: {licences}").format(licences=", ".join(allowed)))
    return value


def transparency_boolean(value: Any, context: Context) -> Any:
    """true or false, written as a JSON boolean, 0 / 1, or true, false, yes, no, on, off."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "on", "1", "false", "no", "off", "0", ""):
        return value.strip().lower() in ("true", "yes", "on", "1")
    raise tk.Invalid(tk._("Write true or false"))


def transparency_search_filters(value: Any, context: Context) -> Any:
    """A search page's filters: at most 20 ``[field, value]`` pairs, fields named as
    the index names them (``organization``, ``category``, ``res_format``...)."""
    if isinstance(value, str):
        try:
            value = json.loads(value or "[]")
        except ValueError:
            value = None
    if not isinstance(value, list) or len(value) > 20 or not all(
            isinstance(pair, (list, tuple)) and len(pair) == 2 and all(isinstance(v, str) for v in pair)
            and re.fullmatch(r"[a-z][a-z0-9_]{0,60}", pair[0]) and 0 < len(pair[1]) <= 200 for pair in value):
        raise tk.Invalid(tk._("Filters are a list of at most 20 [field, value] pairs"))
    return [list(pair) for pair in value]
