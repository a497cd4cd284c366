"""``ckan transparency ...`` commands."""
from __future__ import annotations

import click

from . import demo

__all__ = ["transparency"]


@click.group(short_help="Transparency portal commands")
def transparency() -> None:
    """Commands of the transparency portal."""


@transparency.command("demo")
def load_demo() -> None:
    """Loads the demo content (institutions, action plan, data, users). Idempotent."""
    labels = [label for label, _ in demo.steps()]
    with click.progressbar(length=len(labels), label="Loading demo content",
                           item_show_func=lambda item: item) as bar:
        for label in demo.load():
            bar.update(1, label)
    click.secho("Demo content loaded: " + ", ".join(labels), fg="green")
