"""Every page type, in French, Arabic and English, signed out and as each role,
read as a person reads it.

A page fails when it shows:

- an interface string in the wrong language. The reference is no hand-made
  list: it is every message of CKAN's catalogue and of the bundle's (their
  English ``msgid``). On a French or Arabic page, a text (or a placeholder,
  aria-label, title, alt) that is such a message, or fills one of its patterns
  (``{number} {dataset_type} found``), and is not also a translation in that
  language, is English that bypassed the catalogues or that they leave
  untranslated. On an English page, a French translation that is not English
  too is French where English was due. A pseudo-locale would also catch strings
  outside every catalogue, but needs a fourth catalogue kept in step with three;
  the catalogues themselves are the list of what must be translated.
- a Python value printed into the HTML (``{'``, ``['``, ``None``, ``True``, ``False``, ``[]``);
- text of the other script without its language: Latin words on an Arabic page,
  Arabic words on a French or English page, outside an element whose ``lang``
  says so (identifiers and acronyms, written in Latin letters in Arabic too, apart).
"""
from __future__ import annotations

import collections
import os
import re
from typing import Any, Iterator

import pytest
from babel.messages.pofile import read_po
from babel.support import Translations
from bs4 import BeautifulSoup, NavigableString

import ckan
import ckanext.transparency
from ckan.cli.cli import ckan as ckan_command
from ckan.tests import helpers

from conftest import run_jobs

LANGUAGES = ("fr", "ar", "en")
ROLES = {"anonymous": None, "citizen": "demo-citizen", "officer": "demo-officer", "sysadmin": "demo-admin"}
CKAN_I18N = os.path.join(os.path.dirname(ckan.__file__), "i18n")
OUR_I18N = os.path.join(os.path.dirname(ckanext.transparency.__file__), "i18n")

ARABIC = re.compile(r"[\u0600-\u06FF]{2,}")
# A word of Latin letters that is not an identifier: acronyms (CSV, OGP, MO0006),
# tracking numbers, file names and addresses are written in Latin letters in Arabic too.
LATIN_WORD = re.compile(r"(?<![\w@./:-])[A-Za-zÀ-ÿ][a-zà-ÿ]+(?:['’][A-Za-zÀ-ÿ]+)?(?![\w@./:-])")
PYTHON_VALUE = re.compile(r"\{'|\['|^\[\]$|^\{\}$|\bNone\b|\bTrue\b|\bFalse\b")
ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")
SKIPPED = ["script", "style", "code", "pre", "noscript", "textarea"]


def _msgids() -> tuple[set[str], list[str]]:
    """Every English message of CKAN's and the bundle's catalogues: literal ones,
    and those with placeholders as patterns."""
    literal, patterns = set(), []
    for pot in (os.path.join(CKAN_I18N, "ckan.pot"), os.path.join(OUR_I18N, "ckanext-transparency.pot")):
        with open(pot, "rb") as f:
            for message in read_po(f):
                for msgid in message.id if isinstance(message.id, tuple) else (message.id,):
                    if not msgid or "<" in msgid or "\n" in msgid:
                        continue
                    parts = re.split(r"\{[^}]*\}|%\([^)]*\)[sd]|%[sd]", msgid)
                    if len(parts) == 1:
                        literal.add(msgid)
                    elif sum(len(re.sub(r"[^A-Za-z]", "", p)) for p in parts) >= 8:
                        patterns.append(r".+?".join(re.escape(p) for p in parts))
    return literal, patterns


def _translations(lang: str) -> set[str]:
    """Every text the catalogues of ``lang`` give, CKAN's then the bundle's (as CKAN merges them)."""
    merged = Translations.load(CKAN_I18N, [lang], "ckan")
    merged.merge(Translations.load(OUR_I18N, [lang], "ckanext-transparency"))
    values = set()
    for value in merged._catalog.values():
        values.add(value)
    return values


class Reader:
    """Reads pages and lists what a reader of their language would find wrong."""

    def __init__(self):
        self.literal, patterns = _msgids()
        self.pattern = re.compile("|".join(f"(?:{p})" for p in patterns))
        self.translated = {lang: _translations(lang) for lang in ("fr", "ar")}
        self.french_only = self.translated["fr"] - self.literal
        self.problems: list[str] = []
        self.read: collections.Counter = collections.Counter()

    def _english(self, text: str, lang: str) -> bool:
        if text in self.translated[lang] or not re.search("[a-z].*[a-z]", text):
            return False  # a translation, or an acronym, a number, a sign
        return text in self.literal or bool(re.search("[A-Za-z]", text) and self.pattern.fullmatch(text))

    def _texts(self, soup: BeautifulSoup) -> Iterator[tuple[Any, str]]:
        for node in soup.find_all(string=True):
            if isinstance(node, NavigableString) and not node.find_parent(SKIPPED) and node.parent.name != "[document]":
                text = " ".join(node.split())
                if text and type(node) is NavigableString:
                    yield node.parent, text
        for element in soup.find_all(True):
            if element.name in ("link", "meta"):
                continue  # read by programs, not shown to a reader
            for attribute in ATTRIBUTES:
                if element.get(attribute) and element.name not in SKIPPED:
                    yield element, " ".join(str(element[attribute]).split())
            if element.name == "input" and element.get("type") in ("submit", "button") and element.get("value"):
                yield element, element["value"]

    def check(self, where: str, body: str, lang: str) -> None:
        soup = BeautifulSoup(body, "html.parser")
        assert soup.html["lang"] == lang, f"{where}: <html lang={soup.html.get('lang')}>"
        for element, text in self._texts(soup):
            marked = element if element.get("lang") else element.find_parent(lang=True)
            text_lang = marked["lang"] if marked else lang
            if element.name in ("title", "option", "bdi") or element.get("dir") == "auto" or \
                    element.find_parent(["bdi", "title"]) or element.find_parent(dir="auto"):
                # <title> and <option> cannot hold markup; <bdi> and dir="auto" isolate text whose language
                # is not known (a person's name, a keyword, a contribution) in its own direction.
                isolated = True
            else:
                isolated = False
            if PYTHON_VALUE.search(text):
                self.problems.append(f"{where}: a Python value: {text[:80]!r}")
            if lang in ("fr", "ar") and text_lang == lang and self._english(text, lang):
                self.problems.append(f"{where}: English: {text[:80]!r}")
            if lang == "en" and text_lang == "en" and text in self.french_only:
                self.problems.append(f"{where}: French: {text[:80]!r}")
            if lang == "ar" and text_lang == "ar" and not isolated and LATIN_WORD.search(text):
                self.problems.append(f"{where}: Latin text without lang: {text[:80]!r}")
            if lang != "ar" and text_lang != "ar" and not isolated and ARABIC.search(text):
                self.problems.append(f"{where}: Arabic text without lang: {text[:80]!r}")


def _csrf(body: str) -> str:
    return re.search(r'name="_csrf_token" value="([^"]+)"', body).group(1)


@pytest.fixture
def demo(portal, cli, loader) -> dict[str, Any]:
    """The demo content: records of every type, institutions, the three demo users, the
    guides; its tables loaded into the DataStore by the worker."""
    loaded = cli.invoke(ckan_command, ["transparency", "demo"])
    assert loaded.exit_code == 0, loaded.output
    run_jobs()
    tokens = {role: {"Authorization": helpers.call_action("api_token_create", {"user": name},
                                                          user=name, name="crawler")["token"]}
              for role, name in ROLES.items() if name}
    records = {}
    for dataset_type in ("dataset", "publication", "action-plan", "commitment", "ati-request",
                         "consultation", "showcase", "indicator"):
        found = helpers.call_action("package_search", fq=f"+dataset_type:{dataset_type}", rows=1, sort="name asc")
        records[dataset_type] = found["results"][0]["name"]
    batch = helpers.call_action("package_search", fq="+dataset_type:ati-request +batch:[* TO *]", rows=1)
    # A resource with its views of each kind: a table (DataStore), a map (GeoJSON), a PDF.
    resources = []
    for name in ("regions-du-maroc", "chefs-lieux-des-regions", "loi-31-13-droit-acces-information"):
        pkg = helpers.call_action("package_show", id=name)
        resource = pkg["resources"][0]
        resources.append(f"/{pkg['type']}/{name}/resource/{resource['id']}")
        resources += [f"/{pkg['type']}/{name}/resource/{resource['id']}/view/{view['id']}"
                      for view in helpers.call_action("resource_view_list", id=resource["id"])]
    return {"tokens": tokens, "records": records, "batch": batch["results"][0]["batch"], "resources": resources}


def _pages(role: str, records: dict[str, str], batch: str, resources: list[str]) -> list[str]:
    """The page types a person of ``role`` reaches."""
    pages = ["/", "/about", "/statistics", "/organization/", "/organization/mrafp", "/publications/coverage",
             "/publications/coverage/mrafp", "/pages/loi-31-13", "/pages/faq", "/pages/guide-publication", "/pages/loi-31-13-ar", "/pages/faq-ar",
             "/pages/guide-publication-ar",
             "/dataset/?q=nothing-is-called-this", "/cdai/decisions", f"/ati-request/batch/{batch}",
             # a commitment that came from a consultation; an indicator computed from the portal's figures
             "/commitment/mo0008", "/indicator/demandes-repondues-dans-les-delais-portail"]
    for dataset_type, name in records.items():
        pages += [f"/{dataset_type}/", f"/{dataset_type}/{name}"]
    pages += resources
    if role != "anonymous":
        pages += ["/ati-request/submit", "/ati-request/mine", "/dashboard/datasets", f"/user/{ROLES[role]}"]
    if role == "officer":
        pages += ["/ati-request/inbox", "/ati-request/register", "/publication/new"]
    if role == "sysadmin":  # demo-admin is a member of the CDAI
        pages += ["/organization/edit/mrafp", "/cdai/inbox"]
    return pages


def test_every_page_in_every_language_for_every_role(app, demo, capsys):
    reader = Reader()
    for role in ROLES:
        headers = demo["tokens"].get(role, {})
        for lang in LANGUAGES:
            prefix = "" if lang == "fr" else f"/{lang}"
            for path in _pages(role, demo["records"], demo["batch"], demo["resources"]):
                response = app.get(prefix + path, headers=headers)
                assert response.status_code == 200, f"{role} {prefix}{path}: {response.status_code}"
                reader.check(f"{role} {prefix}{path}", response.body, lang)
                reader.read[role, lang] += 1
            if role == "citizen":  # a form sent with errors
                form = app.get(prefix + "/ati-request/submit", headers=headers)
                sent = app.post(prefix + "/ati-request/submit", headers=headers,
                                data={"_csrf_token": _csrf(form.body), "email": "x"})
                reader.check(f"{role} {prefix}/ati-request/submit (errors)", sent.body, lang)
                checked = app.post(prefix + "/ati-request/submit", headers=headers, data={
                    "_csrf_token": _csrf(form.body), "title": "demande", "check": "1"})  # the suggestions
                reader.check(f"{role} {prefix}/ati-request/submit (check before sending)", checked.body, lang)
                reader.read[role, lang] += 2
    pages = {path for role in ROLES for path in _pages(role, demo["records"], demo["batch"], demo["resources"])}
    with capsys.disabled():
        print(f"\nread {sum(reader.read.values())} pages: {len(pages)} pages x {len(LANGUAGES)} languages"
              f" x {len(ROLES)} roles (each role reaching its own); {len(reader.problems)} problems")
    assert reader.problems == [], "\n".join(sorted(set(reader.problems)))
