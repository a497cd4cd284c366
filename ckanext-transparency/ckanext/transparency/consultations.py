"""Public consultations: what the actions need beside the plain ``phases`` rule
(their phase now, contributors' attachments, notices to followers)."""
from __future__ import annotations

import datetime
import os
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from . import choices, mail, phases, portal
from .model import Contribution, MilestoneUpdate, Notice, contributions_to

REJECT_REASONS = {
    "off-topic": {"fr": "Hors sujet", "ar": "خارج الموضوع", "en": "Off topic"},
    "abusive": {"fr": "Propos injurieux", "ar": "مسيء", "en": "Abusive"},
    "duplicate": {"fr": "Doublon", "ar": "مكرر", "en": "Duplicate"},
    "personal-data": {"fr": "Données personnelles", "ar": "معطيات شخصية", "en": "Personal data"},
}
ANSWER_KINDS = {
    "taken": {"fr": "Prise en compte", "ar": "أخذت بعين الاعتبار", "en": "Taken into account"},
    "partly": {"fr": "Prise en compte en partie", "ar": "أخذت جزئيا بعين الاعتبار", "en": "Partly taken into account"},
    "not-taken": {"fr": "Non prise en compte", "ar": "لم تؤخذ بعين الاعتبار", "en": "Not taken into account"},
    "out-of-scope": {"fr": "Hors du champ de la consultation", "ar": "خارج نطاق الاستشارة", "en": "Out of scope"},
}


DRAFT_FIELDS = {"fr": "draft", "ar": "draft_ar"}  # the draft's text per language (schemas/consultation.yaml)


def draft_texts(pkg: dict[str, Any]) -> dict[str, str]:
    """The draft's text in each language it is given in."""
    return {lang: pkg[field] for lang, field in DRAFT_FIELDS.items() if pkg.get(field)}


def phase(pkg: dict[str, Any]) -> str:
    return phases.phase(portal.now(), phases.parse(pkg["opens_at"]), phases.parse(pkg["closes_at"]),
                        bool(pkg.get("report_summary")))


def contribution(contribution_id: Any) -> Contribution:
    try:
        found = model.Session.get(Contribution, int(contribution_id))
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise tk.ObjectNotFound(tk._("No contribution has this id"))
    return found


def attachment_dir(contribution_id: int) -> str:
    return os.path.join(tk.config.get("ckan.storage_path"), "transparency", "contributions", str(contribution_id))


def save_attachment(item: Contribution, upload: Any) -> None:
    """Stores the contributor's file (its name already checked by ``transparency_document``),
    refusing one larger than ``ckanext.transparency.contribution.max_attachment_mb``."""
    limit = tk.config.get("ckanext.transparency.contribution.max_attachment_mb") * 1024 * 1024
    content = upload.stream.read(limit + 1)
    if len(content) > limit:
        raise tk.ValidationError({"upload": [tk._("The file is larger than {mb} MB").format(
            mb=tk.config.get("ckanext.transparency.contribution.max_attachment_mb"))]})
    os.makedirs(attachment_dir(item.id), exist_ok=True)
    with open(os.path.join(attachment_dir(item.id), upload.filename), "wb") as f:
        f.write(content)
    item.attachment = upload.filename


def follower_emails(package_id: str) -> list[str]:
    rows = (model.Session.query(model.User.email)
            .join(model.UserFollowingDataset, model.UserFollowingDataset.follower_id == model.User.id)
            .filter(model.UserFollowingDataset.object_id == package_id, model.User.state == "active"))
    return sorted({email for (email,) in rows if email})


def notify_followers(pkg: dict[str, Any], kind: str) -> bool:
    """Queues the notice ``kind`` (``templates/transparency/emails/consultation/<kind>.txt``)
    to the consultation's followers, once ever."""
    if model.Session.get(Notice, (pkg["id"], kind)) is not None:
        return False
    model.Session.add(Notice(package_id=pkg["id"], kind=kind))
    mail.send(follower_emails(pkg["id"]), f"transparency/emails/consultation/{kind}.txt",
              tk.config.get("ckan.locale_default"), pkg=pkg,
              url=tk.url_for("consultation.read", id=pkg["name"], _external=True))
    return True


def tell_contributor(item: Contribution, template: str, pkg: dict[str, Any], **extra: Any) -> None:
    """Queues the e-mail ``templates/transparency/emails/contribution/<template>.txt`` to
    the contributor of ``item``, in the language they wrote in first (the caller commits)."""
    email = model.Session.query(model.User.email).filter(model.User.id == item.user_id).scalar()
    if email:
        url = tk.url_for("consultation.read", id=pkg["name"], _external=True, _anchor=f"contribution-{item.id}")
        mail.send([email], f"transparency/emails/contribution/{template}.txt",
                  item.lang or tk.config.get("ckan.locale_default"), pkg=pkg, url=url, **extra)


def tell_contributors(pkg: dict[str, Any], template: str) -> None:
    """Queues the e-mail ``template`` once to each contributor of the consultation, in
    the language of their latest contribution."""
    latest: dict[str, Contribution] = {}
    for item in (model.Session.query(Contribution).filter(Contribution.package_id == pkg["id"])
                 .order_by(Contribution.id)):
        latest[item.user_id] = item
    for item in latest.values():
        tell_contributor(item, template, pkg)


def tell_progress(commitment: dict[str, Any], update: MilestoneUpdate) -> None:
    """Queues the news of a milestone update to the contributors whose contributions
    led to the commitment (in their language first) and to its followers, once each
    (the caller commits)."""
    state = next((c["label"] for c in choices.of("commitment", "milestones", "state") if c["value"] == update.state),
                 update.state)
    letter = {"pkg": commitment, "milestone": update.milestone_title, "state": state, "comment": update.comment or "",
              "url": tk.url_for("commitment.read", id=commitment["name"], _external=True)}
    told: set[str] = set()
    for item, email, _consultation in contributions_to(commitment["id"]):
        if email and email not in told:
            told.add(email)
            mail.send([email], "transparency/emails/commitment/progress.txt",
                      item.lang or tk.config.get("ckan.locale_default"), contributed=True, **letter)
    mail.send([email for email in follower_emails(commitment["id"]) if email not in told],
              "transparency/emails/commitment/progress.txt", tk.config.get("ckan.locale_default"),
              contributed=False, **letter)


def daily() -> dict[str, int]:
    """Reindexes consultations (their phase follows the clock) and sends the
    "opened" and "one week left" notices that are due."""
    from ckan.lib.search import rebuild

    ids = [pid for (pid,) in model.Session.query(model.Package.id)
           .filter(model.Package.type == "consultation", model.Package.state == "active")]
    notices = 0
    week = datetime.timedelta(days=7)
    for package_id in ids:
        pkg = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
        current = phase(pkg)
        if current == phases.OPEN:
            notices += notify_followers(pkg, "opened")
            if phases.parse(pkg["closes_at"]) - portal.now() <= week:
                notices += notify_followers(pkg, "closing")
        rebuild(package_id)
    model.repo.commit()
    return {"reindexed": len(ids), "notices": notices}
