"""``ckan transparency ...`` commands."""
from __future__ import annotations

import collections
import csv
import logging
import math
import os
import time
from typing import Any, Callable

import click
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan import model

from . import ati, backup, bulk, consultations, demo, documents, follow, harvesters, indexing, institutions, mail

__all__ = ["transparency"]

log = logging.getLogger(__name__)


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


@transparency.command("loader-token")
def loader_token() -> None:
    """Prints a new API token of the site user, for ckanext-xloader's
    ``ckanext.xloader.api_token`` (scripts/up and docker/ write it into the ini)."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    token = tk.get_action("api_token_create")({"ignore_auth": True, "user": site_user["name"]},
                                              {"user": site_user["name"], "name": "xloader"})
    click.echo(token["token"])


@transparency.group("holidays")
def holidays() -> None:
    """The Islamic holidays file, which deadlines count on."""


@holidays.command("check")
@click.option("--months", type=int, default=None,
              help="Warn when the file ends within this many months (ckanext.transparency.ati.holidays_warning_months).")
def holidays_check(months: int | None) -> None:
    """Exits with an error when the Islamic holidays file ends within MONTHS months:
    deadlines beyond its last date are estimates until the next dates are added."""
    coverage = ati.holidays_coverage(months)
    until = coverage["until"].isoformat() if coverage["until"] else "no date"
    if coverage["runs_out"]:
        click.secho(f"The Islamic holidays file ends on {until}, within {coverage['months']} months: add the next "
                    "holidays to it (ckanext.transparency.ati.holidays_file); deadlines after that date are "
                    "estimates.", fg="red", err=True)
        raise SystemExit(1)
    click.echo(f"The Islamic holidays file covers until {until}.")


@transparency.group("institutions")
def institutions_group() -> None:
    """Institutions and their hierarchy."""


@institutions_group.command("import")
@click.argument("csv_file", type=click.File(encoding="utf-8-sig"))
def institutions_import(csv_file) -> None:
    """Creates or updates institutions and their hierarchy from a CSV file (columns
    code, title_fr, title_ar, acronym, kind, parent, contact_email; see
    transparency_institutions_import). Good rows are saved; bad rows are listed with
    their line and change nothing. Importing the same file again changes nothing."""
    # In a request of the portal's own language (as CKAN's ``user add`` does): the errors read in it.
    with click.get_current_context().meta["flask_app"].test_request_context():
        try:
            rows = institutions.read(csv_file.read())
        except tk.ValidationError as error:
            raise click.ClickException(" ".join(error.error_dict["csv"]))
        with click.progressbar(institutions.import_rows(rows), length=len(rows),
                               label=f"Importing {len(rows)} institutions") as bar:
            for _ in bar:
                pass
    done = institutions.summary(rows)
    click.echo("{created} created, {updated} updated, {unchanged} unchanged, {rejected} rejected".format(
        **dict(done, rejected=len(done["rejected"]))))
    for rejected in done["rejected"]:
        click.secho(f"  line {rejected['line']} ({rejected['code']}): {'; '.join(rejected['errors'])}", fg="red")
    if done["rejected"]:
        raise SystemExit(1)


@transparency.command("send-mail")
def send_mail() -> None:
    """Sends the e-mails waiting in the outbox (``periodic`` does it every 5 minutes)."""
    sent, failed = mail.send_pending()
    click.echo(f"{sent} sent, {failed} failed (retried at the next run)")


@transparency.command("refresh")
def refresh() -> None:
    """What time changes (``periodic`` runs it every hour): records saved while Solr
    was down, uploaded documents whose text no background job has read yet,
    overdue requests and reminders to officers and requesters, followers' daily
    digests, consultations' phases and notices to their followers, then the e-mails."""
    _refresh()


def _refresh() -> bool:
    """``refresh``; False when Solr did not answer (indexing waits)."""
    answered = indexing.solr_answers()
    if answered:
        _index_queued()
        done = ati.daily()
        click.echo("{reindexed} open requests reindexed, {reminded} reminders to officers and {told} to "
                   "requesters queued".format(**done))
        click.echo(f"{follow.send_digests()} digests to followers queued")
        done = consultations.daily()
        click.echo("{reindexed} consultations reindexed, {notices} notices queued".format(**done))
        click.echo("{} commitments reindexed (late milestones)".format(indexing.reindex_type("commitment")))
        read = [documents.extract(resource_id) for resource_id in documents.unread()]
        click.echo(f"{read.count('read')} documents read for search, {read.count('unreadable')} unreadable")
    else:
        click.secho("Solr does not answer: indexing waits for the next run", fg="yellow")
    _send_mail()
    return answered


def _index_queued() -> None:
    indexed, left = indexing.flush_queue()
    click.echo(f"{indexed} queued records indexed, {left} still waiting for Solr")


def _index_when_solr_answers() -> None:
    if indexing.queued() and indexing.solr_answers():
        _index_queued()


def _send_mail() -> None:
    sent, failed = mail.send_pending()
    click.echo(f"{sent} e-mails sent, {failed} failed")


@transparency.command("periodic")
def periodic() -> None:
    """The portal's periodic work, until stopped (scripts/up and docker/ run it; no
    cron): every ``ckanext.transparency.periodic_interval`` seconds the records saved
    while Solr was down are indexed as soon as it answers; every 5 minutes the
    waiting e-mails are sent; every 15 minutes the harvest jobs that are due start
    (``ckan harvester run``: each source's frequency); every hour ``refresh`` runs. A
    failed run (a service down) is logged and the next one tries again."""
    interval = tk.config.get("ckanext.transparency.periodic_interval")
    tasks = [(3600, _refresh), (900, harvesters.run_due), (300, _send_mail), (interval, _index_when_solr_answers)]
    last_run = {task: -math.inf for _, task in tasks}
    while True:
        for every, task in tasks:
            if time.monotonic() - last_run[task] < every:
                continue
            try:
                if task() is not False:
                    last_run[task] = time.monotonic()
            except Exception:  # noqa: BLE001 - a service down: log it, the next run tries again
                log.exception("periodic work failed; retried in %s s", interval)
            finally:
                model.Session.remove()
        time.sleep(interval)


@transparency.command("backup")
@click.argument("folder", type=click.Path(file_okay=False))
def backup_command(folder: str) -> None:
    """Saves the database and the uploaded files into FOLDER."""
    with click.progressbar(length=3, label="Backing up", item_show_func=lambda item: item) as bar:
        for step in backup.backup(folder):
            bar.update(1, step)
    click.secho(f"Backup written to {folder}", fg="green")


@transparency.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(folder: str, yes: bool) -> None:
    """Replaces the database and the uploaded files by the backup in FOLDER and
    rebuilds the search index. Stop the web server and the worker first."""
    if not yes:
        click.confirm("This replaces every record of this portal by the backup. Go on?", abort=True)
    with click.progressbar(length=3, label="Restoring", item_show_func=lambda item: item) as bar:
        for step in backup.restore(folder):
            bar.update(1, step)
    click.secho(f"Restored from {folder}", fg="green")


@transparency.command("import-plan")
@click.argument("csv_file", type=click.File(encoding="utf-8-sig"))
@click.option("--plan", required=True, help="Name of the action plan record.")
@click.option("--org", required=True, help="Lead institution of new commitments whose row names none.")
@click.option("--user", default=None, help="Import as this user (default: the site user).")
def import_plan(csv_file, plan: str, org: str, user: str | None) -> None:
    """Creates or updates the commitments of PLAN from a CSV with the columns of
    /action-plan/<name>/export.csv (the OGP's ogp_id, title, action_plan, cycle,
    policy_area; lead_institution, status, start_date, end_date) and optional
    milestone rows (ogp_id, milestone_title, milestone_start, milestone_end,
    milestone_deliverable, milestone_weight, milestone_state). Good rows are saved;
    rejected rows are listed with the reason; an unchanged file changes nothing."""
    rows = list(enumerate(csv.DictReader(csv_file), start=1))
    commitments = [(n, row) for n, row in rows if not (row.get("milestone_title") or "").strip()]
    milestones: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for n, row in rows:
        if (row.get("milestone_title") or "").strip():
            milestones.setdefault((row.get("ogp_id") or "").strip(), []).append((n, row))
    # Commitments ten at a time, then each commitment's milestones together.
    chunks = [commitments[i:i + 10] for i in range(0, len(commitments), 10)] + list(milestones.values())
    totals = _in_chunks("transparency_action_plan_import", {"id": plan, "owner_org": org}, chunks, user)
    click.echo(f"{totals['created']} created, {totals['updated']} updated, {totals['unchanged']} unchanged, "
               f"{totals['milestones']} milestones, {len(totals['rejected'])} rejected")
    for rejected in sorted(totals["rejected"], key=lambda r: r["row"]):
        click.secho(f"  row {rejected['row']} ({rejected['ogp_id']}): {rejected['reason']}", fg="red")


@transparency.command("bulk-upload")
@click.argument("csv_file", type=click.File(encoding="utf-8-sig"))
@click.option("--type", "dataset_type", type=click.Choice(bulk.TYPES), default="publication", show_default=True,
              help="What the rows are.")
@click.option("--org", required=True, help="The institution the records belong to.")
@click.option("--files", "folder", type=click.Path(exists=True, file_okay=False), default=None,
              help="Folder holding the files named in the document column.")
@click.option("--user", default=None, help="Upload as this user (default: the site user).")
def bulk_upload(csv_file, dataset_type: str, org: str, folder: str | None, user: str | None) -> None:
    """Creates publications or datasets of an institution from a CSV whose columns
    are the fields of the type's schema plus document (a link, or a file of the
    --files folder) and document_name. Good rows are created; rejected rows are
    listed with the reason and nothing of them is kept."""
    rows = list(csv.DictReader(csv_file))

    def documents(chunk: list[dict[str, str]]) -> dict[str, Any]:
        names = {os.path.basename(r.get("document") or "") for r in chunk} - {""}
        paths = [os.path.join(folder, n) for n in sorted(names) if folder and os.path.isfile(os.path.join(folder, n))]
        return {"documents": [FileStorage(open(path, "rb"), filename=os.path.basename(path)) for path in paths]}

    numbered = list(enumerate(rows, start=1))
    chunks = [numbered[i:i + 10] for i in range(0, len(numbered), 10)]
    totals = _in_chunks("transparency_bulk_upload", {"type": dataset_type, "owner_org": org}, chunks, user, documents)
    click.echo(f"{totals['created']} created, {len(totals['rejected'])} rejected")
    for rejected in totals["rejected"]:
        click.secho(f"  row {rejected['row']} ({rejected['name']}): {rejected['reason']}", fg="red")


def _in_chunks(action: str, data: dict[str, Any], chunks: list[list[tuple[int, dict[str, str]]]], user: str | None,
               extra: Callable[[list[dict[str, str]]], dict[str, Any]] = lambda chunk: {}) -> dict[str, Any]:
    """Sends each chunk of (row number in the file, row) to an import ``action``
    behind a progress bar; adds up its counts and gives rejected rows their number
    in the file."""
    context = {"user": user or tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    totals: dict[str, Any] = collections.defaultdict(int, rejected=[])
    with click.progressbar(chunks, label=f"Importing {sum(map(len, chunks))} rows") as bar:
        for chunk in bar:
            rows = [row for _, row in chunk]
            given = extra(rows)
            try:
                report = tk.get_action(action)(dict(context), dict(data, rows=rows, **given))
            finally:
                for document in given.get("documents", []):
                    document.close()
            for key, value in report.items():
                if key == "rejected":
                    totals["rejected"] += [dict(r, row=chunk[r["row"] - 1][0]) for r in value]
                else:
                    totals[key] += value
    return totals
