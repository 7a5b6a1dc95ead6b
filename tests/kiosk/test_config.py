import pytest

from ballots.errors import ConfigError
from kiosk import config
from tests.conftest import ROOT


def test_shipped_config_equals_defaults():
    assert config.load(ROOT / "config.toml") == config.Config()


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
    assert c.kiosk.idle_seconds == 60 and str(c.data_dir) == "x"
