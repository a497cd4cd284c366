"""E-mails that tell a requester what happened, what it means and what they may
do next by when, in their language first (read from the real SMTP server)."""
from __future__ import annotations

import datetime

import pytest

from ckanext.transparency import ati, mail, workflow
from ckanext.transparency.helpers import DATE_LOCALES
from conftest import IDENTITY, submit, transition

import babel.dates

GROUND = {"fr": "Vie privée et données à caractère personnel", "ar": "الحياة الخاصة والمعطيات ذات الطابع الشخصي"}
OTHER = {"fr": "ar", "ar": "fr"}


def _date(day: datetime.date, lang: str) -> str:
    return babel.dates.format_date(day, "d MMMM y", locale=DATE_LOCALES[lang])


def _mails(smtp) -> list[tuple[str, str]]:
    mail.send_pending()
    return [(str(m["Subject"]), m.get_body().get_content()) for m in smtp.to(IDENTITY["email"])]


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_refusal_tells_the_ground_the_article_and_the_complaint_window(people, smtp, freezer, lang):
    freezer.move_to("2026-11-02 10:00:00")
    pkg = submit(people["requester"], language=lang)
    freezer.move_to("2026-11-05 10:00:00")
    transition(people["officer"], pkg, "refuse", ground="private-life", note="Le dossier nomme des tiers.")
    receipt, refusal = _mails(smtp)
    subject, body = refusal
    assert subject.startswith(f"[{pkg['tracking_number']}]")
    mine, other = body.split(mail.SEPARATOR.strip())
    last_day = ati.calendar().add_working_days(datetime.date(2026, 11, 5), workflow.COMPLAINT_HEAD_DAYS)
    assert GROUND[lang] in mine and "private-life" not in body
    assert _date(last_day, lang) in mine and _date(last_day, OTHER[lang]) in other
    assert GROUND[OTHER[lang]] in other
    assert "Le dossier nomme des tiers." in mine
    assert {"fr": "(article 7 de la loi 31-13)", "ar": "(المادة 7 من القانون 31.13)"}[lang] in mine
    assert {"fr": "chef de l'institution", "ar": "رئيس المؤسسة"}[lang] in mine
    assert f"http://test.transparency.local/ati-request/{pkg['name']}" in mine
    assert subject == f"[{pkg['tracking_number']}] " + {
        "fr": "Votre demande a été refusée / تم رفض طلبكم", "ar": "تم رفض طلبكم / Votre demande a été refusée"}[lang]
