"""The main pages that no journey passes through, in French then in Arabic through
the language switch; and the request form used with the keyboard alone."""
from __future__ import annotations

import re

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from .conftest import WIDTHS, Page, view_id

PAGES = {  # screenshot name: path
    "ati-requests": "/ati-request/",
    "ati-request-public": "/ati-request/{answered}",
    "publications": "/publication/",
    "publication": "/publication/organigramme-mrafp",
    "commitments": "/commitment/",
    "action-plan": "/action-plan/plan-2018-2020",
    "consultations": "/consultation/",
    "statistics": "/statistics",
    "indicator": "/indicator/reponses-dans-les-delais",
    "publication-coverage": "/publications/coverage/mrafp",
    "institutions": "/organization/",
}


@pytest.mark.parametrize("page", [("fr", width) for width in WIDTHS], ids=view_id, indirect=True)
def test_every_main_page_in_both_languages(page: Page, site):
    for name, path in PAGES.items():
        page.open(path.format(answered=site["answered"]["name"]))
        page.check(name)
        page.switch_language().check(name)


# The fields of the request form in the order of the page, which is the order of the Tab key.
FIELDS = ["field-owner_org", "field-title", "field-notes", "field-document_type", "field-period_covered",
          "field-delivery", "field-urgent", "field-urgent_reason", "field-also_to", "field-full_name", "field-id_number",
          "field-address", "field-email", "field-phone"]


# Whether the focused element is drawn differently: an outline or a shadow.
_FOCUS_SHOWN = """
const style = getComputedStyle(arguments[0]);
return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
"""


@pytest.mark.parametrize("page", [(lang, "desktop") for lang in ("fr", "ar")], ids=view_id, indirect=True)
def test_the_request_form_with_the_keyboard_alone(page: Page):
    page.open("/ati-request/submit")
    page.login(page.citizen, lands_on="/ati-request/submit")
    keys = ActionChains(page.driver)
    focused = lambda: page.driver.switch_to.active_element  # noqa: E731

    keys.send_keys(Keys.TAB).perform()  # the first stop is the link that skips to the content
    assert focused().get_attribute("href").endswith("#content")
    keys.send_keys(Keys.ENTER).perform()

    def picker(element) -> bool:  # the institution picker (select2) stands for the select of field-owner_org
        return "select2-focusser" in (element.get_attribute("class") or "")

    def field_id() -> str:
        return "field-owner_org" if picker(focused()) else focused().get_attribute("id")

    for _ in range(10):  # past the breadcrumb, to the first field
        keys.send_keys(Keys.TAB).perform()
        if field_id() == FIELDS[0]:
            break
    order = [field_id()]
    values = {"field-title": "Horaires d'ouverture des guichets", "field-notes": "Par préfecture, en 2026.",
              "field-full_name": "Salma Bennani", "field-id_number": "BE123456",
              "field-address": "12 rue Oued Fès, Rabat", "field-email": "salma@example.ma"}
    while True:
        field = focused()
        shown = page.find(".select2-container-active .select2-choice") if picker(field) else field
        assert page.driver.execute_script(_FOCUS_SHOWN, shown), f"{field_id()}: focus not shown"
        if field.tag_name == "a":  # a suggestion of what was already answered, between the fields
            keys.send_keys(Keys.TAB).perform()
            continue
        if picker(field):  # type a name, Enter takes it
            keys.send_keys(Keys.ARROW_DOWN).perform()  # opens the list and its search box
            page.wait(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".select2-drop-active .select2-input"))
            keys.send_keys("Réforme de l").perform()
            page.wait(lambda driver: driver.find_elements(By.CSS_SELECTOR, ".select2-drop-active .select2-highlighted"))
            keys.send_keys(Keys.ENTER).perform()
            assert Select(page.find("#field-owner_org")).first_selected_option.get_attribute("value") == "mrafp"
        elif field.get_attribute("id") in values:
            keys.send_keys(values[field.get_attribute("id")]).perform()
        keys.send_keys(Keys.TAB).perform()
        if focused().tag_name == "button":
            break
        if focused().tag_name != "a":
            order.append(field_id())
        assert len(order) <= len(FIELDS), order
    assert order == FIELDS
    assert focused().get_attribute("type") == "submit"
    keys.send_keys(Keys.ENTER).perform()
    page.wait(lambda driver: re.search(r"/ati-request/[^/]+/receipt$", page.path))
    assert "Horaires d'ouverture des guichets" in page.text(".transparency-receipt")
