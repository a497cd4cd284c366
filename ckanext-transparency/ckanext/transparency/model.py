"""The bundle's own tables (created by migration/transparency).

What must not be public lives here, never in a package dict: the requester's
identity, and the e-mail outbox. The history of a request is here too, as rows.
"""
from __future__ import annotations

import datetime
import json

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
    user_id = Column(UnicodeText, ForeignKey("user.id"), index=True)  # None: registered by an officer
    full_name = Column(UnicodeText, nullable=False)
    id_number = Column(UnicodeText, nullable=False)
    address = Column(UnicodeText, nullable=False)
    email = Column(UnicodeText, nullable=False)
    phone = Column(UnicodeText)
    urgent_reason = Column(UnicodeText)  # may tell of the requester's life, safety or freedom
    address_hash = Column(UnicodeText)  # keyed hash of the network address, for the per-address limit
    original_text = Column(UnicodeText, nullable=False)  # the description before masking
    language = Column(UnicodeText, nullable=False, default="fr")  # of the page it was filed from: their e-mails' first
    created = Column(DateTime, nullable=False, default=_now)

    def as_dict(self) -> dict[str, str | None]:
        return {"package_id": self.package_id, "user_id": self.user_id, "full_name": self.full_name,
                "id_number": self.id_number, "address": self.address, "email": self.email,
                "phone": self.phone, "urgent_reason": self.urgent_reason, "original_text": self.original_text,
                "language": self.language, "created": self.created.isoformat()}


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


class SavedSearch(tk.BaseModel):
    """A search a signed-in person follows: its new results come in their digest."""
    __tablename__ = "transparency_saved_search"
    id = Column(Integer, primary_key=True)
    user_id = Column(UnicodeText, ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True)
    dataset_type = Column(UnicodeText, nullable=False)  # the search page's type
    q = Column(UnicodeText, nullable=False, default="")
    filters = Column(UnicodeText, nullable=False, default="[]")  # JSON list of [field, value] of the page's facets
    created = Column(DateTime, nullable=False, default=_now)

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "dataset_type": self.dataset_type, "q": self.q, "filters": json.loads(self.filters),
                "created": self.created.isoformat()}


class Digest(tk.BaseModel):
    """A digest sent to a follower: what changed since the previous one. Its link
    stops the following (once)."""
    __tablename__ = "transparency_digest"
    id = Column(Integer, primary_key=True)
    user_id = Column(UnicodeText, ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True)
    sent = Column(DateTime, nullable=False, default=_now)
    stopped = Column(DateTime)


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


def filings_since(since: datetime.datetime, who: sa.sql.ColumnElement) -> int:
    """Filings of requests by ``who`` (a condition on the requester) since ``since``: a
    batch sent to several institutions is one filing."""
    batch = sa.orm.aliased(model.PackageExtra)
    return (model.Session.query(sa.func.count(sa.distinct(sa.func.coalesce(batch.value, AtiRequester.package_id))))
            .select_from(AtiRequester).outerjoin(batch, sa.and_(batch.package_id == AtiRequester.package_id, batch.key == "batch"))
            .filter(who, AtiRequester.created > since).scalar())


def batch_requests(batch: str) -> list[str]:
    """The ids of the active requests of a batch, in the order they were filed."""
    return [pid for (pid,) in model.Session.query(model.Package.id)
            .join(model.PackageExtra, model.PackageExtra.package_id == model.Package.id)
            .filter(model.PackageExtra.key == "batch", model.PackageExtra.value == batch,
                    model.Package.type == "ati-request", model.Package.state == "active")
            .order_by(model.Package.name)]


def open_requests(org_id: str | None, states: frozenset[str],
                  fields: tuple[str, ...] = ("due_date",)) -> list[tuple[str, str, dict[str, str | None]]]:
    """(package id, state, {field: value}) of the active requests in one of ``states``, of
    one institution (or all), with the dates ``fields`` of their records: from the
    database, right even while Solr is away."""
    state = sa.orm.aliased(model.PackageExtra)
    extras = [sa.orm.aliased(model.PackageExtra) for _ in fields]
    query = (model.Session.query(model.Package.id, state.value, *(extra.value for extra in extras))
             .join(state, sa.and_(state.package_id == model.Package.id, state.key == "ati_state")))
    for extra, field in zip(extras, fields):
        query = query.outerjoin(extra, sa.and_(extra.package_id == model.Package.id, extra.key == field))
    query = query.filter(model.Package.type == "ati-request", model.Package.state == "active",
                         state.value.in_(states))
    if org_id is not None:
        query = query.filter(model.Package.owner_org == org_id)
    return [(row[0], row[1], dict(zip(fields, row[2:]))) for row in query.order_by(model.Package.id)]


def request_clock(states: frozenset[str], since: datetime.date) -> list[tuple[str, str, str, datetime.date | None]]:
    """(package id, state, due date, day of its last change) of the active requests
    in one of ``states`` due or changed since ``since``: what their reminders need."""
    state = sa.orm.aliased(model.PackageExtra)
    due = sa.orm.aliased(model.PackageExtra)
    last = (sa.select(AtiEvent.package_id, sa.func.max(AtiEvent.created).label("at"))
            .group_by(AtiEvent.package_id).subquery())
    rows = (model.Session.query(model.Package.id, state.value, due.value, last.c.at)
            .join(state, sa.and_(state.package_id == model.Package.id, state.key == "ati_state"))
            .join(due, sa.and_(due.package_id == model.Package.id, due.key == "due_date"))
            .outerjoin(last, last.c.package_id == model.Package.id)
            .filter(model.Package.type == "ati-request", model.Package.state == "active",
                    state.value.in_(sorted(states)),
                    sa.or_(due.value >= since.isoformat(), last.c.at >= since))
            .order_by(model.Package.id))
    return [(pid, value, due_date, at.date() if at else None) for pid, value, due_date, at in rows]


def followers() -> list[str]:
    """Ids of the active users who follow a request, an institution or a search."""
    requests = (sa.select(model.UserFollowingDataset.follower_id)
                .join(model.Package, model.Package.id == model.UserFollowingDataset.object_id)
                .where(model.Package.type == "ati-request"))
    institutions = (sa.select(model.UserFollowingGroup.follower_id)
                    .join(model.Group, model.Group.id == model.UserFollowingGroup.object_id)
                    .where(model.Group.is_organization.is_(True)))
    searches = sa.select(SavedSearch.user_id)
    ids = sa.union(requests, institutions, searches).subquery()
    return [uid for (uid,) in model.Session.query(model.User.id).filter(
        model.User.id.in_(sa.select(ids.c[0])), model.User.state == "active").order_by(model.User.id)]


def followed(user_id: str) -> tuple[list[str], list[str]]:
    """The ids of the requests and of the institutions ``user_id`` follows."""
    requests = (model.Session.query(model.Package.id)
                .join(model.UserFollowingDataset, model.UserFollowingDataset.object_id == model.Package.id)
                .filter(model.UserFollowingDataset.follower_id == user_id, model.Package.type == "ati-request",
                        model.Package.state == "active", model.Package.private.is_(False)))
    institutions = (model.Session.query(model.Group.id)
                    .join(model.UserFollowingGroup, model.UserFollowingGroup.object_id == model.Group.id)
                    .filter(model.UserFollowingGroup.follower_id == user_id, model.Group.is_organization.is_(True),
                            model.Group.state == "active"))
    return [pid for (pid,) in requests.order_by(model.Package.id)], [gid for (gid,) in institutions.order_by(model.Group.id)]


def events_since(package_ids: list[str], since: datetime.datetime) -> list[AtiEvent]:
    """The history entries of these requests made after ``since``, oldest first."""
    return (model.Session.query(AtiEvent).filter(AtiEvent.package_id.in_(package_ids), AtiEvent.created > since)
            .order_by(AtiEvent.package_id, AtiEvent.id).all()) if package_ids else []


def published_since(org_ids: list[str], since: datetime.datetime, types: tuple[str, ...]) -> list[str]:
    """Ids of the public records of ``types`` these institutions published after ``since``."""
    return [pid for (pid,) in model.Session.query(model.Package.id).filter(
        model.Package.owner_org.in_(org_ids), model.Package.type.in_(types), model.Package.state == "active",
        model.Package.private.is_(False), model.Package.metadata_created > since)
        .order_by(model.Package.owner_org, model.Package.metadata_created)] if org_ids else []


def stop_following(user_id: str) -> None:
    """Ends everything the digest of ``user_id`` is about: followed requests,
    institutions and saved searches (consultations keep their own notices)."""
    requests = sa.select(model.Package.id).where(model.Package.type == "ati-request")
    model.Session.query(model.UserFollowingDataset).filter(
        model.UserFollowingDataset.follower_id == user_id,
        model.UserFollowingDataset.object_id.in_(requests)).delete(synchronize_session=False)
    institutions = sa.select(model.Group.id).where(model.Group.is_organization.is_(True))
    model.Session.query(model.UserFollowingGroup).filter(
        model.UserFollowingGroup.follower_id == user_id,
        model.UserFollowingGroup.object_id.in_(institutions)).delete(synchronize_session=False)
    model.Session.query(SavedSearch).filter(SavedSearch.user_id == user_id).delete(synchronize_session=False)


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


class ReuseProposal(tk.BaseModel):
    """A reuse a citizen proposed: its package (private until approved) and its author, who
    is never in the package. Readable by the moderators (officers of an institution whose
    dataset it uses, sysadmins)."""
    __tablename__ = "transparency_reuse_proposal"
    package_id = Column(UnicodeText, ForeignKey("package.id", ondelete="CASCADE"), primary_key=True)
    user_id = Column(UnicodeText, ForeignKey("user.id", ondelete="CASCADE"), nullable=False, index=True)
    lang = Column(UnicodeText, nullable=False)  # of the page it was proposed from: the author's e-mails
    state = Column(UnicodeText, nullable=False, default="pending")  # pending, approved, rejected
    reason = Column(UnicodeText)  # of a rejection, told to the author
    decided_by = Column(UnicodeText, ForeignKey("user.id", ondelete="SET NULL"))
    created = Column(DateTime, nullable=False, default=_now)
    decided = Column(DateTime)

    def as_dict(self) -> dict[str, str | None]:
        """The proposal as its moderators read it (the author's account stays here)."""
        return {"package_id": self.package_id, "state": self.state, "reason": self.reason,
                "created": self.created.isoformat(), "decided": self.decided.isoformat() if self.decided else None}


def proposals_since(user_id: str, since: datetime.datetime) -> int:
    """Reuses ``user_id`` proposed since ``since``."""
    return (model.Session.query(sa.func.count(ReuseProposal.package_id))
            .filter(ReuseProposal.user_id == user_id, ReuseProposal.created > since).scalar())


def pending_proposals() -> list[ReuseProposal]:
    """The proposals that wait for a decision, oldest first."""
    return (model.Session.query(ReuseProposal).filter(ReuseProposal.state == "pending")
            .order_by(ReuseProposal.created).all())
