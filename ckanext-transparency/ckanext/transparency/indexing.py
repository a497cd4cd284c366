"""Saving never waits for the search engine.

CKAN indexes a package inside the commit that saves it, so with Solr down the
save fails. Before a package is indexed, ``guard`` checks that Solr answers; if
it does not, the package is queued in ``transparency_index_queue`` (in a
transaction of its own) and ``SearchUnavailable`` is raised: CKAN logs
exceptions other than its SearchIndexError at that point and lets the commit
go on. ``flush_queue`` indexes the queue once Solr is back (``ckan transparency
periodic``, within its interval of Solr's return; ``refresh`` too).
"""
from __future__ import annotations

import datetime
import logging

import sqlalchemy as sa

from ckan import model
from ckan.lib import search
from ckan.lib.search.common import make_connection

log = logging.getLogger(__name__)

_QUEUE = sa.table("transparency_index_queue", sa.column("package_id"), sa.column("queued"))


class SearchUnavailable(Exception):
    """Solr cannot be reached: the package is saved and queued for indexing."""


def solr_answers() -> bool:
    try:
        make_connection().ping()
    except Exception:  # any failure to reach Solr means: not now
        return False
    return True


def guard(package_id: str) -> None:
    """Queues ``package_id`` and raises SearchUnavailable when Solr does not answer."""
    if solr_answers():
        return
    with model.meta.engine.begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO transparency_index_queue (package_id, queued) VALUES (:id, :now) "
            "ON CONFLICT (package_id) DO NOTHING"), {"id": package_id, "now": datetime.datetime.utcnow()})
    raise SearchUnavailable(f"Solr is unreachable: package {package_id} saved and queued for indexing")


def queued() -> list[str]:
    return [row[0] for row in model.Session.execute(sa.select(_QUEUE.c.package_id).order_by(_QUEUE.c.queued))]


def flush_queue() -> tuple[int, int]:
    """Indexes the queued packages; stops at the first failure. Returns (indexed, left)."""
    ids = queued()
    done = 0
    for package_id in ids:
        if not solr_answers():
            break
        search.rebuild(package_id)
        model.Session.execute(sa.delete(_QUEUE).where(_QUEUE.c.package_id == package_id))
        model.Session.commit()
        done += 1
    return done, len(ids) - done


def reindex_type(dataset_type: str) -> int:
    """Reindexes every active package of a type whose figures follow the clock."""
    ids = [pid for (pid,) in model.Session.query(model.Package.id)
           .filter(model.Package.type == dataset_type, model.Package.state == "active")]
    if ids:
        search.rebuild(package_ids=ids, quiet=True)
        search.commit()  # rebuild(package_ids=...) leaves the Solr commit to the caller
    return len(ids)
