"""A consultation's draft as numbered articles (plain rule, no CKAN import).

The draft is kept as text (typed, or read from a DOCX/ODT by ``documents``); an
article starts at a line that names it: "Article 3", "Art. 3", "Article premier",
"المادة 3", "الفصل 3", "Chapitre 2", or a numbered heading "3." / "3)" / "3 -".
The officer edits the text, and so the articles. Text before the first heading is
the preamble (number ``None``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
_ORDINALS = {"premier": "1", "premiere": "1", "première": "1", "الأول": "1", "الاول": "1", "الأولى": "1", "الاولى": "1"}
_HEADING = re.compile(
    r"^\s*(?:(?:article|art\.|chapitre|section|المادة|الفصل|البند)\s*"
    r"(?P<word>\d+|premier|premi[eè]re|الأولى|الاولى|الأول|الاول)\b"
    r"|(?P<bare>\d{1,3})\s*(?:[.)]|[-–—:])(?!\d))\s*(?P<rest>.*)$",
    re.IGNORECASE)


@dataclass
class Article:
    number: str | None  # "3", or None for the preamble
    heading: str  # the line that opens it, as written
    paragraphs: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"article-{self.number}" if self.number else "preamble"


def split(text: str) -> list[Article]:
    """The articles of ``text``, in order; a number seen twice keeps the first (the
    second becomes a paragraph of the article before it)."""
    articles: list[Article] = []
    seen: set[str] = set()
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        line = line.strip()
        if not line:
            continue
        number = heading_number(line)
        if number is not None and number not in seen:
            seen.add(number)
            articles.append(Article(number, line))
        elif articles:
            articles[-1].paragraphs.append(line)
        else:
            articles.append(Article(None, "", [line]))
    return articles


def heading_number(line: str) -> str | None:
    """The article number a line opens, or None."""
    found = _HEADING.match(line.translate(_ARABIC_DIGITS))
    if not found:
        return None
    number = found.group("word") or found.group("bare")
    return _ORDINALS.get(number.lower(), str(int(number)) if number.isdigit() else None)


def numbers(text: str) -> list[str]:
    return [a.number for a in split(text) if a.number]


def text_of(article: Article) -> str:
    return "\n".join([article.heading, *article.paragraphs]).strip()


def merge(texts: dict[str, str]) -> list[dict[str, object]]:
    """The articles of the draft in each language given (``{"fr": ..., "ar": ...}``),
    side by side by number, in the order they first appear."""
    merged: dict[str | None, dict[str, object]] = {}
    for lang, text in texts.items():
        for article in split(text):
            entry = merged.setdefault(article.number, {"number": article.number, "anchor": article.anchor,
                                                       "versions": {}})
            entry["versions"][lang] = article  # type: ignore[index]
    return list(merged.values())


def find(texts: dict[str, str], number: str) -> list[Article]:
    """The versions of article ``number`` (empty if no language has it)."""
    return [a for text in texts.values() for a in split(text) if a.number == number]


def quotes(articles: list[Article], passage: str) -> bool:
    """Whether ``passage`` is found in one of ``articles`` (spaces compared loosely)."""
    wanted = " ".join(passage.split())
    return any(wanted in " ".join(text_of(a).split()) for a in articles)
