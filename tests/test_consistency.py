"""One truth per fact: the lists of the schemas, the plain rule modules, the pages
and the catalogues agree (issue 21)."""
from __future__ import annotations

import glob
import os

import pytest
import yaml
from babel.messages.pofile import read_po

from ckanext.transparency import choices, privacy, progress, workflow

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
I18N = os.path.join(ROOT, "ckanext-transparency", "ckanext", "transparency", "i18n")


@pytest.fixture
def schemas(with_plugins):
    """The schemas as scheming reads them."""


def test_request_states_and_outcomes_are_the_workflow_s(schemas):
    assert choices.values("ati-request", "ati_state") == list(workflow.ALL_STATES)
    assert choices.values("ati-request", "outcome") == list(workflow.OUTCOMES)
    assert choices.values("ati-request", "cdai_decision") == list(workflow.CDAI_DECISIONS)
    for transition in workflow.TRANSITIONS.values():
        assert transition.sources <= set(workflow.ALL_STATES), transition.name
        assert transition.target is None or transition.target in workflow.ALL_STATES, transition.name
    assert workflow.OPEN <= set(workflow.ALL_STATES)


def test_milestone_states_are_the_progress_rule_s(schemas):
    assert set(choices.values("commitment", "milestones", "state")) == set(progress.SHARE) | {"cancelled"}


def test_the_id_number_the_form_accepts_is_the_one_masking_finds():
    assert privacy.mask("CIN AB1234") == f"CIN {privacy.MASK}" and privacy.ID_NUMBER.match("AB1234")


def _labels(node):
    """Every label of a schema (``label``, choices' labels), wherever it sits."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("label", "help_text", "form_placeholder") and isinstance(value, dict):
                yield value
            else:
                yield from _labels(value)
    elif isinstance(node, list):
        for item in node:
            yield from _labels(item)


@pytest.mark.parametrize("path", sorted(glob.glob(os.path.join(ROOT, "schemas", "*.yaml"))),
                         ids=os.path.basename)
def test_every_schema_label_is_in_french_arabic_and_english(path):
    with open(path, encoding="utf-8") as f:
        schema = yaml.safe_load(f)
    for label in _labels(schema):
        assert {"fr", "ar", "en"} <= set(label) and all(label[k].strip() for k in ("fr", "ar", "en")), label


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_string_of_the_bundle_is_translated(lang):
    with open(os.path.join(I18N, lang, "LC_MESSAGES", "ckanext-transparency.po"), "rb") as f:
        catalog = read_po(f, locale=lang)
    with open(os.path.join(I18N, "ckanext-transparency.pot"), "rb") as f:
        template = read_po(f)
    untranslated = [m.id for m in catalog if m.id and (m.fuzzy or not (
        m.string if isinstance(m.string, str) else all(m.string)))]
    assert untranslated == []
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id} <= \
        {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}, "run scripts/i18n"
