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


def test_extension_tells_the_new_due_date_in_arabic_then_french(people, smtp, freezer):
    freezer.move_to("2026-11-02 10:00:00")
    pkg = submit(people["requester"], language="ar")
    done = transition(people["officer"], pkg, "extend", note="Documents dispersés entre plusieurs services.")
    subject, body = _mails(smtp)[-1]
    mine, other = body.split(mail.SEPARATOR.strip())
    new_due = datetime.date.fromisoformat(done["due_date"])
    assert new_due > datetime.date.fromisoformat(pkg["due_date"])
    assert subject.index("تم تمديد أجل طلبكم") < subject.index("Le délai de votre demande est prolongé")
    assert f"الأجل الجديد هو {_date(new_due, 'ar')}" in mine
    assert f"La nouvelle échéance est le {_date(new_due, 'fr')}" in other
    assert "Documents dispersés entre plusieurs services." in mine


def _refresh(cli) -> str:
    from ckan.cli.cli import ckan as ckan_command
    result = cli.invoke(ckan_command, ["transparency", "refresh"])
    assert result.exit_code == 0, result.output
    return result.output


def test_reminders_overdue_window_closing_and_head_overdue_are_sent_once(cli, people, smtp, freezer):
    calendar = ati.calendar()
    freezer.move_to("2026-11-02 10:00:00")
    pkg = submit(people["requester"])  # French: the portal's default language
    due = datetime.date.fromisoformat(pkg["due_date"])
    mail.send_pending()
    smtp.messages.clear()

    freezer.move_to(f"{due + datetime.timedelta(days=1)} 10:00:00")
    assert "1 to requesters" in _refresh(cli)
    assert "0 to requesters" in _refresh(cli)  # once
    (subject, body), = _mails(smtp)
    last_day = calendar.add_working_days(due, workflow.COMPLAINT_HEAD_DAYS)
    assert subject == f"[{pkg['tracking_number']}] Votre demande est en retard / تجاوز طلبكم أجل الرد"
    assert f"devait répondre à votre demande au plus tard le {_date(due, 'fr')}" in body
    assert f"chef de l'institution jusqu'au {_date(last_day, 'fr')}" in body
    assert f"رئيس المؤسسة إلى غاية {_date(last_day, 'ar')}" in body
    smtp.messages.clear()

    freezer.move_to(f"{last_day - datetime.timedelta(days=2)} 10:00:00")
    assert "1 to requesters" in _refresh(cli)
    (subject, body), = _mails(smtp)
    assert "Derniers jours pour une réclamation au chef de l'institution" in subject
    assert f"prend fin le {_date(last_day, 'fr')}" in body
    smtp.messages.clear()

    transition(people["requester"], pkg, "complain_head", note="Aucune réponse reçue.")
    head_due = calendar.add_working_days(last_day - datetime.timedelta(days=2), workflow.HEAD_ANSWER_DAYS)
    (subject, body), = _mails(smtp)
    assert f"doit répondre à votre réclamation au plus tard le {_date(head_due, 'fr')}" in body
    (told,) = smtp.bodies("officer@mrafp.example.ma")  # labels in both languages, never the transition's code
    assert "Le demandeur a agi sur sa demande : Réclamation auprès du chef de l'institution." in told
    assert "تصرف صاحب الطلب في طلبه: تقديم شكاية إلى رئيس المؤسسة." in told and "complain_head" not in told
    smtp.messages.clear()
    freezer.move_to(f"{head_due + datetime.timedelta(days=1)} 10:00:00")
    assert "1 to requesters" in _refresh(cli)
    assert "0 to requesters" in _refresh(cli)
    mail.send_pending()
    to_requester = smtp.bodies(IDENTITY["email"])
    to_officers = smtp.to("officer@mrafp.example.ma")
    assert len(to_requester) == 1 and f"au plus tard le {_date(head_due, 'fr')} et ne l'a pas fait" in to_requester[0]
    cdai_last = head_due + datetime.timedelta(days=workflow.COMPLAINT_CDAI_DAYS)
    assert f"(CDAI, article 19 de la loi 31-13) jusqu'au {_date(cdai_last, 'fr')}" in to_requester[0]
    assert [str(m["Subject"]) for m in to_officers] == [
        f"[{pkg['tracking_number']}] Réclamation au chef de l'institution restée sans réponse / "
        "شكاية إلى رئيس المؤسسة بقيت دون جواب"]
    assert "complain_head" not in to_officers[0].get_body().get_content()


def test_a_request_filed_from_the_arabic_form_is_told_in_arabic_first(app, people, smtp):
    import re
    headers = {"Authorization": people["requester"]["token"]}
    form = app.get("/ar/ati-request/submit", headers=headers).body
    token = re.search(r'name="_csrf_token" value="([^"]+)"', form).group(1)
    data = {"owner_org": "mrafp", "title": "صفقات 2025", "notes": "لائحة الصفقات.", "delivery": "email",
            **IDENTITY, "_csrf_token": token}
    response = app.post("/ar/ati-request/submit", data=data, headers=headers, follow_redirects=False)
    assert response.status_code == 302
    (subject, body), = _mails(smtp)
    # Python's e-mail folding can drop a space where Arabic meets Latin in a long subject (CKAN's mailer).
    assert subject.index("إشعار بالتوصل") < subject.index("Accusé de réception")
    assert body.index("تم التوصل بطلبكم") < body.index("Votre demande d'accès à l'information a été reçue")
