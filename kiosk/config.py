"""`config.toml` parsed once into a typed, checked object; errors name the key.

The front ends own their settings: the kiosk's and the paper station's are here, what crosses a
machine boundary (hub, Purpoz) is in `sync.config`, parsed by the same rules.

Where it is found (`find`), first match wins, so that Urne installed anywhere (a town-hall PC,
`pip install` in an empty folder) behaves the same as in the checkout:
1. `--config FILE` on the command line (it must exist);
2. `config.toml` in the data folder (`--data DIR`, else the default `var/data`);
3. `config.toml` in the current folder (the checkout's own);
4. the user's config folder: `$XDG_CONFIG_HOME/urne/config.toml` (default `~/.config/urne/`),
   `%APPDATA%\\urne\\config.toml` on Windows;
5. none: the built-in defaults (which `config.toml` in the checkout spells out).
Relative paths inside the file (`data_dir`, `election_file`, `[hub] data_dir`) are relative to
the folder of the file itself, so a `config.toml` means the same from wherever Urne is started
(a town-hall PC's shortcut, a service). `~` is the user's home. Paths given on the command line
stay relative to the current folder; the built-in defaults (`var/data`, `var/hub`) too.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ballots import samples
from ballots.errors import ConfigError
from ballots.file_problems import FileProblem, os_words, toml_words, wrong_type
from sync.config import HubConfig, PurpozConfig, SyncConfig, section

CONFIG_NAME = "config.toml"
DEFAULT_DATA_DIR = Path("var/data")
MAX_CONFIG_BYTES = 1024 * 1024


@dataclass(frozen=True)
class KioskConfig:
    # The screen's density: 0 = from the screen's physical size as Qt reports it. A panel that
    # lies (or reports nothing) is corrected by `screen_inches` (the diagonal, from the
    # tablet's box) or `screen_dpi` (measured), which wins. See kiosk/ui/display.py.
    screen_dpi: float = 0.0
    screen_inches: float = 0.0
    idle_seconds: int = 120  # on a choice screen, before "Êtes-vous toujours là ?"
    idle_warning_seconds: int = 30
    thanks_seconds: int = 5
    fullscreen: bool = True
    language: str = "fr"
    staff_idle_seconds: int = 1800
    speech_rate: int = 150  # audio ballot: words per minute (90-300); each voter can change it
    speech_volume: float = 0.8  # audio ballot: 0.1-1.0 of the headphones' level
    scan_seconds: float = 2.0  # automatic scanning (one switch): time on each action


@dataclass(frozen=True)
class PaperConfig:
    page_size: str = "A4"  # or "letter"
    scan_dpi: int = 200


@dataclass(frozen=True)
class Config:
    data_dir: Path = DEFAULT_DATA_DIR
    # The sample election shipped in the package, wherever it is installed.
    election_file: Path = field(default_factory=samples.path)
    kiosk: KioskConfig = field(default_factory=KioskConfig)
    paper: PaperConfig = field(default_factory=PaperConfig)
    sync: SyncConfig = field(default_factory=SyncConfig)
    hub: HubConfig = field(default_factory=HubConfig)
    purpoz: PurpozConfig = field(default_factory=PurpozConfig)
    # The zone people read times in (procès-verbal, counting window) when the election names none.
    time_zone: str = "Europe/Paris"


def user_config_dir() -> Path:
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "urne"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "urne"


def search_path(data_dir: str | os.PathLike[str] | None = None) -> tuple[Path, ...]:
    """Where `config.toml` is looked for when `--config` is not given, in order."""
    return (
        Path(data_dir or DEFAULT_DATA_DIR) / CONFIG_NAME,
        Path(CONFIG_NAME),
        user_config_dir() / CONFIG_NAME,
    )


def find(data_dir: str | os.PathLike[str] | None = None) -> Path | None:
    return next((p for p in search_path(data_dir) if p.is_file()), None)


def load(path: str | os.PathLike[str] | None = None, *, data_dir: str | os.PathLike[str] | None = None) -> Config:
    """Read `path`, else the first file of `search_path(data_dir)`, else the built-in defaults."""
    if path:
        p = Path(path)
        if not p.exists():
            raise ConfigError(str(p), "-", FileProblem.FILE_NOT_FOUND)
    else:
        found = find(data_dir)
        if found is None:
            return Config()
        p = found
    try:
        if p.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError(str(p), "-", FileProblem.TOO_LARGE, values={"limit": MAX_CONFIG_BYTES})
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        why, line = toml_words(str(exc))
        raise ConfigError(str(p), "-", FileProblem.NOT_TOML, line, {"why": why}) from exc
    except RecursionError:
        raise ConfigError(str(p), "-", FileProblem.NESTED_TOO_DEEPLY) from None
    except UnicodeDecodeError:
        raise ConfigError(str(p), "-", FileProblem.NOT_UTF8) from None
    except OSError as exc:
        raise ConfigError(str(p), "-", FileProblem.UNREADABLE, values={"why": os_words(exc)}) from None
    known = {"data_dir", "election_file", "time_zone", "kiosk", "paper", "sync", "hub", "purpoz"}
    for key in raw:
        if key not in known:
            raise ConfigError(str(p), key, FileProblem.UNKNOWN_KEY)
    for key in ("data_dir", "election_file"):
        if key in raw and not isinstance(raw[key], str):
            raise ConfigError(str(p), key, FileProblem.NOT_A_PATH)
    time_zone = raw.get("time_zone", "Europe/Paris")
    if not isinstance(time_zone, str):
        raise ConfigError(str(p), "time_zone", FileProblem.WRONG_TYPE, values=wrong_type(str, time_zone))
    try:
        from ballots.clock import zone

        zone(time_zone)
    except ValueError:
        raise ConfigError(str(p), "time_zone", FileProblem.UNKNOWN_TIME_ZONE, values={"value": time_zone}) from None
    kiosk = section(str(p), raw, "kiosk", KioskConfig)
    if kiosk.screen_dpi < 0 or (0 < kiosk.screen_dpi < 50) or kiosk.screen_dpi > 1000:
        raise ConfigError(str(p), "kiosk.screen_dpi", FileProblem.SCREEN_DPI)
    if kiosk.screen_inches < 0 or (0 < kiosk.screen_inches < 5) or kiosk.screen_inches > 100:
        raise ConfigError(str(p), "kiosk.screen_inches", FileProblem.SCREEN_INCHES)
    paper = section(str(p), raw, "paper", PaperConfig)
    if paper.page_size not in ("A4", "letter"):
        raise ConfigError(str(p), "paper.page_size", FileProblem.PAGE_SIZE)
    hub = section(str(p), raw, "hub", HubConfig)
    if "data_dir" in raw.get("hub", {}):
        hub = dataclasses.replace(hub, data_dir=str(beside(p, hub.data_dir)))
    return Config(
        data_dir=beside(p, raw["data_dir"]) if "data_dir" in raw else DEFAULT_DATA_DIR,
        election_file=beside(p, raw["election_file"]) if "election_file" in raw else samples.path(),
        kiosk=kiosk,
        paper=paper,
        sync=section(str(p), raw, "sync", SyncConfig),
        hub=hub,
        purpoz=section(str(p), raw, "purpoz", PurpozConfig),
        time_zone=time_zone,
    )


def beside(config_file: Path, value: str) -> Path:
    """A path written in `config_file`: relative to the file's folder (absolute and `~` as they are)."""
    return config_file.parent / Path(value).expanduser()
