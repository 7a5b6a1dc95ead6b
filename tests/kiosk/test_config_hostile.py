"""config.toml with values out of range, nan, or nested without end: one named error each."""

from __future__ import annotations

import pytest

from ballots.errors import ConfigError
from kiosk import config


@pytest.mark.parametrize(
    "text,key",
    [
        ("[sync]\ntimeout_seconds = -1\n", "sync.timeout_seconds"),
        ("[sync]\ntimeout_seconds = nan\n", "sync.timeout_seconds"),
        ("[sync]\ntimeout_seconds = inf\n", "sync.timeout_seconds"),
        ("[hub]\nport = 70000\n", "hub.port"),
        ("[kiosk]\nspeech_volume = 5.0\n", "kiosk.speech_volume"),
        ("[paper]\nscan_dpi = 0\n", "paper.scan_dpi"),
        ("a = " + "[" * 5000 + "]" * 5000 + "\n", "-"),
        ("[sync]\nhub_url = '" + "x" * 5000 + "'\n", "sync.hub_url"),
        ("sync = 3\n", "sync"),
    ],
)
def test_bad_config_values_get_one_named_error(tmp_path, text, key):
    p = tmp_path / "config.toml"
    p.write_text(text)
    with pytest.raises(ConfigError) as exc:
        config.load(p)
    assert exc.value.key == key


def test_binary_or_folder_config_is_named(tmp_path):
    p = tmp_path / "config.toml"
    p.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(ConfigError):
        config.load(p)
    with pytest.raises(ConfigError):
        config.load(tmp_path)
