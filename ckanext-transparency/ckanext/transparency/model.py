"""The bundle's own tables (created by migration/transparency).

What must not be public lives here, never in a package dict: the requester's
identity, and the e-mail outbox. The history of a request is here too, as rows.
"""
from __future__ import annotations

import datetime

import sqlalchemy as sa
from sqlalchemy import Column, DateTime, ForeignKey, Integer, UnicodeText

import ckan.plugins.toolkit as tk
from ckan import model


def _now() -> datetime.datetime:
    return datetime.datetime.utcnow()


class AtiRequester(tk.BaseModel):
    """Who asked: readable by the requester, the institution's officers and sysadmins only."""
    __tablename__ = "transparency_ati_requester"
    package_id = Column(UnicodeText, ForeignKey("package.id", ondelete="CASCADE"), primary_key=True)
    user_id = Column(UnicodeText, ForeignKey("user.id"), nullable=False, index=True)
    full_name = Column(UnicodeText, nullable=False)
    id_number = Column(UnicodeText, nullable=False)
    address = Column(UnicodeText, nullable=False)
    email = Column(UnicodeText, nullable=False)
    phone = Column(UnicodeText)
    urgent_reason = Column(UnicodeText)  # may tell of the requester's life, safety or freedom
    address_hash = Column(UnicodeText)  # keyed hash of the network address, for the per-address limit
    original_text = Column(UnicodeText, nullable=False)  # the description before masking
    created = Column(DateTime, nullable=False, default=_now)

    def as_dict(self) -> dict[str, str | None]:
        return {"package_id": self.package_id, "user_id": self.user_id, "full_name": self.full_name,
                "id_number": self.id_number, "address": self.address, "email": self.email,
                "phone": self.phone, "urgent_reason": self.urgent_reason, "original_text": self.original_text,
                "created": self.created.isoformat()}


class AtiEvent(tk.BaseModel):
    """One dated entry of a request's public history."""
    __tablename__ = "transparency_ati_event"
    id = Column(Integer, primary_key=True)
    package_id = Column(UnicodeText, ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True)
    transition = Column(UnicodeText, nullable=False)
    from_state = Column(UnicodeText)
    to_state = Column(UnicodeText, nullable=False)
    actor_role = Column(UnicodeText, nullable=False)
    note = Column(UnicodeText)
    ground = Column(UnicodeText)
    user_id = Column(UnicodeText, ForeignKey("user.id"))  # the audit trail: never in the public history
    original = Column(UnicodeText)  # the note and answer as typed, before masking: never public
    created = Column(DateTime, nullable=False, default=_now)

    def as_dict(self) -> dict[str, str | None]:
        """The public entry: the role that acted, never who."""
        return {"transition": self.transition, "from_state": self.from_state, "to_state": self.to_state,
                "actor_role": self.actor_role, "note": self.note, "ground": self.ground,
                "created": self.created.isoformat()}


class AtiDocument(tk.BaseModel):
    """A document of a request kept from the public: given to the requester only, or
    hidden after publication. Readable by the requester, the officers and sysadmins."""
    __tablename__ = "transparency_ati_document"
    id = Column(Integer, primary_key=True)
    package_id = Column(UnicodeText, ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True)
    name = Column(UnicodeText, nullable=False)
    path = Column(UnicodeText)  # the file, relative to ckan.storage_path; or
    url = Column(UnicodeText)  # a link
    reason = Column(UnicodeText, nullable=False)
    user_id = Column(UnicodeText, ForeignKey("user.id"))
    created = Column(DateTime, nullable=False, default=_now)

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "url": self.url, "has_file": bool(self.path),
                "reason": self.reason, "created": self.created.isoformat()}


class Redaction(tk.BaseModel):
    """What was redacted from a published request, by whom and why: the audit, never public."""
    __tablename__ = "transparency_redaction"
    id = Column(Integer, primary_key=True)
    package_id = Column(UnicodeText, ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True)
    kind = Column(UnicodeText, nullable=False)  # "passage" or "document"
    original = Column(UnicodeText, nullable=False)  # the passage, or the document's name
    reason = Column(UnicodeText, nullable=False)
    user_id = Column(UnicodeText, ForeignKey("user.id"))
    created = Column(DateTime, nullable=False, default=_now)

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "kind": self.kind, "original": self.original, "reason": self.reason,
                "created": self.created.isoformat()}


class AtiCounter(tk.BaseModel):
    """The last tracking number given in a year."""
    __tablename__ = "transparency_ati_counter"
    year = Column(Integer, primary_key=True)
    last = Column(Integer, nullable=False)


class Outbox(tk.BaseModel):
    """E-mails to send, written in the same transaction as what they tell, so none is lost."""
    __tablename__ = "transparency_outbox"
    id = Column(Integer, primary_key=True)
    recipient = Column(UnicodeText, nullable=False)
    subject = Column(UnicodeText, nullable=False)
    body = Column(UnicodeText, nullable=False)
    created = Column(DateTime, nullable=False, default=_now)
    sent = Column(DateTime)
    attempts = Column(Integer, nullable=False, default=0)
    last_error = Column(UnicodeText)


def next_tracking_number(year: int) -> int:
    """The next number of ``year``, taken atomically (concurrent submissions never share one)."""
    stmt = sa.text(
        "INSERT INTO transparency_ati_counter (year, last) VALUES (:year, 1) "
        "ON CONFLICT (year) DO UPDATE SET last = transparency_ati_counter.last + 1 RETURNING last")
    return model.Session.execute(stmt, {"year": year}).scalar()


class Contribution(tk.BaseModel):
    """A citizen's contribution to a consultation. The contributor's account (and so
    their e-mail) stays here; the public sees the text, and the name only if agreed."""
    __tablename__ = "transparency_contribution"
    id = Column(Integer, primary_key=True)
    package_id = Column(UnicodeText, ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True)
    user_id = Column(UnicodeText, ForeignKey("user.id"), nullable=False, index=True)
    text = Column(UnicodeText, nullable=False)  # as published: contact details masked
    original_text = Column(UnicodeText)  # as typed: never public
    section = Column(UnicodeText)
    article = Column(UnicodeText)  # the number of the draft's article it is about (drafts.py)
    quote = Column(UnicodeText)  # the passage of the article it quotes
    proposal = Column(UnicodeText)  # the rewording it proposes
    lang = Column(UnicodeText)  # the language the contributor wrote in: their e-mails are in it
    commitment_id = Column(UnicodeText, ForeignKey("package.id", ondelete="SET NULL"), index=True)  # what it led to
    attachment = Column(UnicodeText)  # file name under <storage>/transparency/contributions/<id>/
    show_name = Column(sa.Boolean, nullable=False, default=False)
    public_name = Column(UnicodeText)  # the name shown, when the contributor agreed
    state = Column(UnicodeText, nullable=False, default="pending")
    reject_reason = Column(UnicodeText)
    answer_kind = Column(UnicodeText)
    answer_text = Column(UnicodeText)
    created = Column(DateTime, nullable=False, default=_now)
    moderated = Column(DateTime)
    answered = Column(DateTime)

    def as_dict(self) -> dict[str, object]:
        """What may be public, once published: the name only where the contributor agreed."""
        return {
            "id": self.id, "package_id": self.package_id, "text": self.text, "section": self.section,
            "article": self.article, "quote": self.quote, "proposal": self.proposal,
            "commitment_id": self.commitment_id,
            "attachment": self.attachment, "name": self.public_name if self.show_name else None,
            "state": self.state, "reject_reason": self.reject_reason, "answer_kind": self.answer_kind,
            "answer_text": self.answer_text, "created": self.created.isoformat(),
            "answered": self.answered.isoformat() if self.answered else None}


class Support(tk.BaseModel):
    """A signed-in citizen backs a published contribution, once."""
    __tablename__ = "transparency_contribution_support"
    contribution_id = Column(Integer, ForeignKey("transparency_contribution.id", ondelete="CASCADE"),
                             primary_key=True)
    user_id = Column(UnicodeText, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    created = Column(DateTime, nullable=False, default=_now)


class Notice(tk.BaseModel):
    """A notice that must go out once only: a consultation's "opened", "closing" and
    "report" to its followers, a request's "due soon" reminder to officers."""
    __tablename__ = "transparency_notice"
    package_id = Column(UnicodeText, ForeignKey("package.id", ondelete="CASCADE"), primary_key=True)
    kind = Column(UnicodeText, primary_key=True)
    sent = Column(DateTime, nullable=False, default=_now)


class MilestoneUpdate(tk.BaseModel):
    """A dated progress update on a milestone of a commitment, by its lead institution."""
    __tablename__ = "transparency_milestone_update"
    id = Column(Integer, primary_key=True)
    package_id = Column(UnicodeText, ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True)
    milestone = Column(Integer, nullable=False)  # position in the commitment's milestones
    milestone_title = Column(UnicodeText, nullable=False)
    state = Column(UnicodeText, nullable=False)
    date = Column(sa.Date, nullable=False)
    comment = Column(UnicodeText)
    evidence_url = Column(UnicodeText)
    user_id = Column(UnicodeText, ForeignKey("user.id"))  # audit only, never shown
    created = Column(DateTime, nullable=False, default=_now)

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "milestone": self.milestone, "milestone_title": self.milestone_title,
                "state": self.state, "date": self.date.isoformat(), "comment": self.comment,
                "evidence_url": self.evidence_url, "created": self.created.isoformat()}


def open_requests(org_id: str, states: frozenset[str]) -> list[tuple[str, str, str]]:
    """(package id, state, due date) of an institution's active requests in one of
    ``states``, by due date: from the database, right even while Solr is away."""
    state = sa.orm.aliased(model.PackageExtra)
    due = sa.orm.aliased(model.PackageExtra)
    return [tuple(row) for row in model.Session.query(model.Package.id, state.value, due.value)
            .join(state, sa.and_(state.package_id == model.Package.id, state.key == "ati_state"))
            .join(due, sa.and_(due.package_id == model.Package.id, due.key == "due_date"))
            .filter(model.Package.owner_org == org_id, model.Package.type == "ati-request",
                    model.Package.state == "active", state.value.in_(states))
            .order_by(due.value, model.Package.id)]


class DocumentText(tk.BaseModel):
    """The text read from an uploaded document (documents.py), indexed with its record."""
    __tablename__ = "transparency_document_text"
    resource_id = Column(UnicodeText, ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True)
    package_id = Column(UnicodeText, ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True)
    sha256 = Column(UnicodeText, nullable=False)  # of the file read: a replaced file is read again
    text = Column(UnicodeText)  # None when it could not be read
    error = Column(UnicodeText)  # why it could not be read
    extracted = Column(DateTime, nullable=False, default=_now)


def support_counts(package_id: str) -> dict[int, int]:
    """Supports per contribution of a consultation (contributions without any are absent)."""
    return dict(model.Session.query(Support.contribution_id, sa.func.count())
                .join(Contribution, Contribution.id == Support.contribution_id)
                .filter(Contribution.package_id == package_id).group_by(Support.contribution_id))


def supported_by(user_id: str, package_id: str) -> set[int]:
    """The contributions of a consultation that ``user_id`` supports."""
    return {cid for (cid,) in model.Session.query(Support.contribution_id)
            .join(Contribution, Contribution.id == Support.contribution_id)
            .filter(Contribution.package_id == package_id, Support.user_id == user_id)}


def contributions_to(commitment_id: str) -> list[tuple[Contribution, str | None, model.Package]]:
    """The published contributions that led to a commitment, with their contributor's
    e-mail (never public) and their consultation, oldest first."""
    return [tuple(row) for row in model.Session.query(Contribution, model.User.email, model.Package)
            .join(model.User, model.User.id == Contribution.user_id)
            .join(model.Package, model.Package.id == Contribution.package_id)
            .filter(Contribution.commitment_id == commitment_id, Contribution.state == "published",
                    model.Package.state == "active", model.Package.private.is_(False))
            .order_by(Contribution.id)]
