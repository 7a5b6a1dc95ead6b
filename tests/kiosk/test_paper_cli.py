"""`urne print / layout / testdeck / scan`: the CLI contract, with golden outputs."""

from __future__ import annotations

import json
import os
from pathlib import Path

from kiosk.cli import main
from tests.conftest import SAMPLE_BUDGET, SAMPLE_SURVEY

GOLDEN = Path(__file__).resolve().parents[1] / "ballots" / "paper" / "golden"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _init(tmp_path, capsys, election=SAMPLE_BUDGET):
    data = str(tmp_path / "d")
    assert run(capsys, "init", "--election", str(election), "--data", data)[0] == 0
    return data


def _golden(name: str, value):
    """Compare with the stored file; URNE_UPDATE_GOLDEN=1 rewrites it (review the diff)."""
    path = GOLDEN / name
    text = json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if os.environ.get("URNE_UPDATE_GOLDEN") or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert json.loads(path.read_text(encoding="utf-8")) == value


def test_layout_json_is_the_documented_geometry(tmp_path, capsys):
    data = _init(tmp_path, capsys)
    code, out, _ = run(capsys, "layout", "--json", "--data", data)
    doc = json.loads(out)
    assert code == 0 and doc["page_size_pt"] == [595.28, 841.89]
    assert [b["choice"] for b in doc["boxes"]] == [f"p{i:02d}" for i in range(1, 21)]
    assert all(b["sheet"] == 1 and b["question"] == "projets" and len(b["rect_pt"]) == 4 for b in doc["boxes"])
    _golden("layout_budget_a4.json", doc)
    code, out, _ = run(capsys, "layout", "--json", "--letter", "--large-print", "--data", data)
    assert json.loads(out)["page_size_pt"] == [612.0, 792.0] and json.loads(out)["sheets"] == 2


def test_print_then_scan_json_lines(tmp_path, capsys):
    data = _init(tmp_path, capsys)
    pdf = tmp_path / "bulletins.pdf"
    code, out, _ = run(capsys, "print", "--count", "3", "--out", str(pdf), "--data", data)
    assert code == 0 and "3 bulletin(s)" in out and pdf.exists()
    (tmp_path / "notes.txt").write_text("pas un bulletin")
    code, out, _ = run(
        capsys, "scan", str(pdf), str(tmp_path / "notes.txt"), "--json", "--workers", "1", "--data", data
    )
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [(x["page"], x["status"]) for x in lines] == [
        (1, "counted"),
        (2, "counted"),
        (3, "counted"),
        (1, "rejected"),
    ]
    assert set(lines[0]) == {"source", "page", "serial", "status", "reasons", "marks"}
    assert lines[3] == {
        "source": str(tmp_path / "notes.txt"),
        "page": 1,
        "serial": None,
        "status": "rejected",
        "reasons": ["not_an_image"],
        "marks": {},
    }
    code, out, _ = run(capsys, "scan", str(pdf), str(tmp_path / "notes.txt"), "--workers", "1", "--data", data)
    # Staff read words, not codes.
    assert "notes.txt p.1: rejeté — fichier qui n'est pas une image" in out
    assert "total : doublon 3, rejeté 1" in out


def test_scan_says_once_when_pages_were_read_from_one_bit_copies(tmp_path, capsys):
    """The batch's notice (the scan service's): one line in words after the total, one typed line
    in `--json`; nothing when every page is grey."""
    import numpy as np

    from tests.ballots.paper.helpers import render, write

    data = _init(tmp_path, capsys)
    pdf = tmp_path / "bulletins.pdf"
    assert run(capsys, "print", "--count", "3", "--out", str(pdf), "--data", data)[0] == 0
    pages = render(pdf)
    one_bit, one_bit_json = (
        write(((p >= 150) * 255).astype(np.uint8), tmp_path / f"copie{i}.png") for i, p in enumerate(pages[:2])
    )
    grey = write(pages[2], tmp_path / "gris.png")
    code, out, _ = run(capsys, "scan", str(grey), "--workers", "1", "--data", data)
    assert code == 0 and "total : compté 1" in out and "1 bit" not in out
    code, out, _ = run(capsys, "scan", str(one_bit), "--workers", "1", "--data", data)
    *_, last = out.splitlines()
    assert code == 0 and last == (
        "ATTENTION : 1 page lue sur une copie noir et blanc (1 bit) : le seuil d'un copieur peut effacer un "
        "trait de crayon ou d'encre rouge sans laisser de trace ; pour un dépouillement qui fait foi, "
        "rescannez-la en niveaux de gris ou en couleur."
    )
    code, out, _ = run(capsys, "scan", str(one_bit_json), "--json", "--workers", "1", "--data", data)
    sheet, notice = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and sheet["status"] == "review"  # nothing marked on a 1-bit copy: a person looks
    assert notice == {"notice": "one_bit_pages", "pages": 1}


def test_testdeck_then_scan_in_test_mode_matches_golden(tmp_path, capsys):
    data = _init(tmp_path, capsys)
    deck = tmp_path / "deck"
    code, out, _ = run(capsys, "testdeck", "--count", "3", "--out", str(deck), "--png", "--data", data)
    assert code == 0 and (deck / "expected.json").exists()
    code, out, _ = run(capsys, "scan", str(deck), "--json", "--test-mode", "--workers", "1", "--data", data)
    *lines, verdict = [json.loads(line) for line in out.splitlines()]
    expected = json.loads((deck / "expected.json").read_text())
    # The folder holds the PNG pages and the PDF they came from: one copy of each sheet is read.
    assert [x["status"] for x in lines] == ["counted"] * 3
    assert [x["serial"] for x in lines] == list(expected["selections"])
    assert code == 0 and verdict["verdict"] == "PASS" and verdict["tally_ok"]
    assert [b["verdict"] for b in verdict["ballots"]] == ["PASS"] * 3
    # Serials are random: compare everything else with the golden file, and serials with expected.json.
    for x in lines:
        marked = [k for k, v in x["marks"].items() if v == "marked"]
        assert sorted(marked) == sorted(expected["selections"][x["serial"]]["projets"])
    _golden(
        "testdeck_seed2026_scan.json", [{**x, "source": Path(x["source"]).name, "serial": "<serial>"} for x in lines]
    )


def test_test_mode_prints_pass_or_fail_per_ballot_and_exits_non_zero_on_fail(tmp_path, capsys):
    data = _init(tmp_path, capsys)
    deck = tmp_path / "deck"
    assert run(capsys, "testdeck", "--count", "3", "--out", str(deck), "--data", data)[0] == 0
    doc = json.loads((deck / "expected.json").read_text())
    first, second, third = list(doc["selections"])
    # expected.json says ballot 2 holds other choices than were printed, and lists a ballot never printed.
    printed = doc["selections"][second]["projets"]
    doc["selections"][second]["projets"] = [c for c in ("p01", "p02", "p03") if c not in printed][:1]
    doc["selections"]["AAAAAAAA"] = {"projets": ["p04"]}
    doc["tally"]["projets"]["p04"] += 1
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps(doc), encoding="utf-8")
    code, out, _ = run(capsys, "scan", str(deck), "--test-mode", "--workers", "1", "--data", data)
    assert code == 0 and f"PASS {first}" in out and "VERDICT : PASS (3/3)" in out
    code, out, _ = run(
        capsys, "scan", str(deck), "--test-mode", "--expected", str(wrong), "--workers", "1", "--data", data
    )
    assert code == 1
    assert f"PASS {first}" in out and f"FAIL {second} : lu différemment" in out and f"PASS {third}" in out
    assert "FAIL AAAAAAAA : jamais lu" in out and "décompte : DIFFÉRENT" in out and "VERDICT : FAIL" in out


def test_cli_scan_records_rejected_pages_in_the_ledger_the_report_reads(tmp_path, capsys):
    """Regression: `urne scan` stored no row for a page that is not a ballot (the window did)."""
    import numpy as np

    from ballots.paper import ledger
    from ballots.store import Store
    from tests.ballots.paper.helpers import write

    data = _init(tmp_path, capsys)
    page = np.full((1100, 850), 255, np.uint8)
    page[100:300, 100:700] = 0  # a page of something else: ink, no corner squares
    write(page, tmp_path / "other.png")
    code, out, _ = run(capsys, "scan", str(tmp_path / "other.png"), "--workers", "1", "--data", data)
    assert code == 0
    with Store(data) as store:
        rows = ledger.unattributed(store)
        assert [(Path(r.source).name, r.page) for r in rows] == [("other.png", 1)] and rows[0].reasons


def test_ranked_questions_read_by_rank_column(tmp_path, capsys):
    data = _init(tmp_path, capsys, SAMPLE_SURVEY)
    deck = tmp_path / "deck"
    assert run(capsys, "testdeck", "--count", "2", "--out", str(deck), "--png", "--data", data)[0] == 0
    code, out, _ = run(
        capsys,
        "scan",
        str(deck / "testdeck-001.png"),
        str(deck / "testdeck-002.png"),
        "--json",
        "--test-mode",
        "--workers",
        "1",
        "--data",
        data,
    )
    expected = json.loads((deck / "expected.json").read_text())["selections"]
    from ballots.paper import ids
    from ballots.store import Store

    with Store(data) as store:
        *lines, verdict = out.splitlines()
        assert json.loads(verdict)["verdict"] == "PASS"
        for line in lines:
            x = json.loads(line)
            assert x["status"] == "counted"
            b = store.ballot(ids.for_store(store, x["serial"]))
            assert {k: list(v) for k, v in b.selection.items()} == expected[x["serial"]]


def test_demo_includes_paper(tmp_path, capsys):
    data = str(tmp_path / "d")  # the demo sets up its own folder (and its staff code)
    code, out, _ = run(capsys, "demo", "--data", data, "--voters", "3")
    assert code == 0 and "[demo] papier : 4 bulletins imprimés, cochés, numérisés (un à l'envers) : compté : 4" in out
