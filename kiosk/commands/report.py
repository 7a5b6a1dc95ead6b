"""Results commands: `urne report` (the official procès-verbal, PDF + CSV) and `urne count` (staff app)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ballots import results
from ballots.report import csvfile
from ballots.report import pdf as report_pdf
from kiosk.context import Context

REPORT_NAME = "proces-verbal.pdf"


def write_report(ctx: Context, pdf: Path, csv: Path | None) -> results.Results:
    r = results.from_store(ctx.store())
    report_pdf.write_pdf(r, pdf)
    if csv is not None:
        csvfile.write_csv(r, csv)
    return r


def cmd_report(ctx: Context, args: argparse.Namespace) -> int:
    pdf = Path(args.out)
    csv = Path(args.csv) if args.csv else None
    r = write_report(ctx, pdf, csv)
    print(f"procès-verbal written: {pdf} ({r.voters} ballots counted, audit head {r.audit.head[:16]})")
    if csv is not None:
        print(f"CSV written: {csv}")
    if not r.final:
        print(f"warning: {r.pending_review} ballot(s) still to review: the report says PROVISIONAL")
    if not r.audit.intact:
        print(f"warning: the audit log does not verify: {r.audit.problem}")
    return 0


def cmd_count(ctx: Context, args: argparse.Namespace) -> int:
    """The staff counting window (scan, review, rejected sheets, results)."""
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.counting.window import build_counting_window

    app = QApplication.instance() or QApplication([])
    window = build_counting_window(ctx.config, ctx.store(), actor=args.actor)
    window.show()
    return int(app.exec())


def demo_report(ctx: Context, args: Any) -> None:
    pdf = ctx.data_dir / REPORT_NAME
    r = write_report(ctx, pdf, pdf.with_suffix(".csv"))
    print(
        f"[demo] report: {pdf} and {pdf.with_suffix('.csv').name} ({r.voters} ballots, {len(r.issues)} sheet(s) listed)"
    )


def register(sub: argparse._SubParsersAction, parent: argparse.ArgumentParser) -> None:
    p = sub.add_parser("report", parents=[parent], help="the official results report (procès-verbal) as PDF and CSV")
    p.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write the PDF")
    p.add_argument("--csv", metavar="FILE.csv", help="also write the figures as CSV (UTF-8, ';')")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("count", parents=[parent], help="staff counting app: scan paper ballots, review, results")
    p.add_argument("--actor", default="commission", help="who counts (recorded with every decision)")
    p.set_defaults(func=cmd_count)

    from kiosk.commands import core

    core.add_demo_step(demo_report)
