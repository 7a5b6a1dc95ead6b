"""The scan station's overhead: the same folder read by bare `scan_paths` and through the Qt station.

Run: .venv/bin/python bench/bench_counting.py — 60 printed ballots rendered at 200 dpi, every core.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from ballots import samples as sample_elections

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent


def main(n: int = 60) -> None:
    from PySide6.QtWidgets import QApplication

    from ballots import election_file
    from ballots.paper import scan
    from ballots.store import Store
    from kiosk.config import Config
    from kiosk.ui.counting.scan_station import ScanStation
    from tools.counting_screenshots import make_count_folder

    app = QApplication.instance() or QApplication([])
    e = election_file.load(sample_elections.path("budget-participatif"))
    import statistics

    runs: dict[str, list[float]] = {"scan_paths": [], "station": []}
    sheets = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(3):  # alternate the two ways: a shared machine's noise hits both alike
            for way in ("scan_paths", "station") if i % 2 == 0 else ("station", "scan_paths"):
                store = Store(Path(tmp) / f"{way}-{i}")
                store.install_election(e)
                deck = make_count_folder(store, Path(tmp) / f"scans-{way}-{i}", count=n)
                sheets = len(list(deck.folder.iterdir()))
                t0 = time.perf_counter()
                if way == "scan_paths":
                    scan.scan_paths(store, [deck.folder])
                else:
                    station = ScanStation(Config(), store)
                    station.add_paths([deck.folder])
                    station.start()
                    while station.busy():
                        app.processEvents()
                        time.sleep(0.002)
                runs[way].append(time.perf_counter() - t0)
                store.close()
    for way, times in runs.items():
        med = statistics.median(times)
        print(f"{way:<11} {sheets} sheets: median {med:.2f} s of 3 ({med / sheets * 1000:.0f} ms/sheet, all cores)")
    overhead = statistics.median(runs["station"]) / statistics.median(runs["scan_paths"]) - 1
    print(f"station overhead: {100 * overhead:+.0f} %")


if __name__ == "__main__":
    main()
