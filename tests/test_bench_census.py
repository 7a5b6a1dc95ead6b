"""bench/census.py's comparison: misreads and clear sheets counted against the truth, moves named."""

from __future__ import annotations

import json

from bench import census


def _sheet(seed, boxes, *, clear=True, error=None, family="straight", mode="grey"):
    plan = {"a": ["x", "pen_black", "marked"], "b": ["", "", "blank"], "c": ["crossed", "felt_red", "person"]}
    return {
        "seed": seed,
        "name": "US_Stanford_Dataset_PB_Dieppe_2015_vote_rankings",
        "family": family,
        "mode": mode,
        "dpi": 300,
        "cut": 0,
        "clear": clear,
        "plan": plan,
        "error": error,
        "boxes": [[k, s, w, 0.1] for k, s, w in boxes],
    }


def _write(path, sheets):
    path.write_text("".join(json.dumps(s) + "\n" for s in sheets))
    return path


def test_misreads_and_clear_sheets_are_counted_against_the_truth(tmp_path):
    recs = census.load(
        _write(
            tmp_path / "a.jsonl",
            [
                # a marked box read blank and a crossed-out box decided: two misreads
                _sheet(1, [("a", "blank", "empty"), ("b", "blank", "empty"), ("c", "marked", "x")], clear=False),
                # a clear sheet with a box to a person: not decided
                _sheet(2, [("a", "marked", "x"), ("b", "ambiguous", "faint_ink"), ("c", "ambiguous", "crossed_out")]),
                _sheet(3, [("a", "marked", "x"), ("b", "blank", "empty")], family="phone"),
                _sheet(4, [], error="alignment_failed"),
            ],
        )
    )
    s, whys, bad = census.figures(recs)
    assert (s["sheets"], s["refused"], s["boxes"], s["misreads"], s["ambiguous"]) == (4, 1, 8, 2, 2)
    assert [(m[1], m[4]) for m in bad] == [("a", "blank"), ("c", "marked")]
    assert (s[("all", "clear")], s[("all", "decided")]) == (2, 1)
    assert (s[("cap_phone", "clear")], s[("cap_phone", "decided")]) == (1, 1)
    assert (s[("el_Dieppe_2015", "clear")], s[("cap_grey", "decided")]) == (2, 0)
    assert whys == {"faint_ink": 1, "crossed_out": 1}


def test_moves_are_named_by_the_truth_sheet_by_sheet(tmp_path):
    a = [
        _sheet(1, [("a", "blank", "empty"), ("b", "blank", "empty")]),
        _sheet(2, [("a", "marked", "x"), ("b", "ambiguous", "faint_ink")]),
        _sheet(3, [("a", "marked", "x")]),
        _sheet(4, [], error="alignment_failed"),
    ]
    b = [
        _sheet(1, [("a", "ambiguous", "faint_ink"), ("b", "blank", "empty")]),  # a misread sent to a person
        _sheet(2, [("a", "marked", "x"), ("b", "blank", "empty")]),  # a clear sheet now decided
        _sheet(3, [("a", "marked", "x")]),
        _sheet(4, [("a", "marked", "x")]),  # read where it was refused
    ]
    differ, moved, clear = census.moves(census.load(_write(tmp_path / "a", a)), census.load(_write(tmp_path / "b", b)))
    assert differ == 3
    assert moved == {"MISREAD->person": 1, "person->ok": 1, "refused->read": 1}
    assert clear == [
        (1, "grey", "Dieppe_2015", "to a person", ["faint_ink"]),
        (2, "grey", "Dieppe_2015", "decided", ["faint_ink"]),
    ]
