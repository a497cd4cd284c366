"""Where a harvested record lands: its institution and its theme. Plain rules, no CKAN.

A harvest source's configuration (JSON) may map the remote catalogue's organizations
to the portal's institutions, ``{"institutions": {"remote-org": "local-institution"}}``,
and name the theme of records that carry none the portal knows, ``{"theme": "ECON"}``.
"""
from __future__ import annotations

import json
from typing import Any, Collection, Iterable

from .workflow import N_

# The theme of a record that names none of the portal's: the public sector's.
DEFAULT_THEME = "GOVE"


def source_settings(config: str | None) -> dict[str, Any]:
    """The source's configuration as a dict; ``ValueError`` with the reason (a message of
    the catalogues) when the mapping or the theme are not what the portal reads."""
    settings = json.loads(config) if config else {}
    if not isinstance(settings, dict):
        raise ValueError(N_("The configuration must be a JSON object."))
    mapping = settings.get("institutions", {})
    if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in mapping.items()):
        raise ValueError(N_('"institutions" must map the names of remote organizations to names of institutions.'))
    if not isinstance(settings.get("theme", ""), str):
        raise ValueError(N_('"theme" must be a theme code, such as "ECON".'))
    return settings


def institution_candidates(remote: Iterable[str | None], mapping: dict[str, str]) -> list[str]:
    """The portal's institutions to try for a record of the remote organization known by
    the names in ``remote`` (its name, title, URI), in order: the mapped ones, then one of
    the same name. The caller takes the first that exists, else the source's own."""
    names = [name.strip() for name in remote if name and name.strip()]
    mapped = [mapping[name] for name in names if name in mapping]
    return list(dict.fromkeys(mapped + names))


def theme(given: Iterable[str], known: Collection[str], default: str | None) -> str:
    """The first of ``given`` (a code, or the EU data-theme IRI ending with it) that is one of
    the portal's themes ``known``, else ``default`` if known, else ``DEFAULT_THEME``."""
    for value in given:
        code = value.strip().rstrip("/").rsplit("/", 1)[-1].upper()
        if code in known:
            return code
    return default if default in known else DEFAULT_THEME
