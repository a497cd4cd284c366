"""What citizens, officers and visitors do on the portal, in a real browser, in
French and Arabic at desktop and phone widths. Each page a journey passes
through gets the checks of a main page (language, switch, labels, axe) and a
screenshot; the journey ends by switching language on its last page."""
from __future__ import annotations

import datetime
import re
import time

from ckan.tests import helpers
from selenium.webdriver.common.keys import Keys

from ckanext.transparency import portal

from conftest import create

from .conftest import ADMIN, NOW, VIEWS, Page, _iso, submit_request

ARABIC = re.compile("[\u0600-\u06ff]")


def _label(type_: str, field: str, value: str, lang: str) -> str:
    """The label of a choice of a schema, as the page shows it in ``lang``."""
    schema = helpers.call_action("scheming_dataset_schema_show", type=type_)
    choices = next(f["choices"] for f in schema["dataset_fields"] if f["field_name"] == field)
    return next(c["label"][lang] for c in choices if c["value"] == value)


def _flash(page: Page) -> str:
    text = page.text(".flash-messages .alert")
    assert text and (page.lang != "ar" or ARABIC.search(text)), text
    return text


def test_a_citizen_files_a_request_and_follows_it(page: Page):
    page.open("/ati-request/submit")
    page.check("login")
    page.login(page.citizen, lands_on="/ati-request/submit")
    page.check("ati-submit")
    subject = f"Marchés publics de 2025 ({page.view})"
    page.fill({"#field-owner_org": "mrafp", "#field-title": subject,
               "#field-notes": "La liste des marchés attribués en 2025, avec leurs montants.",
               "#field-delivery": "email", "#field-full_name": "Salma Bennani", "#field-id_number": "BE123456",
               "#field-address": "12 rue Oued Fès, Rabat", "#field-email": "salma@example.ma"})
    page.submit("form.transparency-form button[type=submit]")

    assert re.fullmatch(r".*/ati-request/[^/]+/receipt", page.path), page.path
    tracking = page.find(".transparency-tracking").get_attribute("data-tracking-number")
    assert re.fullmatch(r"DAI-\d{4}-\d{6}", tracking) and page.text(".transparency-tracking") == tracking
    assert subject in page.text(".transparency-receipt")
    page.check("ati-receipt")

    page.submit_link(".transparency-no-print a[href$='/ati-request/mine']")
    assert tracking in page.text("table.transparency-requests")
    page.check("ati-mine")

    page.submit_link(f"table.transparency-requests a[href$='/ati-request/{tracking.lower()}']")
    assert tracking in page.text(".transparency-ati-status")
    assert page.text(".transparency-state") == _label("ati-request", "ati_state", "received", page.lang)
    assert "Salma Bennani" in page.text(".transparency-ati-private")  # the requester sees her identity
    assert len(page.find_all(".transparency-ati-history li")) == 1
    page.check("ati-request-requester")
    other = page.switch_language()
    assert other.text(".transparency-state") == _label("ati-request", "ati_state", "received", other.lang)


def test_a_citizen_is_shown_an_existing_answer_and_files_anyway(page: Page, site):
    page.open("/ati-request/submit")
    page.login(page.citizen, lands_on="/ati-request/submit")
    answered = site["answered"]
    # Typed without accents nor apostrophe, in other words: the answered request shows as one types.
    page.fill({"#field-title": f"nombre des agents information ({page.view})"})
    link = f"a[href$='/ati-request/{answered['name']}']"
    shown = f".transparency-similar-item {link}"
    page.wait(lambda driver: page.find_all(shown))
    assert page.text(shown) == answered["title"]
    item = page.find(f".transparency-similar-item:has(> {link}) .transparency-similar-state")
    assert item.text == _label("ati-request", "ati_state", "answered", page.lang)
    page.check("ati-submit-similar")
    # The institution picker finds the ministry from a word of its name typed without accents.
    page.click("#s2id_field-owner_org .select2-choice")
    page.find(".select2-drop-active .select2-input").send_keys("reforme")
    page.wait(lambda driver: page.find_all(".select2-drop-active .select2-result-selectable"))
    page.find(".select2-drop-active .select2-input").send_keys(Keys.ENTER)
    assert page.find("#field-owner_org").get_attribute("value") == "mrafp"
    page.fill({"#field-notes": "Par direction régionale, pas au niveau central.",
               "#field-delivery": "email", "#field-full_name": "Salma Bennani", "#field-id_number": "BE123456",
               "#field-address": "12 rue Oued Fès, Rabat", "#field-email": "salma@example.ma"})
    page.submit("form.transparency-form button[type=submit]:not([name=check])")
    assert re.fullmatch(r".*/ati-request/[^/]+/receipt", page.path), page.path
    assert answered["title"] in page.text(".transparency-similar")  # the receipt repeats it


def test_an_officer_answers_a_request(page: Page):
    pkg = submit_request(f"Effectifs par direction ({page.view})", page.citizen)
    page.open("/user/login?came_from=" + page.prefix + "/ati-request/inbox")
    page.login("agent", lands_on="/ati-request/inbox")
    page.check("ati-inbox")
    page.submit_link(f"#box-new ~ .table-responsive a[href$='/ati-request/{pkg['name']}']")
    page.check("ati-request-officer")

    page.click("details:has(input[name=transition][value=answer]) summary")
    page.fill({"#answer-answer": "Les effectifs sont de 1 250 agents au 31 décembre.",
               "#note-answer": "Réponse complète."})
    page.submit("details:has(input[name=transition][value=answer]) button[type=submit]:not([formaction])")
    assert page.path == page.prefix + f"/ati-request/{pkg['name']}"
    _flash(page)
    assert page.text(".transparency-state") == _label("ati-request", "ati_state", "answered", page.lang)
    assert "Réponse complète." in page.text(".transparency-ati-history")
    other = page.switch_language()
    assert other.text(".transparency-state") == _label("ati-request", "ati_state", "answered", other.lang)


def _set_date(page: Page, css: str, day: datetime.date) -> None:
    """A date input's value, as a date picker would give it (typing depends on the browser's locale)."""
    page.driver.execute_script("arguments[0].value = arguments[1];", page.find(css), day.isoformat())


def test_an_officer_registers_a_paper_request(page: Page):
    page.open("/user/login?came_from=" + page.prefix + "/ati-request/register")
    page.login("agent", lands_on="/ati-request/register")
    page.check("ati-register")
    subject = f"Registre des marchés 2024 ({page.view})"
    page.fill({"#field-owner_org": "mrafp", "#field-channel": "paper", "#field-title": subject,
               "#field-notes": "Copie du registre des marchés de 2024.", "#field-delivery": "post",
               "#field-full_name": "Ahmed Tazi", "#field-id_number": "TA112233",
               "#field-address": "4 rue Souss, Agadir"})
    _set_date(page, "#field-received_date", portal.today())
    page.submit("form.transparency-form button[type=submit]")

    assert re.fullmatch(r".*/ati-request/[^/]+/receipt", page.path), page.path
    tracking = page.find(".transparency-tracking").get_attribute("data-tracking-number")
    assert re.fullmatch(r"DAI-\d{4}-\d{6}", tracking)
    receipt = page.text(".transparency-receipt")
    assert subject in receipt and "Ahmed Tazi" in receipt
    assert _label("ati-request", "channel", "paper", page.lang) in receipt
    page.check("ati-receipt-registered")
    other = page.switch_language()
    assert _label("ati-request", "channel", "paper", other.lang) in other.text(".transparency-receipt")


def test_the_cdai_decides_a_complaint_and_the_institution_complies(page: Page):
    pkg = submit_request(f"Rapports d'inspection 2024 ({page.view})", page.citizen)
    for user, step in [("agent", {"transition": "refuse", "ground": "investigations", "note": "Enquête."}),
                       (page.citizen, {"transition": "complain_head", "note": "Les enquêtes sont closes."}),
                       ("agent", {"transition": "head_answer", "note": "Refus maintenu."}),
                       (page.citizen, {"transition": "complain_cdai", "note": "Je conteste le refus."})]:
        helpers.call_action("transparency_ati_request_transition", {"user": user}, id=pkg["id"], **step)
    page.open("/user/login?came_from=" + page.prefix + "/cdai/inbox")
    page.login("commission", lands_on="/cdai/inbox")
    page.check("cdai-inbox")
    page.submit_link(f"#box-to_decide ~ .table-responsive a[href$='/ati-request/{pkg['name']}']")
    page.click("details:has(input[name=transition][value=cdai_decide]) summary")
    page.fill({"#decision-cdai_decide": "disclosure-ordered",
               "#note-cdai_decide": "Les enquêtes sont closes : les rapports sont communicables."})
    _set_date(page, "#comply-by-cdai_decide", portal.today() + datetime.timedelta(days=20))
    page.check("ati-request-cdai")
    page.submit("details:has(input[name=transition][value=cdai_decide]) button[type=submit]")
    _flash(page)
    assert page.text(".transparency-state") == _label("ati-request", "ati_state", "compliance", page.lang)
    assert page.text(".transparency-cdai-decision").startswith(
        _label("ati-request", "cdai_decision", "disclosure-ordered", page.lang))

    page.open("/user/_logout")
    page.open(f"/user/login?came_from={page.prefix}/ati-request/{pkg['name']}")
    page.login("agent", lands_on=f"/ati-request/{pkg['name']}")
    page.click("details:has(input[name=transition][value=comply]) summary")
    page.fill({"#note-comply": "Rapports communiqués au demandeur."})
    page.submit("details:has(input[name=transition][value=comply]) button[type=submit]:not([formaction])")
    _flash(page)
    assert page.text(".transparency-state") == _label("ati-request", "ati_state", "complied", page.lang)

    page.open("/cdai/decisions")
    page.check("cdai-decisions")
    rows = [row.text for row in page.find_all(".transparency-cdai-decisions tbody tr")]
    assert any(pkg["tracking_number"] in row for row in rows), rows
    other = page.switch_language()
    assert other.find(f".transparency-cdai-decisions a[href$='/ati-request/{pkg['name']}']")


def test_a_citizen_contributes_to_a_consultation(page: Page):
    page.open("/consultation/projet-loi-archives")
    page.check("consultation")
    page.submit_link("a[href*='/user/login?came_from']")
    page.login(page.citizen, lands_on="/consultation/projet-loi-archives")
    page.check("consultation-contributor")
    text = f"Prévoir la numérisation des archives régionales ({page.view})."
    page.fill({"#contribution-section": "Article 12", "#contribution-text": text})
    page.click("#contribution-show-name")
    page.submit(".transparency-contribute button[type=submit]")
    _flash(page)
    mine = [c for c in page.find_all(".transparency-contribution") if text in c.text]
    assert len(mine) == 1 and "Article 12" in mine[0].text and "Salma" in mine[0].text
    assert mine[0].get_attribute("class").split()[-1] == "transparency-contribution-pending"


def test_an_officer_records_milestone_progress(page: Page):
    name = f"engagement-{page.view}"
    ogp_id = "MO01{:02d}".format(VIEWS.index((page.lang, page.width)))
    create(ADMIN, "commitment", name, "mrafp", title="Formation des agents d'information", ogp_id=ogp_id,
           milestones=[{"title": "Guide", "state": "completed"},
                       {"title": "Sessions régionales", "state": "in-progress"}])
    page.open(f"/user/login?came_from={page.prefix}/commitment/{name}")
    page.login("agent", lands_on=f"/commitment/{name}")
    assert page.text(".transparency-commitment-progress .transparency-progress-value") == "75 %"
    page.check("commitment-officer")
    page.fill({"#update-milestone": "1", "#update-state": "completed",
               "#update-comment": "Douze sessions tenues, une par région.",
               "#update-evidence": "https://example.org/sessions"})
    page.submit(".transparency-milestone-form button[type=submit]")
    _flash(page)
    assert page.text(".transparency-commitment-progress .transparency-progress-value") == "100 %"
    assert "Douze sessions tenues" in page.text(".transparency-milestone-history")
    other = page.switch_language()
    assert other.text(".transparency-commitment-progress .transparency-progress-value") == "100 %"


def test_a_visitor_searches_with_facets_and_downloads_a_resource(page: Page, site):
    page.open("/")
    page.check("home")
    page.fill({"#home-search": "ouvertes"})
    page.submit(".transparency-search button[type=submit]")
    found = [a.text for a in page.find_all(".dataset-list .dataset-heading a")]
    assert sorted(found) == ["Budget citoyen 2025", "Régions du Maroc"], found
    page.check("dataset-search")

    if page.width == "phone":  # the facets are behind a button on small screens
        page.click(".show-filters")
    page.submit_link(".filters a[href*='res_format=CSV']")
    assert [a.text for a in page.find_all(".dataset-list .dataset-heading a")] == ["Régions du Maroc"]
    page.submit_link(".dataset-list .dataset-heading a")
    page.check("dataset")
    page.submit_link(".resource-item a.heading")
    page.check("resource")

    page.click("a.btn-primary.resource-url-analytics")
    target = page.downloads / "regions.csv"
    deadline = time.monotonic() + 20
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert target.read_text(encoding="utf-8") == site["regions_csv"]


DRAFT = """Le présent décret organise la publication proactive.
Article premier
Chaque institution publie la liste de ses documents.
Article 2
Les documents sont publiés sur le portail.
Article 3
Les documents sont publiés dans un délai de trente jours après leur adoption.
Article 4
Le présent décret entre en vigueur dès sa publication."""
DRAFT_AR = """المادة الأولى
تنشر كل مؤسسة لائحة وثائقها.
المادة 2
تنشر الوثائق في البوابة.
المادة 3
تنشر الوثائق داخل أجل ثلاثين يوما من اعتمادها.
المادة 4
يدخل هذا المرسوم حيز التنفيذ فور نشره."""


def test_a_draft_is_commented_article_by_article_and_the_loop_closes(page: Page, smtp):
    from selenium.webdriver.common.keys import Keys
    from ckanext.transparency import mail
    name, commitment = f"projet-decret-{page.view}", f"engagement-issu-{page.view}"
    pkg = create(ADMIN, "consultation", name, "mrafp", title="Projet de décret sur la publication proactive",
                 title_ar="مشروع مرسوم النشر الاستباقي", topic="governance", draft=DRAFT, draft_ar=DRAFT_AR,
                 opens_at=_iso(NOW - datetime.timedelta(days=1)), closes_at=_iso(NOW + datetime.timedelta(days=30)))
    create(ADMIN, "commitment", commitment, "mrafp", title="Publication proactive des documents",
           title_ar="النشر الاستباقي للوثائق", ogp_id="MO02{:02d}".format(VIEWS.index((page.lang, page.width))),
           milestones=[{"title": "Décret adopté", "state": "in-progress"}])
    other = helpers.call_action("transparency_contribution_create", {"user": "agent"}, id=pkg["id"], article="2",
                                text="Publier aussi les budgets des institutions.")
    helpers.call_action("transparency_contribution_moderate", {"user": "agent"}, contribution_id=other["id"],
                        decision="publish")

    # The citizen reads the draft, comments on article 3 where it stands, with the keyboard.
    page.open(f"/user/login?came_from={page.prefix}/consultation/{name}")
    page.login(page.citizen, lands_on=f"/consultation/{name}")
    page.check("consultation-draft")
    assert "trente jours" in page.text("#article-3 .transparency-article-text[lang=fr]")
    assert "ثلاثين يوما" in page.text("#article-3 .transparency-article-text[lang=ar]")
    page.find(".transparency-draft-toc a[href='#article-3']").send_keys(Keys.ENTER)
    assert page.driver.execute_script("return location.hash") == "#article-3"
    page.find("#article-3 details summary").send_keys(Keys.ENTER)  # opens the comment form
    text = f"Trente jours, c'est trop long ({page.view})."
    page.fill({"#comment-article-3": text, "#quote-article-3": "dans un délai de trente jours",
               "#proposal-article-3": "Les documents sont publiés dans un délai de dix jours."})
    page.submit("#article-3 details button[type=submit]")
    _flash(page)
    mine = [c for c in page.find_all("#article-3 .transparency-contribution") if text in c.text]
    assert len(mine) == 1 and "transparency-contribution-pending" in mine[0].get_attribute("class")
    assert mine[0].find_element("css selector", ".transparency-quote").text == "dans un délai de trente jours"

    # ... and supports another contribution, once.
    page.submit(f"#contribution-{other['id']} .transparency-supports button")
    _flash(page)
    assert page.text(f"#contribution-{other['id']} .transparency-support-count") == {
        "fr": "1 soutien", "ar": "1 دعم"}[page.lang]
    assert not page.find_all(f"#contribution-{other['id']} .transparency-supports button")
    page.check("consultation-supported")

    # The officer publishes and answers it on article 3, and links it to the commitment it led to.
    item = next(c for c in helpers.call_action("transparency_contribution_list", {"user": "agent"}, id=pkg["id"])
                if c["text"] == text)
    page.open("/user/_logout")
    page.open(f"/user/login?came_from={page.prefix}/consultation/{name}")
    page.login("agent", lands_on=f"/consultation/{name}")
    here = f"#article-3 #contribution-{item['id']}"
    page.submit(f"{here} button[value=publish]")
    page.click(f"{here} details summary")
    page.fill({f"#kind-{item['id']}": "taken", f"#answer-text-{item['id']}": "Le délai passe à dix jours."})
    page.submit(f"{here} details button[type=submit]")
    _flash(page)
    page.fill({f"#commitment-{item['id']}": commitment})
    page.submit(f"{here} form:has(#commitment-{item['id']}) button")
    _flash(page)
    page.check("consultation-officer-articles")
    page.submit_link(f"{here} .transparency-led-to a")

    # The commitment tells where it came from; its progress reaches the contributor's mailbox.
    assert text in page.text(".transparency-commitment-origins")
    page.fill({"#update-milestone": "0", "#update-state": "completed", "#update-comment": "Le décret est adopté."})
    page.submit(".transparency-milestone-form button[type=submit]")
    _flash(page)
    page.check("commitment-origins")
    mail.send_pending()
    subjects = [m["Subject"] for m in smtp.to(f"{page.citizen}@example.ma")]
    news = {"fr": "Nouvelles de l'engagement « Publication proactive des documents »",
            "ar": "أخبار الالتزام «النشر الاستباقي للوثائق»"}[page.lang]
    assert any(subject.startswith(news + " / ") for subject in subjects), subjects  # the reader's language first
    body = next(m for m in smtp.to(f"{page.citizen}@example.ma") if "Le décret est adopté." in m.get_body().get_content())
    assert f"/commitment/{commitment}" in body.get_body().get_content()
