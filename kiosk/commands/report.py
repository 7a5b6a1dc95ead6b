"""Results commands: `urne report` (the official procès-verbal, PDF + CSV) and `urne count` (staff app)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from kiosk.commands.common import with_context
from kiosk.context import Context

if TYPE_CHECKING:
    from ballots.results import Results

REPORT_NAME = "proces-verbal.pdf"


def write_report(ctx: Context, pdf: Path, csv: Path | None) -> Results:
    from ballots import results
    from ballots.report import csvfile
    from ballots.report import pdf as report_pdf

    r = results.from_store(ctx.store())
    report_pdf.write_pdf(r, pdf)
    if csv is not None:
        csvfile.write_csv(r, csv)
    return r


@click.command(help="The official results report (procès-verbal) as PDF and CSV.")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, metavar="FILE.pdf", help="the PDF"
)
@click.option(
    "--csv",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.csv",
    help="also write the figures as CSV (UTF-8, ';')",
)
@with_context
def report(ctx: Context, out: Path, csv: Path | None) -> int:
    r = write_report(ctx, out, csv)
    click.echo(f"procès-verbal written: {out} ({r.voters} ballots counted, audit head {r.audit.head[:16]})")
    if csv is not None:
        click.echo(f"CSV written: {csv}")
    if not r.final:
        click.echo(f"warning: {r.pending_review} ballot(s) still to review: the report says PROVISIONAL")
    if not r.audit.intact:
        click.echo(f"warning: the audit log does not verify: {r.audit.problem}")
    return 0


@click.command(help="Staff counting app: scan paper ballots, review, results.")
@click.option("--actor", default="commission", show_default=True, help="who counts (recorded with every decision)")
@with_context
def count(ctx: Context, actor: str) -> int:
    """The staff counting window (scan, review, rejected sheets, results)."""
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.counting.window import build_counting_window

    app = QApplication.instance() or QApplication([])
    window = build_counting_window(ctx.config, ctx.store(), actor=actor)
    window.show()
    return int(app.exec())


def demo_step(ctx: Context, seed: int) -> None:
    pdf = ctx.data_dir / REPORT_NAME
    r = write_report(ctx, pdf, pdf.with_suffix(".csv"))
    click.echo(
        f"[demo] report: {pdf} and {pdf.with_suffix('.csv').name} ({r.voters} ballots, {len(r.issues)} sheet(s) listed)"
    )
