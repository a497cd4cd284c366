"""``ckan transparency ...`` commands."""
from __future__ import annotations

import csv

import click

import ckan.plugins.toolkit as tk

from . import ati, backup, consultations, demo, indexing, mail

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


@transparency.command("send-mail")
def send_mail() -> None:
    """Sends the e-mails waiting in the outbox (run by cron, e.g. every 5 minutes)."""
    sent, failed = mail.send_pending()
    click.echo(f"{sent} sent, {failed} failed (retried at the next run)")


@transparency.command("refresh")
def refresh() -> None:
    """What time changes (run hourly by cron): records saved while Solr was down,
    overdue requests and reminders to officers, consultations' phases and notices
    to their followers, then the e-mails."""
    if indexing.solr_answers():
        indexed, left = indexing.flush_queue()
        click.echo(f"{indexed} queued records indexed, {left} still waiting for Solr")
        done = ati.daily()
        click.echo("{reindexed} open requests reindexed, {reminded} reminders queued".format(**done))
        done = consultations.daily()
        click.echo("{reindexed} consultations reindexed, {notices} notices queued".format(**done))
        click.echo("{} commitments reindexed (late milestones)".format(indexing.reindex_type("commitment")))
    else:
        click.secho("Solr does not answer: indexing waits for the next run", fg="yellow")
    sent, failed = mail.send_pending()
    click.echo(f"{sent} e-mails sent, {failed} failed")


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
@click.option("--org", required=True, help="Lead institution of new commitments.")
@click.option("--user", default=None, help="Import as this user (default: the site user).")
def import_plan(csv_file, plan: str, org: str, user: str | None) -> None:
    """Creates or updates the commitments of PLAN from a CSV with the OGP's columns
    (ogp_id, title, action_plan, cycle, policy_area) and optional milestone rows
    (ogp_id, milestone_title, milestone_start, milestone_end, milestone_deliverable,
    milestone_weight, milestone_state). Good rows are saved; rejected rows are listed
    with the reason."""
    rows = [dict(row, row=number) for number, row in enumerate(csv.DictReader(csv_file), start=1)]
    commitments = [row for row in rows if not (row.get("milestone_title") or "").strip()]
    by_commitment: dict[str, list] = {}
    for row in rows:
        if (row.get("milestone_title") or "").strip():
            by_commitment.setdefault((row.get("ogp_id") or "").strip(), []).append(row)
    # Commitments ten at a time, then each commitment's milestones together.
    batches = [commitments[i:i + 10] for i in range(0, len(commitments), 10)] + list(by_commitment.values())
    context = {"user": user or tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    totals: dict = {"created": 0, "updated": 0, "milestones": 0, "rejected": []}
    with click.progressbar(batches, label=f"Importing {len(rows)} rows") as bar:
        for batch in bar:
            report = tk.get_action("transparency_action_plan_import")(dict(context), {
                "id": plan, "owner_org": org, "rows": batch})
            for key in ("created", "updated", "milestones", "rejected"):
                totals[key] += report[key]
    click.echo(f"{totals['created']} created, {totals['updated']} updated, {totals['milestones']} milestones, "
               f"{len(totals['rejected'])} rejected")
    for rejected in sorted(totals["rejected"], key=lambda r: r["row"]):
        click.secho(f"  row {rejected['row']} ({rejected['ogp_id']}): {rejected['reason']}", fg="red")
