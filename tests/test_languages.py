"""Languages: helpers that render text in the reader's language, dates in
Moroccan usage, plural forms, and the bundle's own names."""
from __future__ import annotations

import ast
import collections
import pathlib

import ckanext.transparency

PACKAGE = pathlib.Path(ckanext.transparency.__file__).parent


def test_no_two_functions_of_a_module_share_a_name():
    """A second definition silently replaces the first (two ``transparency_localized``
    once printed a Python dict as every title of the action plan)."""
    twice = {}
    for path in PACKAGE.rglob("*.py"):
        names = [node.name for node in ast.parse(path.read_text(encoding="utf-8")).body
                 if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))]
        twice.update({f"{path.relative_to(PACKAGE)}:{name}": n
                      for name, n in collections.Counter(names).items() if n > 1})
    assert twice == {}

