"""Languages: helpers that render text in the reader's language, dates in
Moroccan usage, plural forms, and the bundle's own names."""
from __future__ import annotations

import ast
import collections
import datetime
import gettext
import pathlib
from typing import Any

import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup

import ckan
import ckan.plugins.toolkit as tk
from ckan.tests import helpers
import ckanext.transparency
from ckanext.transparency import core_strings

PACKAGE = pathlib.Path(ckanext.transparency.__file__).parent


def test_no_two_functions_of_a_module_share_a_name():
    """A second definition silently replaces the first (two ``transparency_localized``
    once printed a Python dict as every title of the action plan)."""
    twice = {}
    for path in PACKAGE.rglob("*.py"):
        names = [node.name for node in ast.parse(path.read_text(encoding="utf-8")).body
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
        twice.update({f"{path.relative_to(PACKAGE)}:{name}": n
                      for name, n in collections.Counter(names).items() if n > 1})
    assert twice == {}



@pytest.mark.parametrize("lang, date, moment", [
    ("ar", "29 نونبر 2026", "29 نونبر 2026, 14:05"),
    ("fr", "29 novembre 2026", "29 novembre 2026, 14:05"),
    ("en", "29 November 2026", "29 November 2026, 14:05"),
])
def test_dates_follow_moroccan_usage_in_every_language(app, lang, date, moment):
    """CLDR's ar_MA months (نونبر, not نوفمبر) with Western digits; times in Casablanca (UTC+1)."""
    with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": lang}):
        assert tk.h.render_datetime("2026-11-29") == date
        assert tk.h.render_datetime("2026-11-29T13:05:00", with_hours=True) == moment
        assert tk.h.render_datetime(datetime.date(2026, 5, 1)).split()[1] == {
            "ar": "ماي", "fr": "mai", "en": "May"}[lang]


@pytest.mark.parametrize("count, arabic", [
    (0, "لم يعثر على أي التزام"), (1, "عثر على التزام واحد"), (2, "عثر على التزامين"),
    (3, "عثر على 3 التزامات"), (11, "عثر على 11 التزاما"), (100, "عثر على 100 التزام"),
    (103, "عثر على 103 التزامات"),
])
def test_counts_use_the_six_arabic_plural_forms(app, count, arabic):
    with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": "ar"}):
        assert tk.h.transparency_found("commitment", count) == arabic
    with app.flask_app.test_request_context(environ_overrides={"CKAN_LANG": "fr"}):
        assert tk.h.transparency_found("commitment", count) == (
            f"{count} engagement trouvé" if count < 2 else f"{count} engagements trouvés")


def _catalogue(lang: str, domain: str, directory: pathlib.Path) -> Any:
    with open(directory / lang / "LC_MESSAGES" / f"{domain}.po", "rb") as f:
        return read_po(f)


def test_plural_rules_are_cldr_s_and_ckan_s():
    """CKAN merges the catalogues and keeps the last one's plural rule: ours must be
    CKAN's (CLDR's), or CKAN's own plural messages pick the wrong form."""
    ckan_i18n = pathlib.Path(ckan.__file__).parent / "i18n"
    for lang in ("fr", "ar"):
        ours = _catalogue(lang, "ckanext-transparency", PACKAGE / "i18n")
        theirs = _catalogue(lang, "ckan", ckan_i18n)
        assert ours.num_plurals == theirs.num_plurals
        for n in (0, 1, 2, 3, 10, 11, 99, 100, 102, 1000000):
            assert gettext.c2py(ours.plural_expr)(n) == gettext.c2py(theirs.plural_expr)(n), (lang, n)


def test_every_core_string_is_translated_in_french_and_arabic():
    for lang in ("fr", "ar"):
        catalogue = _catalogue(lang, "ckanext-transparency", PACKAGE / "i18n")
        for message in core_strings.MESSAGES:
            msgid = message[0] if isinstance(message, tuple) else message
            entry = catalogue.get(msgid)
            assert entry is not None and all(entry.string if isinstance(entry.string, tuple) else [entry.string]), \
                (lang, msgid)


def test_institutions_and_the_portal_are_named_in_the_readers_language(app, sysadmin):
    helpers.call_action("organization_create", {"user": sysadmin["name"]}, name="hcp",
                        title="Haut-Commissariat au Plan", title_ar="المندوبية السامية للتخطيط", acronym="HCP",
                        kind="high-commission")
    for prefix, name, lang, site in (("", "Haut-Commissariat au Plan", "fr", "Portail national de la transparence"),
                                     ("/ar", "المندوبية السامية للتخطيط", "ar", "البوابة الوطنية للشفافية"),
                                     ("/en", "Haut-Commissariat au Plan", "fr", "National Transparency Portal")):
        page = BeautifulSoup(app.get(prefix + "/organization/").body, "html.parser")
        heading = page.select_one(".media-heading bdi")
        assert (heading.get_text(), heading["lang"]) == (name, lang)
        assert page.select_one(".transparency-site-title").get_text(strip=True) == site
        assert page.title.get_text().strip().endswith(site)
        assert page.select_one(".transparency-logo img")["src"].endswith("/transparency/logo.svg")
        footer = {a.get_text(strip=True): a["href"] for a in page.select(".site-footer a")}
        assert any(href.endswith("/pages/loi-31-13" + ("-ar" if lang == "ar" else "")) for href in footer.values())
    shown = helpers.call_action("organization_show", id="hcp")
    assert (shown["acronym"], shown["kind"]) == ("HCP", "high-commission")
