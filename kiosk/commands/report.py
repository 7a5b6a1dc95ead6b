"""Results commands: `urne report` (the official procès-verbal, PDF + CSV) and `urne count` (staff app)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from kiosk.commands.common import n_words as _n
from kiosk.commands.common import with_context
from kiosk.context import Context

if TYPE_CHECKING:
    from ballots.results import Results

REPORT_NAME = "proces-verbal.pdf"


def write_report(ctx: Context, pdf: Path, csv: Path | None, *, override: bool = False, actor: str = "cli") -> Results:
    """The procès-verbal, if the election lets results be shown now (`ballots.publication`)."""
    from ballots import publication, results
    from ballots.report import csvfile
    from ballots.report import pdf as report_pdf

    publication.check(ctx.store(), override=override, actor=actor, what="report")
    r = results.from_store(ctx.store(), time_zone=ctx.config.time_zone)
    report_pdf.write_pdf(r, pdf)
    if csv is not None:
        csvfile.write_csv(r, csv)
    return r


@click.command(help="Le procès-verbal des résultats, en PDF et CSV.")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), required=True, metavar="FILE.pdf", help="le PDF"
)
@click.option(
    "--csv",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE.csv",
    help="écrire aussi les chiffres en CSV (UTF-8, ';')",
)
@click.option(
    "--staff-override",
    is_flag=True,
    help="écrire des résultats que l'élection n'autorise pas encore (show_partial_results = false) ; consigné au journal d'audit",
)
@click.option("--actor", default="cli", show_default=True, help="qui demande (pour le journal d'audit)")
@with_context
def report(ctx: Context, out: Path, csv: Path | None, staff_override: bool, actor: str) -> int:
    r = write_report(ctx, out, csv, override=staff_override, actor=actor)
    kind = "procès-verbal" if r.final else "résultats PROVISOIRES"
    click.echo(f"{kind} écrit : {out} ({_n(r.voters, 'votant', 'votants')}, journal d'audit {r.audit.head[:16]})")
    if csv is not None:
        click.echo(f"CSV écrit : {csv}")
    if not r.final:
        click.echo(f"attention : résultats provisoires, {r.status.why_provisional()}")
    if not r.audit.intact:
        click.echo(f"attention : le journal d'audit ne se vérifie pas : {r.audit.problem}")
    return 0


@click.command(help="Le dépouillement : bulletins papier numérisés, examen, résultats.")
@click.option("--actor", default="commission", show_default=True, help="qui dépouille (noté avec chaque décision)")
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
        f"[demo] procès-verbal : {pdf} et {pdf.with_suffix('.csv').name} ({_n(r.voters, 'votant', 'votants')}, "
        f"{_n(len(r.issues), 'feuille listée', 'feuilles listées')})"
    )
