"""How the portal answers as a web service, behind its front (nginx).

- Caching: an anonymous GET is ``public`` for ``ckan.cache_expires`` seconds
  (CKAN's own rule: no session data, no signed-in user), so the front may
  micro-cache it; anything personal (a signed-in user, an API token, a write, a
  flash message) is ``private, no-store``; errors are never stored.
- Faults: while PostgreSQL or Solr cannot be reached, pages answer 503 with a
  short page in the reader's language and ``Retry-After``, the API a JSON error
  in CKAN's format; never a bare 500, nor when PostgreSQL goes away once the
  answer is made.
- CKAN's not found, not authorized and invalid errors that a core view lets
  escape answer 404, 403 and 400, not 500.
- The client's address: behind ``ckanext.transparency.trusted_proxies`` proxies
  (the front), ``X-Forwarded-For`` gives it (werkzeug's ProxyFix), so the
  per-address limits key on the citizen, not on the front.
"""
from __future__ import annotations

import logging
import re
from typing import Any

import flask
import sqlalchemy.exc
from werkzeug import exceptions
from werkzeug.middleware.proxy_fix import ProxyFix

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.search import SearchError, SearchIndexError
from ckanext.dcat.utils import CONTENT_TYPES

log = logging.getLogger(__name__)

RDF_TYPES = frozenset(CONTENT_TYPES.values())

# What a service that is down (or restarting) raises through CKAN. A SearchIndexError
# undoes the save (CKAN indexes inside the commit): with SolrCloud, the shard's leader lost
# and no new one elected yet (indexing.guard's ping is answered by the surviving replica).
FAULTS = (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError,
          sqlalchemy.exc.PendingRollbackError, SearchError, SearchIndexError)

# CKAN's own errors that some core views let escape (an anonymous user
# autocomplete, changes between versions without their ids): the answer they mean.
REFUSALS = {tk.ObjectNotFound: (exceptions.NotFound, "Not Found Error"),
            tk.NotAuthorized: (exceptions.Forbidden, "Authorization Error"),
            tk.ValidationError: (exceptions.BadRequest, "Validation Error")}


def wrap(app: Any) -> Any:
    """Installs the portal's serving rules on CKAN's Flask app (IMiddleware)."""
    proxies = tk.config.get("ckanext.transparency.trusted_proxies")
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    for fault in FAULTS:
        app.register_error_handler(fault, unavailable)
    for error in REFUSALS:
        app.register_error_handler(error, refused)
    app.after_request(answer_headers)
    app.after_request(rdf_charset)
    app.after_request(release_session)  # the last registered runs first
    return app


def release_session(response: flask.Response) -> flask.Response:
    """Ends the request's database session before CKAN's own after-request hook does. When
    PostgreSQL went away after the answer was made (its primary lost in a failover), rolling
    back the finished transaction fails: CKAN's hook would turn a made answer into a 500. The
    answer stands (what it acknowledged was committed); the broken connection is dropped."""
    try:
        model.Session.remove()
    except FAULTS as error:
        log.warning("database connection lost after the answer was made: %s", error)
        model.Session.registry.clear()
    return response


def rdf_charset(response: flask.Response) -> flask.Response:
    """ckanext-dcat sends Turtle, RDF/XML, N3 and JSON-LD without a charset: clients
    that default to Latin-1 would read Arabic as mojibake. Its serializers write UTF-8."""
    if response.mimetype in RDF_TYPES and not response.mimetype_params.get("charset"):
        response.headers["Content-Type"] = "{}; charset=utf-8".format(response.mimetype)
    return response


def answer_headers(response: flask.Response) -> flask.Response:
    """Runs before CKAN's own after-request hook, which then writes ``public,
    max-age`` or ``private`` from ``__no_cache__``: this adds what CKAN leaves open
    (API answers, pages whose session holds only a form's CSRF token), and
    ``Retry-After`` to every 503 (search pages while Solr is away included)."""
    request = flask.request
    if response.status_code == 500 and request.path.startswith("/api/") and (
            _search_index_unavailable(response) or _database_unavailable()):
        response.status_code = 503  # CKAN's API view answers any exception with a 500 of its own
    if response.status_code == 503 and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = str(tk.config.get("ckanext.transparency.retry_after"))
    if (response.status_code >= 500 or request.method not in ("GET", "HEAD")
            or request.environ.get("__no_cache__") or "Authorization" in request.headers
            or flask.session or tk.current_user.is_authenticated):  # a session: a form's token, a flash
        request.environ["__no_cache__"] = True
        response.cache_control.no_store = True
    return response


def _search_index_unavailable(response: flask.Response) -> bool:
    """CKAN's API error for a save undone because Solr could not index it (Solr answered
    5xx or nothing); a document Solr refuses (4xx) stays a 500."""
    if not response.is_json:
        return False
    error = (response.get_json(silent=True) or {}).get("error") or {}
    return error.get("__type") == "Search Index Error" and not re.search(r"\(HTTP 4\d\d\)", error.get("message", ""))


def _database_unavailable() -> bool:
    """PostgreSQL cannot be reached (a write in flight when the primary died, a failover)."""
    try:
        with model.meta.engine.connect() as connection:
            connection.execute(sqlalchemy.text("SELECT 1"))
    except sqlalchemy.exc.SQLAlchemyError:
        return True
    return False


def unavailable(error: Exception) -> flask.Response:
    """503 (``answer_headers`` adds ``Retry-After``): a page that needs neither the database nor Solr."""
    log.warning("service unavailable: %s", error)
    message = tk._("The portal is temporarily unavailable. Please try again in a moment.")
    if flask.request.path.startswith("/api/"):
        response = flask.jsonify({"help": flask.request.url, "success": False,
                                  "error": {"__type": "Service Unavailable", "message": message}})
    else:
        if "_login_user" not in flask.g:
            # The signed-in user (an API token, a session) is read from the database, which may
            # be what failed: the page is rendered for an anonymous reader (flask-login's g slot).
            flask.g._login_user = flask.current_app.login_manager.anonymous_user()
        response = flask.make_response(flask.render_template("transparency/unavailable.html", message=message))
    response.status_code = 503
    return response


def refused(error: Exception) -> Any:
    """404, 403 or 400, as a JSON error in CKAN's format for the API, else CKAN's error page."""
    http, kind = next(answer for cls, answer in REFUSALS.items() if isinstance(error, cls))
    if flask.request.path.startswith("/api/"):
        return flask.jsonify({"help": flask.request.url, "success": False,
                              "error": {"__type": kind, "message": http.description}}), http.code
    return flask.current_app.handle_http_exception(http())
