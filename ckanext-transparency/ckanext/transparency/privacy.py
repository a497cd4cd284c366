"""Masks personal data in free text meant to be public: any e-mail address,
identity-card number or phone number, and everything a requester gave about
themselves (name, address, id number, e-mail, phone) however it is typed again:
in either case, with or without accents, Arabic with or without hamza,
diacritics or tatweel, with other spaces and punctuation, in Arabic-Indic digits.
Plain Python: no CKAN import."""
from __future__ import annotations

import dataclasses
import itertools
import re
import unicodedata
from typing import Iterable, Iterator

MASK = "[…]"

# One or two letters, then the digits: the Moroccan CIN and residence cards. The
# same shape is what the request form accepts and what masking finds in any text.
ID_NUMBER = re.compile(r"^[A-Z]{1,2}\d{4,8}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 .-]{5,18}[0-9]$")

_SEP = r"[\W_]{0,3}"  # what people put between the parts of a number or a name
_EMAIL_ANY = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_ID_ANY = re.compile(r"(?<!\w)[A-Z]{1,2}[ .\-/]?\d{4,8}(?!\w)")
# A Moroccan number (0 then 5-8, nine digits in all after it) or any number given
# with its country code, written with spaces, dots, dashes, slashes or brackets.
_PHONE_ANY = re.compile(
    r"(?<![\w+])(?:\(?\s*(?:\+|00)\s*\d{1,3}\s*\)?" + _SEP + r"(?:\(0\)" + _SEP + r")?\d(?:" + _SEP + r"\d){7,11}"
    r"|0" + _SEP + r"[5-8](?:" + _SEP + r"\d){8})(?!\w)")
_ARABIC_FOLD = str.maketrans({"ٱ": "ا", "ة": "ه", "ى": "ي", "\u0640": None})
_ARABIC_LETTERS = re.compile(r"[\u0621-\u064a]")
_PROCLITICS = "(?:[وفبلك]?(?:ال)?)"  # and, so, with, for, as; the article


@dataclasses.dataclass(frozen=True)
class Identity:
    """What a person gave about themselves; any field may be empty."""
    full_name: str = ""
    address: str = ""
    id_number: str = ""
    email: str = ""
    phone: str = ""


def _fold(text: str) -> tuple[str, list[int]]:
    """``text`` without what people type differently (accents, Arabic marks,
    hamza seats, tatweel, Arabic-Indic digits), and for each of its characters the
    position of the character of ``text`` it comes from."""
    folded: list[str] = []
    origin: list[int] = []
    for position, char in enumerate(text):
        digit = unicodedata.decimal(char, None)
        plain = str(digit) if digit is not None else "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)).translate(_ARABIC_FOLD)
        folded.append(plain)
        origin.extend([position] * len(plain))
    return "".join(folded), origin


def _words(value: str) -> list[str]:
    return re.findall(r"\w+", _fold(value)[0].lower())


def _word(word: str) -> str:
    """A pattern for one word; an Arabic word may carry a proclitic or lose its article."""
    if _ARABIC_LETTERS.match(word):
        return _PROCLITICS + re.escape(word[2:] if word.startswith("ال") and len(word) > 4 else word)
    return re.escape(word)


def _sequence(words: Iterable[str]) -> str:
    return _SEP.join(_word(w) for w in words)


def _bounded(pattern: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)(?:" + pattern + r")(?!\w)", re.IGNORECASE)


def _name_patterns(full_name: str) -> Iterator[re.Pattern[str]]:
    """Two or more words of the name together, in any order; a family name alone."""
    words = [w for w in _words(full_name) if len(w) > 1]
    if not words:
        return
    if len(words) == 1:
        yield _bounded(_word(words[0]))
        return
    one = "(?:" + "|".join(_word(w) for w in sorted(words, key=len, reverse=True)) + ")"
    yield _bounded(one + "(?:" + _SEP + one + ")+")
    family = [w for w in words[1:] if len(w) >= 4]
    if family:
        yield _bounded("|".join(_word(w) for w in family))


def _address_patterns(address: str) -> Iterator[re.Pattern[str]]:
    """The address, or a run of at least half of its words in their order."""
    words = _words(address)
    shortest = max(2, (len(words) + 1) // 2) if len(words) > 1 else 1
    runs = [words[i:j] for i, j in itertools.combinations(range(len(words) + 1), 2) if j - i >= shortest]
    runs = [run for run in runs if sum(len(w) for w in run) >= 4]
    if runs:
        yield _bounded("|".join(_sequence(run) for run in sorted(runs, key=len, reverse=True)))


def _characters(value: str) -> str:
    return _SEP.join(re.escape(c) for c in value)


def _id_patterns(id_number: str) -> Iterator[re.Pattern[str]]:
    compact = "".join(_words(id_number))
    if len(compact) >= 3:
        yield _bounded(_characters(compact))


def _phone_patterns(phone: str) -> Iterator[re.Pattern[str]]:
    digits = re.sub(r"\D", "", _fold(phone)[0])
    national = re.sub(r"^(00212|212|0)", "", digits)
    if len(national) >= 6:
        prefix = r"(?:\(?\s*(?:\+|00)?\s*212\s*\)?" + _SEP + r"(?:\(?0\)?" + _SEP + r")?|0" + _SEP + r")?"
        yield re.compile(r"(?<![\d+])" + prefix + _characters(national) + r"(?!\d)")


def _email_patterns(email: str) -> Iterator[re.Pattern[str]]:
    if email:
        yield re.compile(re.escape(_fold(email)[0]), re.IGNORECASE)
        yield from _name_patterns(email.split("@")[0].replace(".", " "))


def _patterns(identity: Identity | None, extra: Iterable[str]) -> Iterator[re.Pattern[str]]:
    yield from (_EMAIL_ANY, _ID_ANY, _PHONE_ANY)
    if identity is not None:
        yield from _name_patterns(identity.full_name)
        yield from _address_patterns(identity.address)
        yield from _id_patterns(identity.id_number)
        yield from _phone_patterns(identity.phone)
        yield from _email_patterns(identity.email)
    for passage in extra:
        words = _words(passage)
        if words:
            yield _bounded(_sequence(words))


def spans(text: str, identity: Identity | None = None, extra: Iterable[str] = ()) -> list[tuple[int, int]]:
    """The (start, end) of each passage of ``text`` to mask, in order, not overlapping."""
    folded, origin = _fold(text)
    found = []
    for pattern in _patterns(identity, extra):
        for match in pattern.finditer(folded):
            if match.end() > match.start():
                found.append((origin[match.start()], origin[match.end() - 1] + 1))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(found):
        while end < len(text) and not _fold(text[end])[0]:
            end += 1  # the marks that followed the last character masked
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def segments(text: str, identity: Identity | None = None, extra: Iterable[str] = ()) -> list[tuple[str, bool]]:
    """``text`` cut into passages, each with whether it will be masked: what an
    officer reviews before publishing."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for start, end in spans(text, identity, extra):
        pieces += [(text[last:start], False), (text[start:end], True)]
        last = end
    pieces.append((text[last:], False))
    return [piece for piece in pieces if piece[0]]


def mask(text: str, identity: Identity | None = None, extra: Iterable[str] = ()) -> str:
    """``text`` with personal data replaced by ``MASK``."""
    return "".join(MASK if masked else piece for piece, masked in segments(text or "", identity, extra))


def normalize_id_number(value: str) -> str:
    """A CIN or residence number in upper case without spaces."""
    return re.sub(r"\s+", "", value).upper()
