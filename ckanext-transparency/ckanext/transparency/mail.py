"""E-mails of the portal, through an outbox table.

An e-mail is written to ``transparency_outbox`` in the same transaction as the
change it tells of, so it exists once the change is committed, whatever the
state of Redis or of the SMTP server. ``send_pending`` sends what is due (from
a background job right after the commit, and from ``ckan transparency
periodic`` every 5 minutes), retrying failures at the next run.
"""
from __future__ import annotations

import datetime
import logging

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import mailer

from .model import Outbox

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10


def queue(recipient: str, subject: str, body: str) -> None:
    """Adds an e-mail to the outbox of the current transaction (the caller commits)."""
    model.Session.add(Outbox(recipient=recipient, subject=subject, body=body))


def send_soon() -> None:
    """Asks a background worker to send the outbox now; ``periodic`` catches up if Redis is down."""
    try:
        tk.enqueue_job(send_pending, title="transparency: send e-mails", rq_kwargs={"ttl": 3600})
    except Exception as error:  # Redis unreachable: the e-mails wait in the outbox.
        log.warning("E-mails left in the outbox for the next `ckan transparency send-mail`: %s", error)


def send_pending(limit: int = 200) -> tuple[int, int]:
    """Sends unsent e-mails, oldest first. Returns (sent, failed)."""
    pending = (model.Session.query(Outbox)
               .filter(Outbox.sent.is_(None), Outbox.attempts < MAX_ATTEMPTS)
               .order_by(Outbox.id).with_for_update(skip_locked=True).limit(limit).all())
    sent = failed = 0
    for message in pending:
        message.attempts += 1
        try:
            mailer.mail_recipient(message.recipient, message.recipient, message.subject, message.body)
        except Exception as error:  # SMTP down or misconfigured: kept, retried at the next run.
            message.last_error = f"{type(error).__name__}: {error}"[:1000]
            failed += 1
        else:
            message.sent = datetime.datetime.utcnow()
            message.last_error = None
            sent += 1
    model.Session.commit()
    return sent, failed
