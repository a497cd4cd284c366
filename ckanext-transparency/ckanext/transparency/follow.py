"""Following: requests and institutions through CKAN's own follow (``follow_dataset``,
``follow_group``), searches in ``transparency_saved_search``; once a day each
follower gets a digest of what changed since the previous one (state changes and
answers of the requests, new publications of the institutions, new results of the
searches), whose link stops it. A digest reads only what is public: never who
filed a request."""
from __future__ import annotations

import datetime
import json
from typing import Any
from urllib.parse import urlencode

import itsdangerous

import ckan.plugins.toolkit as tk
from ckan import model

from . import mail
from .model import Digest, SavedSearch, events_since, followed, followers, published_since

EVERY = datetime.timedelta(days=1)
# What an institution's followers are told of when it publishes.
PUBLISHED_TYPES = ("publication", "dataset")


def _signer() -> itsdangerous.URLSafeSerializer:
    return itsdangerous.URLSafeSerializer(str(tk.config.get("SECRET_KEY")), salt="transparency-digest-stop")


def stop_link(digest: Digest) -> str:
    """The link of a digest that stops the following, without signing in."""
    return tk.url_for("transparency.follow_stop", token=_signer().dumps(digest.id), _external=True)


def digest_of_token(token: str) -> Digest | None:
    """The digest whose link carries ``token`` (None for a forged or unknown one)."""
    try:
        return model.Session.get(Digest, int(_signer().loads(token)))
    except (itsdangerous.BadData, TypeError, ValueError):
        return None


def search_url(search: SavedSearch) -> str:
    args = ([("q", search.q)] if search.q else []) + [tuple(pair) for pair in json.loads(search.filters)]
    url = tk.url_for(f"{search.dataset_type}.search", _external=True)
    return url + ("?" + urlencode(args) if args else "")


def _record(pkg: dict[str, Any]) -> dict[str, Any]:
    return {"pkg": pkg, "url": tk.url_for(f"{pkg['type']}.read", id=pkg["name"], _external=True)}


def changes(user_id: str, since: datetime.datetime) -> dict[str, list[dict[str, Any]]]:
    """What changed since ``since`` in what ``user_id`` follows, as public records."""
    show = tk.get_action("package_show")
    context = {"user": model.User.get(user_id).name}
    request_ids, org_ids = followed(user_id)
    requests: dict[str, dict[str, Any]] = {}
    for event in events_since(request_ids, since):
        if event.package_id not in requests:
            requests[event.package_id] = dict(_record(show(dict(context), {"id": event.package_id})), events=[])
        requests[event.package_id]["events"].append(event.as_dict())
    institutions: dict[str, dict[str, Any]] = {}
    for package_id in published_since(org_ids, since, PUBLISHED_TYPES):
        pkg = show(dict(context), {"id": package_id})
        institutions.setdefault(pkg["owner_org"], {"org": pkg["organization"], "records": []})["records"].append(
            _record(pkg))
    searches = []
    for search in model.Session.query(SavedSearch).filter(SavedSearch.user_id == user_id).order_by(SavedSearch.id):
        fq = " ".join(f'{field}:"{value}"' for field, value in json.loads(search.filters))
        found = tk.get_action("package_search")(dict(context), {
            "q": search.q, "rows": 20, "sort": "metadata_created desc",
            "fq": f'{fq} +dataset_type:"{search.dataset_type}" '
                  f'+metadata_created:[{since.isoformat(timespec="seconds")}Z TO *]'})
        if found["results"]:
            searches.append({"search": search.as_dict(), "url": search_url(search), "count": found["count"],
                             "records": [_record(pkg) for pkg in found["results"]]})
    return {"requests": list(requests.values()), "institutions": list(institutions.values()), "searches": searches}


def send_digests() -> int:
    """Queues a digest to each follower whose last one is a day old or more and
    for whom something changed; their number."""
    now = datetime.datetime.utcnow()
    sent = 0
    for user_id in followers():
        last = (model.Session.query(Digest.sent).filter(Digest.user_id == user_id)
                .order_by(Digest.sent.desc()).limit(1).scalar())
        if last is not None and now - last < EVERY:
            continue
        news = changes(user_id, last or now - EVERY)
        user = model.User.get(user_id)
        if not any(news.values()) or not user.email:
            continue
        digest = Digest(user_id=user_id, sent=now)
        model.Session.add(digest)
        model.Session.flush()
        mail.send([user.email], "transparency/emails/digest.txt", tk.config.get("ckan.locale_default"),
                  stop=stop_link(digest), **news)
        sent += 1
    model.repo.commit()
    return sent
