"""Problems in election and config files reach people in French, one code each (issue 12).

Every code of `ballots.file_problems` is reached by a bad file below (a new code without a file
that shows it fails `test_every_code_is_reached`), and every message is checked for English
words (tests/english.py). The fuzz corpus checks the same on its thousands of broken files.
"""

from __future__ import annotations

import collections

import pytest

from ballots import election_file
from ballots.errors import ConfigError, ElectionFileError
from ballots.file_problems import WORDS, FileProblem, toml_words
from kiosk import config
from tests.ballots.test_election_file import GOOD
from tests.english import english_words


def _election(edit: str, new: str = "", count: int = 1) -> str:
    assert edit in GOOD, edit
    return GOOD.replace(edit, new, count)


# (election file text, expected code); "GOOD" edits keep the rest valid so the one problem shows.
ELECTION_FILES: list[tuple[str, FileProblem]] = [
    (_election('id = "e1"\n'), FileProblem.BAD_ID),
    (_election('id = "e1"', 'id = "e 1"'), FileProblem.BAD_ID),
    (_election('title.fr = "Test"\n'), FileProblem.REQUIRED),
    (_election('title.fr = "Test"', "title = 3"), FileProblem.TEXT_SHAPE),
    (_election('title.fr = "Test"', 'title.fr = "' + "x" * 400 + '"'), FileProblem.TOO_LONG),
    (
        _election('title.fr = "Test"', "title = {" + ", ".join(f'l{i} = "t"' for i in range(11)) + "}"),
        FileProblem.TOO_MANY_LANGUAGES,
    ),
    (_election('rule = "approval"', 'rule = "borda"'), FileProblem.NOT_ONE_OF),
    (_election("max = 2", 'max = "2"'), FileProblem.WRONG_TYPE),
    (_election("cost = 20", 'cost = "vingt"'), FileProblem.BAD_AMOUNT),
    (_election("cost = 20", "cost = -20"), FileProblem.NEGATIVE),
    (_election('id = "b"', 'id = "a"'), FileProblem.USED_TWICE),
    (_election('title = "B"', 'title = "B"\nids = 3'), FileProblem.BAD_PLATFORM_IDS),
    (_election('title = "B"', 'title = "B"\nids = { loomio = 3 }'), FileProblem.UNKNOWN_PLATFORM),
    (_election('title = "B"', 'title = "B"\nids = { decidim = true }'), FileProblem.BAD_PLATFORM_ID),
    ('id = "x"\ntitle = "t"\n[[questions]]\nid = "q"\ntitle = "q"\nchoices = ["a"]\n', FileProblem.NOT_A_TABLE),
    (_election('rule = "approval"', 'rule = "cumulative"'), FileProblem.CUMULATIVE_FROM_PABULIB),
    ('id = "x"\ntitle = "t"\n[[questions]]\nid = "q"\ntitle = "q"\n', FileProblem.NO_CHOICES),
    (
        'id = "x"\ntitle = "t"\n[[questions]]\nid = "q"\ntitle = "q"\n' + "[[questions.choices]]\n" * 501,
        FileProblem.TOO_MANY_CHOICES,
    ),
    (_election("max = 2", "max = 7"), FileProblem.MAX_OUT_OF_RANGE),
    (_election("max = 2", "max = 2\nmin = 3"), FileProblem.MIN_OUT_OF_RANGE),
    (_election('rule = "approval"\nmax = 2', 'rule = "single"\nmax = 2\nmin = 2'), FileProblem.SINGLE_IS_ONE),
    (_election('rule = "approval"', 'rule = "budget"'), FileProblem.BUDGET_NEEDS_ENVELOPE),
    (_election("max = 2", "max = 2\nmin_budget_share = 70"), FileProblem.SHARE_OUT_OF_RANGE),
    (_election("max = 2", "max = 2\npoints_scale = 5"), FileProblem.POINTS_SCALE),
    (_election("max = 2", "max = 2\nmin_score = -1"), FileProblem.MIN_SCORE_NEGATIVE),
    ('id = "x"\ntitle = "t"\n', FileProblem.NO_QUESTIONS),
    ('id = "x"\ntitle = "t"\n' + "[[questions]]\n" * 21, FileProblem.TOO_MANY_QUESTIONS),
    ("languages = []\n" + GOOD, FileProblem.BAD_LANGUAGES),
    ('date_begin = "30/05/2026"\n' + GOOD, FileProblem.BAD_DATE),
    ("electors = -5\n" + GOOD, FileProblem.BAD_ELECTORS),
    ('time_zone = "Mars/Olympus"\n' + GOOD, FileProblem.UNKNOWN_TIME_ZONE),
    ("pictograms = 3\n" + GOOD, FileProblem.BAD_PICTOGRAMS),
    (_election("max = 2", "max = = 2"), FileProblem.NOT_TOML),
    ("a = " + "[" * 5000 + "]" * 5000 + "\n", FileProblem.NESTED_TOO_DEEPLY),
    ("#" * (election_file.MAX_FILE_BYTES + 1), FileProblem.TOO_LARGE),
]

CONFIG_FILES: list[tuple[str, FileProblem]] = [
    ("colour = 'red'\n", FileProblem.UNKNOWN_KEY),
    ("[kiosk]\nidel_seconds = 3\n", FileProblem.UNKNOWN_KEY),
    ("[kiosk]\nidle_seconds = 'long'\n", FileProblem.WRONG_TYPE),
    ("time_zone = 3\n", FileProblem.WRONG_TYPE),
    ("time_zone = 'Mars/Olympus'\n", FileProblem.UNKNOWN_TIME_ZONE),
    ("sync = 3\n", FileProblem.NOT_A_TABLE),
    ("data_dir = 3\n", FileProblem.NOT_A_PATH),
    ("[hub]\nport = 70000\n", FileProblem.OUT_OF_RANGE),
    ("[sync]\nhub_url = '" + "x" * 5000 + "'\n", FileProblem.TOO_LONG),
    ("[kiosk]\nscreen_dpi = 20\n", FileProblem.SCREEN_DPI),
    ("[kiosk]\nscreen_inches = 2\n", FileProblem.SCREEN_INCHES),
    ("[paper]\npage_size = 'A3'\n", FileProblem.PAGE_SIZE),
    ("[kiosk\n", FileProblem.NOT_TOML),
    ("a = " + "{b = " * 3000 + "1" + "}" * 3000 + "\n", FileProblem.NESTED_TOO_DEEPLY),
]


@pytest.mark.parametrize(("text", "code"), ELECTION_FILES, ids=[c.value for _, c in ELECTION_FILES])
def test_bad_election_files_are_refused_in_french(text, code):
    with pytest.raises(ElectionFileError) as exc:
        election_file.parse(text, "mon-budget.toml")
    assert exc.value.code is code, str(exc.value)
    message = str(exc.value)
    assert message.startswith("mon-budget.toml")
    assert english_words(message, "mon-budget.toml") == [], message
    if exc.value.key != "-":
        assert f"clé « {exc.value.key} »" in message


@pytest.mark.parametrize(("text", "code"), CONFIG_FILES, ids=[c.value for _, c in CONFIG_FILES])
def test_bad_config_files_are_refused_in_french(tmp_path, text, code):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        config.load(path)
    assert exc.value.code is code, str(exc.value)
    assert english_words(str(exc.value), str(path)) == [], str(exc.value)


def test_unreadable_files_are_named_in_french(tmp_path):
    binary = tmp_path / "b.toml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (2 * 1024 * 1024 + 1))
    cases = [
        (lambda: election_file.load(tmp_path / "nope.toml"), FileProblem.FILE_NOT_FOUND),
        (lambda: election_file.load(binary), FileProblem.NOT_UTF8),
        (lambda: election_file.load(tmp_path), FileProblem.UNREADABLE),
        (lambda: election_file.load(big), FileProblem.TOO_LARGE),
        (lambda: config.load(tmp_path / "nope.toml"), FileProblem.FILE_NOT_FOUND),
        (lambda: config.load(binary), FileProblem.NOT_UTF8),
        (lambda: config.load(tmp_path), FileProblem.UNREADABLE),
        (lambda: config.load(big), FileProblem.TOO_LARGE),
    ]
    for load, code in cases:
        with pytest.raises((ElectionFileError, ConfigError)) as exc:
            load()
        assert exc.value.code is code, str(exc.value)
        assert english_words(str(exc.value), str(tmp_path)) == [], str(exc.value)
    with pytest.raises(ElectionFileError, match="c'est un dossier"):
        election_file.load(tmp_path)


def test_every_code_is_reached_and_has_french_words():
    reached = {code for _, code in ELECTION_FILES + CONFIG_FILES}
    reached |= {FileProblem.FILE_NOT_FOUND, FileProblem.NOT_UTF8, FileProblem.UNREADABLE}
    # Raised outside these two loaders: the last test below.
    reached |= {FileProblem.NOT_AN_ELECTION_FILE, FileProblem.DATABASE_URL}  # urne init; hub storage
    assert reached == set(FileProblem)
    assert set(WORDS) == set(FileProblem)
    for code, sentence in WORDS.items():
        filled = sentence.format_map(collections.defaultdict(lambda: "«x»"))
        assert english_words(filled) == [], (code, filled)


@pytest.mark.parametrize(
    "broken",
    [
        "a = 1\nb c = 2\n",  # Expected '=' after a key
        "[t\n",
        "[[t]\n",
        "a = 1\na = 2\n",
        "[t]\n[t]\n",
        "a = [1, 2\n",
        "a = {b = 1\n",
        'a = "open\n',
        'a = "c:\\x"\n',
        "a = 1979-13-27\n",
        "a = @\n",
        "= 1\n",
        "a = 1 b\n",
        "a = {b = 1, b = 2}\n",
        "a = '\x01'\n",
    ],
)
def test_every_toml_syntax_error_is_put_in_french_with_its_line(broken):
    import tomllib

    with pytest.raises(tomllib.TOMLDecodeError) as exc:
        tomllib.loads(broken)
    words, line = toml_words(str(exc.value))
    assert words.split(" (")[0] != "syntaxe invalide", str(exc.value)  # each of tomllib's sentences is known
    assert line is not None or "fin du fichier" in words, words
    assert english_words(words) == [], (str(exc.value), words)


def test_a_file_that_is_no_election_and_a_bad_hub_database_are_named_in_french(tmp_path):
    from kiosk.commands.core import load_election_file
    from sync.hubstore import open_storage

    with pytest.raises(ElectionFileError) as exc:
        load_election_file(tmp_path / "budget.csv")
    assert exc.value.code is FileProblem.NOT_AN_ELECTION_FILE
    assert english_words(str(exc.value), str(tmp_path)) == [], str(exc.value)
    with pytest.raises(ConfigError) as cfg:
        open_storage("mysql://hub")
    assert cfg.value.code is FileProblem.DATABASE_URL and cfg.value.key == "hub.database"
    assert english_words(str(cfg.value)) == [], str(cfg.value)
