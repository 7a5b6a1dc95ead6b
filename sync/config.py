"""Settings of what crosses a machine boundary (hub, sync client, Purpoz), from `config.toml`.

`section(path, raw, name, cls)` turns one TOML table into one of these frozen dataclasses, checking
every key and type; the kiosk's `kiosk.config.load` uses it for every table of the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ballots.errors import ConfigError
from ballots.file_problems import FileProblem, type_words, wrong_type


@dataclass(frozen=True)
class SyncConfig:
    hub_url: str = ""  # empty: no hub, USB bundles only
    token: str = ""
    timeout_seconds: float = 10.0


@dataclass(frozen=True)
class HubConfig:
    host: str = "127.0.0.1"
    port: int = 8765
    data_dir: str = "var/hub"
    database: str = ""  # "" = SQLite in data_dir; "postgresql://user@host/db" for a city (several hub processes)
    stale_minutes: int = 15  # the dashboard flags a station silent for longer
    refresh_seconds: int = 20  # the dashboard refreshes itself this often (the staff can pause it)
    public_results: bool = False  # a results page at /results without login, once the polls are closed
    secure_cookies: bool = False  # true when the hub is reached over HTTPS (reverse proxy)


@dataclass(frozen=True)
class PurpozConfig:
    base_url: str = ""
    username: str = ""
    password_env: str = "URNE_PURPOZ_PASSWORD"  # the password never sits in a file
    step_id: str = ""


# Numbers outside these bounds are refused by name (a negative timeout used to reach requests
# and end in a traceback; nan and inf fail every bound). Keys are "table.key".
RANGES: dict[str, tuple[float, float]] = {
    "sync.timeout_seconds": (0.1, 600.0),
    "hub.port": (1, 65535),
    "hub.stale_minutes": (1, 7 * 24 * 60),
    "kiosk.screen_dpi": (0.0, 1000.0),  # 0 = from the screen (kiosk/ui/display.py)
    "kiosk.screen_inches": (0.0, 100.0),
    "kiosk.idle_seconds": (10, 3600),
    "kiosk.idle_warning_seconds": (5, 600),
    "kiosk.thanks_seconds": (1, 120),
    "kiosk.staff_idle_seconds": (30, 86400),
    "kiosk.speech_rate": (90, 300),
    "kiosk.speech_volume": (0.1, 1.0),
    "kiosk.scan_seconds": (0.3, 30.0),
    "paper.scan_dpi": (100, 1200),
}


def section(path: str, raw: dict[str, Any], name: str, cls: type[Any]) -> Any:
    values = raw.get(name, {})
    if not isinstance(values, dict):
        raise ConfigError(
            path, name, FileProblem.NOT_A_TABLE, values={"example": f"[{name}]", "found": type_words(type(values))}
        )
    defaults = cls()
    kwargs: dict[str, Any] = {}
    for key, value in values.items():
        if not hasattr(defaults, key):
            raise ConfigError(path, f"{name}.{key}", FileProblem.UNKNOWN_KEY)
        expected = type(getattr(defaults, key))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(path, f"{name}.{key}", FileProblem.WRONG_TYPE, values=wrong_type(expected, value))
        bounds = RANGES.get(f"{name}.{key}")
        if bounds is not None and not bounds[0] <= value <= bounds[1]:
            raise ConfigError(
                path, f"{name}.{key}", FileProblem.OUT_OF_RANGE, values={"low": bounds[0], "high": bounds[1]}
            )
        if isinstance(value, str) and len(value) > 4096:
            raise ConfigError(path, f"{name}.{key}", FileProblem.TOO_LONG, values={"limit": 4096})
        kwargs[key] = value
    return cls(**kwargs)
