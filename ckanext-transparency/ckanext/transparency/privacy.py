"""Masks personal data that a person types into free text meant to be public.
Plain Python: no CKAN import."""
from __future__ import annotations

import re

MASK = "[…]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", re.UNICODE)
# Moroccan CIN (one or two letters, then up to six digits) and residence cards.
_ID_NUMBER = re.compile(r"\b[A-Za-z]{1,2}\s?\d{5,8}\b")
_PHONE = re.compile(r"(?<![\w])(\+|00)?\d[\d .-]{7,}\d\b")


def mask(text: str) -> str:
    """``text`` with e-mail addresses, identity-card numbers and phone numbers replaced."""
    for pattern in (_EMAIL, _ID_NUMBER, _PHONE):
        text = pattern.sub(MASK, text)
    return text


def normalize_id_number(value: str) -> str:
    """A CIN or residence number in upper case without spaces."""
    return re.sub(r"\s+", "", value).upper()


ID_NUMBER = re.compile(r"^[A-Z]{1,2}\d{1,8}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 .-]{5,18}[0-9]$")
