"""Participation that closes the loop: the draft article by article, contributions on
an article (quote, rewording), supports, contributors told, contributions traced to
commitments."""
from __future__ import annotations

import io
import zipfile

import pytest
from bs4 import BeautifulSoup

import ckan.plugins.toolkit as tk
from ckan.tests import helpers

from ckanext.transparency import drafts, mail
from conftest import create
from test_consultations import consultation, contribute, moderate

DRAFT = """Le présent projet organise les archives publiques.
Article premier : Objet
La présente loi fixe les règles de conservation.
Article 2
Les archives sont versées chaque année.
Article 3 - Délais
Les documents sont conservés dix ans au moins.
Art. 4
La consultation est libre."""
DRAFT_AR = """المادة الأولى
يحدد هذا القانون قواعد الحفظ.
المادة 2
تودع الأرشيفات كل سنة.
المادة ٣
تحفظ الوثائق عشر سنوات على الأقل."""


def test_a_draft_splits_into_numbered_articles_in_both_languages():
    articles = drafts.split(DRAFT)
    assert [a.number for a in articles] == [None, "1", "2", "3", "4"]
    assert articles[3].heading == "Article 3 - Délais"
    assert articles[3].paragraphs == ["Les documents sont conservés dix ans au moins."]
    assert drafts.numbers(DRAFT_AR) == ["1", "2", "3"]  # "الأولى" and Eastern Arabic digits
    assert drafts.numbers("1. Objet\n2) Champ\n3 - Règles\n2025 fut une année") == ["1", "2", "3"]
    merged = drafts.merge({"fr": DRAFT, "ar": DRAFT_AR})
    third = next(a for a in merged if a["number"] == "3")
    assert set(third["versions"]) == {"fr", "ar"} and third["anchor"] == "article-3"
    assert drafts.quotes(drafts.find({"fr": DRAFT}, "3"), "conservés  dix ans")
    assert not drafts.quotes(drafts.find({"fr": DRAFT}, "3"), "versées chaque année")


def drafted(people, **fields):
    pkg = consultation(people, **fields)
    return helpers.call_action("package_patch", {"user": people["sysadmin"]["name"]}, id=pkg["id"],
                               draft=DRAFT, draft_ar=DRAFT_AR)


def test_a_contribution_names_an_article_quotes_it_and_proposes_a_rewording(people):
    pkg = drafted(people)
    item = contribute(people["requester"], pkg, article="3", quote="conservés dix ans",
                      proposal="Les documents sont conservés vingt ans au moins.")
    assert (item["article"], item["quote"]) == ("3", "conservés dix ans")
    with pytest.raises(tk.ValidationError) as err:
        contribute(people["requester"], pkg, article="9")
    assert err.value.error_dict["article"] == ["The draft has no article 9"]
    with pytest.raises(tk.ValidationError) as err:
        contribute(people["requester"], pkg, article="2", quote="conservés dix ans")
    assert "quote" in err.value.error_dict
    with pytest.raises(tk.ValidationError) as err:
        contribute(people["requester"], pkg, quote="conservés dix ans")
    assert "article" in err.value.error_dict


def support(user, item):
    return helpers.call_action("transparency_contribution_support", {"user": user["name"], "ignore_auth": False},
                               contribution_id=item["id"])


def test_a_citizen_supports_a_published_contribution_once_and_they_sort_by_support(people):
    pkg = drafted(people)
    first = contribute(people["requester"], pkg)
    second = contribute(people["requester"], pkg, article="2")
    with pytest.raises(tk.ObjectNotFound):
        support(people["citizen"], first)  # pending: not public yet
    moderate(people["officer"], first, "publish")
    moderate(people["officer"], second, "publish")
    assert support(people["citizen"], second)["supports"] == 1
    assert support(people["officer"], second)["supports"] == 2
    with pytest.raises(tk.ValidationError) as err:
        support(people["citizen"], second)
    assert err.value.error_dict["contribution_id"] == ["You already support this contribution"]
    with pytest.raises(tk.NotAuthorized):
        helpers.call_auth("transparency_contribution_support", {"user": "", "model": None},
                          contribution_id=second["id"])
    listed = helpers.call_action("transparency_contribution_list", {"user": "citizen"}, id=pkg["id"],
                                 sort="supports")
    assert [(c["id"], c["supports"], c["supported"]) for c in listed] == [(second["id"], 2, True),
                                                                         (first["id"], 0, False)]
    export = helpers.call_action("transparency_contribution_export", {"user": "officer"}, id=pkg["id"])
    assert {row["id"]: row["supports"] for row in export} == {first["id"]: 0, second["id"]: 2}


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_the_page_shows_the_draft_with_contributions_where_they_stand(app, people, lang):
    pkg = drafted(people)
    item = contribute(people["requester"], pkg, article="3", text="Dix ans ne suffisent pas.",
                      quote="conservés dix ans")
    moderate(people["officer"], item, "publish")
    support(people["citizen"], item)
    url = f"/{lang}" + tk.url_for("consultation.read", id=pkg["name"])
    page = BeautifulSoup(app.get(url, headers={"Authorization": people["citizen"]["token"]}).body, "html.parser")
    third = page.find(id="article-3")
    versions = {div["lang"]: div for div in third.select(".transparency-article-text")}
    assert versions["ar"]["dir"] == "rtl" and "عشر سنوات" in versions["ar"].get_text()
    assert "conservés dix ans au moins" in versions["fr"].get_text()
    contribution = third.find(id=f"contribution-{item['id']}")
    assert contribution.select_one(".transparency-quote").get_text() == "conservés dix ans"
    assert contribution.select_one(".transparency-support-count").get_text(strip=True) == {
        "fr": "1 soutien", "ar": "1 دعم"}[lang]
    form = third.find("input", {"name": "article"}).find_parent("form")
    assert form["action"].endswith("/consultation/projet-loi/contribute") and form.find("input", {"name": "_csrf_token"})
    assert form.find("input", {"name": "article"})["value"] == "3"
    assert third.select_one("details summary").get_text() == {"fr": "Commenter l'article 3",
                                                               "ar": "التعليق على المادة 3"}[lang]
    toc = [a["href"] for a in page.select(".transparency-draft-toc a")]
    assert toc == ["#article-1", "#article-2", "#article-3", "#article-4"]
    assert page.find(id="article-2").find("article") is None  # nothing on article 2


def test_the_officer_loads_the_draft_from_a_docx(app, people):
    pkg = consultation(people)
    body = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in DRAFT_AR.splitlines())
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/'
                         f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>')
    officer = {"Authorization": people["officer"]["token"]}
    app.post(tk.url_for("consultation_views.draft", id=pkg["name"]), headers=officer,
             data={"lang": "ar", "upload": (io.BytesIO(docx.getvalue()), "projet.docx")})
    shown = helpers.call_action("package_show", id=pkg["id"])
    assert drafts.numbers(shown["draft_ar"]) == ["1", "2", "3"]
    app.post(tk.url_for("consultation_views.draft", id=pkg["name"]), status=403,
             headers={"Authorization": people["citizen"]["token"]},
             data={"lang": "ar", "upload": (io.BytesIO(docx.getvalue()), "projet.docx")})


def test_contributors_are_told_in_their_language_published_rejected_answered_and_the_report(app, people, smtp):
    pkg = drafted(people)
    for lang, user, text in (("ar", "citizen", "مساهمة بالعربية"), ("fr", "requester", "Contribution en français")):
        app.post(f"/{lang}" + tk.url_for("consultation_views.contribute", id=pkg["name"]),
                 headers={"Authorization": people[user]["token"]}, data={"text": text, "article": "3"})
    arabic, french = helpers.call_action("transparency_contribution_list", {"user": "officer"}, id=pkg["id"])
    officer = {"Authorization": people["officer"]["token"]}

    def step(item, step, **form):
        app.post(tk.url_for("consultation_views.moderate", id=pkg["name"], contribution_id=item["id"], step=step),
                 headers=officer, data=form)

    step(arabic, "moderate", decision="publish")
    step(french, "moderate", decision="reject", reason="off-topic")
    step(arabic, "answer", kind="taken", text="Le délai passe à vingt ans.")
    mail.send_pending()
    # each in the contributor's language first, the other below
    assert [m["Subject"] for m in smtp.to("citizen@example.ma")] == [
        "نشرت مساهمتكم / Votre contribution est publiée", "تمت الإجابة على مساهمتكم / Votre contribution a reçu une réponse"]
    assert [m["Subject"].split(" / ")[0] for m in smtp.to("requester@example.ma")] == [
        "Votre contribution n'est pas publiée"]
    rejected = smtp.bodies("requester@example.ma")[0]
    assert "Motif : Hors sujet" in rejected and "Projet de loi sur les archives" in rejected
    answered = smtp.bodies("citizen@example.ma")[1]
    assert "أخذت بعين الاعتبار" in answered and "Le délai passe à vingt ans." in answered
    assert f"#contribution-{arabic['id']}" in answered
    assert "citizen@example.ma" not in str(helpers.call_action("package_show", id=pkg["id"]))


def test_an_answered_contribution_led_to_a_commitment_whose_progress_reaches_its_contributor(app, people, smtp):
    pkg = drafted(people)
    create(people["sysadmin"], "commitment", "mo0006", "mrafp", ogp_id="MO0006", title="Portail de la transparence",
           title_ar="بوابة الشفافية", milestones=[{"title": "Ouverture du portail", "end": "2030-12",
                                                   "state": "not-started"}])
    app.post("/ar" + tk.url_for("consultation_views.contribute", id=pkg["name"]),
             headers={"Authorization": people["citizen"]["token"]}, data={"text": "أقترح بوابة", "article": "4"})
    item = helpers.call_action("transparency_contribution_list", {"user": "officer"}, id=pkg["id"])[0]
    helpers.call_action("follow_dataset", {"user": "requester"}, id="mo0006")
    officer = {"Authorization": people["officer"]["token"]}

    def step(step, **form):
        return app.post(tk.url_for("consultation_views.moderate", id=pkg["name"], contribution_id=item["id"],
                                   step=step), headers=officer, data=form)

    step("moderate", decision="publish")
    step("link", commitment="mo0006")  # not answered yet: refused
    assert helpers.call_action("transparency_commitment_origins", id="mo0006") == []
    step("answer", kind="taken", text="Engagement MO0006.")
    step("link", commitment="mo9999")
    step("link", commitment="mo0006")
    origins = helpers.call_action("transparency_commitment_origins", id="mo0006")
    assert [(o["id"], o["consultation"]["name"], o["article"]) for o in origins] == [(item["id"], "projet-loi", "4")]
    assert helpers.call_action("transparency_statistics")["consultations"]["led_to_commitments"] == 1
    page = BeautifulSoup(app.get("/ar" + tk.url_for("commitment.read", id="mo0006")).body, "html.parser")
    origin = page.select_one(".transparency-commitment-origins li")
    assert origin.find("a")["href"].endswith(f"/consultation/projet-loi#contribution-{item['id']}")
    assert "أقترح بوابة" in origin.get_text() and "المادة 4" in origin.get_text()
    mail.send_pending()
    before = len(smtp.to("citizen@example.ma"))
    app.post(tk.url_for("commitment_views.update", id="mo0006"), headers=officer,
             data={"milestone": "0", "state": "in-progress", "comment": "Le portail est en test."})
    mail.send_pending()
    news = smtp.to("citizen@example.ma")[before:]
    assert [m["Subject"] for m in news] == [
        "أخبار الالتزام «بوابة الشفافية» / Nouvelles de l'engagement « Portail de la transparence »"]
    assert "Le portail est en test." in news[0].get_body().get_content()
    follower = smtp.to("requester@example.ma")
    assert [m["Subject"] for m in follower] == [
        "Nouvelles de l'engagement « Portail de la transparence » / أخبار الالتزام «بوابة الشفافية»"]
