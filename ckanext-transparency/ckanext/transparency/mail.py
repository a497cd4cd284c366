"""E-mails of the portal, through an outbox table.

An e-mail is written to ``transparency_outbox`` in the same transaction as the
change it tells of, so it exists once the change is committed, whatever the
state of Redis or of the SMTP server. ``send_pending`` sends what is due (from
a background job right after the commit, and from ``ckan transparency
periodic`` every 5 minutes), retrying failures at the next run.

Texts are templates (``templates/transparency/emails/``) whose strings are in
the catalogues: each e-mail is written in its reader's language, then in the
portal's other language below.
"""
from __future__ import annotations

import contextlib
import datetime
import logging
from typing import Any, Iterator

import flask
import flask_babel

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import mailer

from .model import Outbox

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 10


def queue(recipient: str, subject: str, body: str) -> None:
    """Adds an e-mail to the outbox of the current transaction (the caller commits)."""
    model.Session.add(Outbox(recipient=recipient, subject=subject, body=body))


# Every e-mail is written in these languages, the reader's first.
LANGUAGES = ("ar", "fr")
SEPARATOR = "\n\n" + "—" * 24 + "\n\n"
_app: list[flask.Flask] = []


def use_app(app: flask.Flask) -> flask.Flask:
    """Keeps CKAN's Flask app (given to the plugin's IMiddleware): e-mails are also
    written outside web requests (``ckan transparency periodic``, tests)."""
    _app[:] = [app]
    return app


def languages(first: str) -> list[str]:
    """The languages of an e-mail to a reader of ``first``: theirs, then the others."""
    return [first] + [lang for lang in LANGUAGES if lang != first]


@contextlib.contextmanager
def in_language(lang: str) -> Iterator[None]:
    """Helpers, catalogues and dates in ``lang``, as on a page at /<lang>/."""
    app = flask.current_app._get_current_object() if flask.has_app_context() else _app[0]
    with app.test_request_context(base_url=tk.config.get("ckan.site_url"), environ_overrides={"CKAN_LANG": lang}), \
            flask_babel.force_locale(lang):
        yield


def compose(template: str, lang: str, **extra: Any) -> tuple[str, str]:
    """The subject and body of ``template`` (its block ``subject``, then the whole)
    in ``lang`` then in the other languages below."""
    subjects, bodies = [], []
    for each in languages(lang):
        with in_language(each):
            app = flask.current_app
            context = dict(extra)
            app.update_template_context(context)
            if "transparency_text" not in app.extensions:  # CKAN's templates, not escaped for HTML: plain text
                app.extensions["transparency_text"] = app.jinja_env.overlay(autoescape=False)
            found = app.extensions["transparency_text"].get_template(template)
            subjects.append("".join(found.blocks["subject"](found.new_context(context))).strip())
            bodies.append(found.render(context).strip())
    return " / ".join(dict.fromkeys(subjects)), SEPARATOR.join(bodies) + "\n"


def send(recipients: list[str], template: str, lang: str, prefix: str = "", **extra: Any) -> None:
    """Queues ``template`` written for readers of ``lang`` to each of ``recipients``,
    its subject after ``prefix``."""
    if recipients:
        subject, body = compose(template, lang, **extra)
        for recipient in recipients:
            queue(recipient, prefix + subject, body)


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
