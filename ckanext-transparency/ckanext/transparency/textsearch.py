"""Search in Arabic and French: what is indexed, how plain words are queried, and
the highlighted snippet shown under a result.

Index: every text a reader sees goes into three fields of the portal's Solr
schema (config/solr/conf/schema.xml), analysed for Arabic and French:
``search_title``, ``search_body`` (which repeats the titles, read with the
synonyms; Solr copies it into ``search_body_fr`` to look them up as French too)
and ``search_document``. Query: plain words (no field, no query parser chosen
by the caller) are read by edismax over those fields, a title above a body
above a document's text (the title's phrase boost is in solrconfig.xml).
"""
from __future__ import annotations

import functools
import json
import re
from typing import Any

import ckan.plugins.toolkit as tk
from flask import has_request_context
from ckan.lib.search.common import make_connection

from . import documents, search

TITLE_FIELDS = ("title", "title_ar", "long_title", "long_title_ar")
# Free text of the schemas beside their *_ar fields (found in the schemas, with their twins).
BODY_FIELDS = ("notes", "answer", "report_summary", "methodology", "legal_reference", "document_type", "unit")
# Choice fields whose labels (in every language) say what a record is about.
LABELLED_FIELDS = ("category", "theme", "topic", "policy_areas", "spatial_region", "reuse_kind")

QUERY_FIELDS = "search_title^4 search_body^1.5 search_body_fr^1.5 search_document^0.5 name^4 text^0.5"
# 1 or 2 words: all of them; 3 or 4: all but one; more: three quarters.
MINIMUM_MATCH = "2<-1 4<75%"
# Suggestions while a request is typed: a subject shares a few of its words with an
# earlier record. 1 word: it; 2 to 4: all but one; more: half.
SUGGESTION_MATCH = "1<-1 4<50%"
SUGGESTION_WORDS = 32
HIGHLIGHT_FIELDS = ("search_body", "search_document")  # the body repeats the titles
_MARK_START, _MARK_END = "\x02", "\x03"  # never in indexed text (XML 1.0 forbids them)
_ARABIC = re.compile("[\u0600-\u06ff]")
_WORDS_PARSER = "{!edismax q.op=OR}"
# Field-qualified or Solr syntax: left to CKAN's own reading of q.
_SOLR_SYNTAX = re.compile(r"""[:*?(){}\[\]^~]|\b(AND|OR|NOT|TO)\b|(^|\s)[+-]\S""")


def index_fields(pkg_dict: dict[str, Any]) -> None:
    """Fills the search_* fields of a package about to be indexed."""
    pkg = json.loads(pkg_dict["validated_data_dict"])
    body_fields = _body_fields()
    titles = [pkg[f] for f in TITLE_FIELDS if isinstance(pkg.get(f), str)]
    body = [pkg[f] for f in body_fields if isinstance(pkg.get(f), str)]
    body += [actor for actor in _list(pkg.get("support_actors")) if isinstance(actor, str)]
    body += [tag["name"] for tag in pkg.get("tags") or []]
    for resource in pkg.get("resources") or []:
        body += [resource[k] for k in ("name", "description") if resource.get(k)]
    organization = pkg.get("organization") or {}
    body += [organization[k] for k in ("title", "description") if organization.get(k)]
    body += [milestone["title"] for milestone in _list(pkg.get("milestones")) if milestone.get("title")]
    labels = search.choice_labels()
    for field in LABELLED_FIELDS:
        for value in _list(pkg.get(field)):
            body += list(labels.get(field, {}).get(value, {}).values())
    pkg_dict["search_title"] = [t for t in titles if t.strip()]
    pkg_dict["search_body"] = pkg_dict["search_title"] + [t for t in body if isinstance(t, str) and t.strip()]
    pkg_dict["search_document"] = documents.texts_of(pkg_dict["id"])


def _list(value: Any) -> list[Any]:
    if isinstance(value, str):
        value = json.loads(value) if value.startswith("[") else [value]
    return value or []


def query_params(search_params: dict[str, Any]) -> dict[str, Any]:
    """Plain words without a query parser or fields of the caller's are read by
    edismax over the Arabic and French fields, MINIMUM_MATCH of them required;
    anything else (``name:x``, ``*:*``, Solr syntax, a caller's ``defType``, ``qf``
    or ``mm``) keeps CKAN's documented meaning."""
    q = search_params.get("q")
    if is_plain_words(q, search_params):
        search_params.update(words_query(q, MINIMUM_MATCH))
    return search_params


def words_query(words: str, minimum_match: str) -> dict[str, str]:
    """The Solr parameters that read ``words`` with edismax over QUERY_FIELDS,
    ``minimum_match`` of them required. CKAN sends ``q.op=AND``, under which edismax
    requires every word whatever ``mm`` says; the edismax named in the query itself
    (``{!edismax q.op=OR}``, under Solr's standard parser, which alone reads local
    parameters; plugin.py allows it) leaves the choice to ``mm``, and still reads
    the words together, so that a synonym of several words ("marchés publics")
    matches."""
    return {"q": f"{_WORDS_PARSER}{words}", "defType": "lucene", "qf": QUERY_FIELDS, "mm": minimum_match}


def suggestion_query(subject: str, text: str) -> str:
    """The words of the subject a person typed (of the text while there is no subject:
    a long text would drown the subject's words), at most SUGGESTION_WORDS, in lower
    case (so that and, or, not stay words)."""
    words = re.findall(r"\w+", subject or "") or re.findall(r"\w+", text or "")
    return " ".join(word.lower() for word in words[:SUGGESTION_WORDS])


def is_plain_words(q: Any, search_params: dict[str, Any]) -> bool:
    return (isinstance(q, str) and bool(q.strip()) and not _SOLR_SYNTAX.search(q)
            and not any(search_params.get(k) for k in ("defType", "qf", "mm")))


def _read_as_words(search_params: dict[str, Any]) -> bool:
    return str(search_params.get("q", "")).startswith(_WORDS_PARSER) and search_params.get("qf") == QUERY_FIELDS


def add_snippets(search_results: dict[str, Any], search_params: dict[str, Any]) -> dict[str, Any]:
    """Gives each result of a plain-word search made for a page ``search_snippet``:
    the passage of its title, description or document text that matched,
    ``{"lang": "ar" or "fr", "pieces": [{"text", "match"}, ...]}`` (a template
    marks the matches), in the page's language first when the record matched in
    both. The API answers as CKAN documents it, without this second query."""
    results = search_results.get("results") or []
    ids = [r["id"] for r in results if isinstance(r, dict) and r.get("id")]
    if not ids or not _read_as_words(search_params) or not _for_a_page():
        return search_results
    answer = make_connection(decode_dates=False).search(
        q=search_params["q"], defType="lucene", qf=QUERY_FIELDS, mm=search_params["mm"], rows=len(ids),
        fl="id,index_id", fq=["+site_id:%s" % tk.config.get("ckan.site_id"),
                              "id:(%s)" % " OR ".join('"%s"' % i for i in ids)],
        **{"hl": "true", "hl.method": "unified", "hl.fl": ",".join(HIGHLIGHT_FIELDS),
           "hl.snippets": 1, "hl.fragsize": 160, "hl.tag.pre": _MARK_START, "hl.tag.post": _MARK_END,
           "hl.requireFieldMatch": "false",  # terms of search_body_fr (synonyms) marked in search_body too
           "hl.weightMatches": "false",  # term by term: half the time of Solr 9's default
           "hl.offsetSource": "POSTINGS"})  # the offsets the schema stores: not the text analysed again
    # Solr keys highlights by the schema's unique key, index_id.
    highlights = {doc["id"]: (answer.highlighting or {}).get(doc["index_id"], {}) for doc in answer.docs}
    arabic_first = search.page_language() == "ar"
    for result in results:
        fields = highlights.get(result.get("id"), {})
        passages = [p for field in HIGHLIGHT_FIELDS for p in fields.get(field, []) if _MARK_START in p]
        if passages:
            # stable sort: body (titles, description), then document; the page's language first
            passages.sort(key=lambda p: bool(_ARABIC.search(p)) != arabic_first)
            result["search_snippet"] = {"lang": "ar" if _ARABIC.search(passages[0]) else "fr",
                                        "pieces": _pieces(passages[0])}
    return search_results


def _for_a_page() -> bool:
    return has_request_context() and tk.request.blueprint != "api"


def _pieces(passage: str) -> list[dict[str, Any]]:
    """``"a \x02b\x03 c"`` -> ``[{"text": "a ", "match": False}, {"text": "b", "match": True}, ...]``"""
    pieces = []
    for n, part in enumerate(re.split(f"[{_MARK_START}{_MARK_END}]", passage)):
        if part:
            pieces.append({"text": part, "match": n % 2 == 1})
    return pieces


@functools.lru_cache(maxsize=1)  # schemas are read once, when the plugins load
def _body_fields() -> tuple[str, ...]:
    """BODY_FIELDS and every *_ar field of the schemas with its French twin."""
    names = list(BODY_FIELDS)
    for schema in tk.h.scheming_dataset_schemas().values():
        for field in schema["dataset_fields"]:
            name = field["field_name"]
            if name.endswith("_ar") and name not in TITLE_FIELDS:
                names += [n for n in (name[:-3], name) if n not in names]
    return tuple(names)
