"""Results and procès-verbal on a big count: 5 000 ballots (kiosk and paper), 20 projects.

Run: .venv/bin/python bench/bench_report.py — prints the median of 5 runs of each step.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

from ballots import election_file, results
from ballots import samples as sample_elections
from ballots.ballot import Channel, new_ballot
from ballots.report import csvfile
from ballots.report import pdf as report_pdf
from ballots.store import Store

ROOT = Path(__file__).resolve().parent.parent


def main(n: int = 5000) -> None:
    e = election_file.load(sample_elections.path("budget-participatif"))
    q = e.questions[0]
    rng = random.Random(1)
    weights = [rng.random() ** 2 for _ in q.choice_ids]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "data")
        store.install_election(e)
        ballots = []
        for i in range(n):
            chosen: list[str] = []
            for _ in range(rng.randint(1, 5)):
                c = rng.choices(q.choice_ids, weights)[0]
                if c not in chosen:
                    chosen.append(c)
            channel = Channel.KIOSK if i % 5 < 2 else Channel.PAPER
            ballots.append(new_ballot(e, {q.id: tuple(chosen)}, channel=channel, device="bench"))
        store.cast_many(ballots)
        for name, step in (
            ("results.from_store", lambda: results.from_store(store)),
            ("pdf.write_pdf", lambda: report_pdf.write_pdf(results.from_store(store), Path(tmp) / "pv.pdf")),
            ("csvfile.write_csv", lambda: csvfile.write_csv(results.from_store(store), Path(tmp) / "pv.csv")),
        ):
            times = []
            for _ in range(5):
                t0 = time.perf_counter()
                step()
                times.append(time.perf_counter() - t0)
            print(f"{name:<20} {n} ballots: median {statistics.median(times) * 1000:.0f} ms")
        store.close()


if __name__ == "__main__":
    main()
