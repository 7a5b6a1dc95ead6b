import dataclasses

import pytest

from ballots.errors import ConfigError
from kiosk import config
from tests.conftest import ROOT


def test_shipped_config_equals_defaults():
    shipped = config.load(ROOT / "config.toml")
    # its paths are the defaults, read relative to the file (the checkout)
    assert shipped.data_dir == ROOT / config.DEFAULT_DATA_DIR and shipped.hub.data_dir == str(ROOT / "var/hub")
    defaults = config.Config()
    assert shipped == dataclasses.replace(
        defaults, data_dir=shipped.data_dir, hub=dataclasses.replace(defaults.hub, data_dir=shipped.hub.data_dir)
    )


def test_missing_default_file_gives_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert config.find() is None
    assert config.load() == config.Config()
    assert config.Config().election_file.is_file()  # the packaged sample, found from any folder


def test_search_order(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    data = tmp_path / "data"
    places = {
        "user": tmp_path / "xdg" / "urne" / "config.toml",
        "current": tmp_path / "config.toml",
        "data": data / "config.toml",
    }
    for name, place in places.items():  # the user's first, then each more specific one wins
        place.parent.mkdir(parents=True, exist_ok=True)
        place.write_text(f'[kiosk]\nlanguage = "{name}"\n')
        assert config.load(data_dir=data).kiosk.language == name
    explicit = tmp_path / "explicit.toml"
    explicit.write_text('[kiosk]\nlanguage = "explicit"\n')
    assert config.load(explicit, data_dir=data).kiosk.language == "explicit"
    with pytest.raises(ConfigError):
        config.load(tmp_path / "nowhere.toml")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[kiosk]\nidle_seconds = 'long'\n", "kiosk.idle_seconds"),
        ("[kiosk]\nscreen_dpi = -3\n", "kiosk.screen_dpi"),
        ("[kiosk]\nidel_seconds = 3\n", "kiosk.idel_seconds"),
        ("[paper]\npage_size = 'A3'\n", "paper.page_size"),
        ("data_dir = 3\n", "data_dir"),
        ("colour = 'red'\n", "colour"),
        ("[sync]\ntimeout_seconds = true\n", "sync.timeout_seconds"),
    ],
)
def test_errors_name_the_key(tmp_path, text, key):
    p = tmp_path / "c.toml"
    p.write_text(text)
    with pytest.raises(ConfigError) as exc:
        config.load(p)
    assert exc.value.key == key


def test_values_are_typed(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text("data_dir = 'x'\n[kiosk]\nscreen_dpi = 160\nidle_seconds = 60\n")
    c = config.load(p)
    assert c.kiosk.screen_dpi == 160.0 and isinstance(c.kiosk.screen_dpi, float)
    assert c.kiosk.idle_seconds == 60 and c.data_dir == tmp_path / "x"


def test_relative_paths_in_the_file_are_relative_to_the_file(tmp_path, monkeypatch):
    """Regression: `data_dir = "data"` in a config.toml found in another folder (the data folder,
    the user's config folder) pointed into whatever folder Urne was started from."""
    folder = tmp_path / "mairie"
    folder.mkdir()
    (folder / "config.toml").write_text(
        'data_dir = "urne-data"\nelection_file = "elections/budget.toml"\n[hub]\ndata_dir = "../hub"\n'
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    c = config.load(folder / "config.toml")
    assert c.data_dir == folder / "urne-data"
    assert c.election_file == folder / "elections" / "budget.toml"
    assert c.hub.data_dir == str(folder / ".." / "hub")
    # the same file found through the search order, from yet another folder
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    (tmp_path / "urne").mkdir()
    (folder / "config.toml").rename(tmp_path / "urne" / "config.toml")
    assert config.load(data_dir=elsewhere / "nothing-here").data_dir == tmp_path / "urne" / "urne-data"


def test_absolute_home_and_default_paths(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    p = tmp_path / "c.toml"
    p.write_text(f'data_dir = "{tmp_path / "abs"}"\nelection_file = "~/e.toml"\n')
    c = config.load(p)
    assert c.data_dir == tmp_path / "abs" and c.election_file == tmp_path / "home" / "e.toml"
    p.write_text("[kiosk]\nlanguage = 'en'\n")  # no path keys: the defaults, relative to the current folder
    c = config.load(p)
    assert c.data_dir == config.DEFAULT_DATA_DIR and c.hub.data_dir == "var/hub"
