"""What every command shares: `--data` and `--config`, and the Context they make.

`--data` and `--config` are accepted on the root (`urne --data D tally`), on a group
(`urne conflicts --data D`) and on the command itself (`urne tally --data D`); the innermost wins.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from kiosk.context import Context

F = TypeVar("F", bound=Callable[..., Any])

_DATA = "urne.data"
_CONFIG = "urne.config"


def _remember(key: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        if value is not None:
            ctx.meta[key] = value
        return value

    return callback


def location_options(f: F) -> F:
    """Add `--data DIR` and `--config FILE` to a command or a group."""
    f = click.option(
        "--config",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        expose_value=False,
        is_eager=True,
        callback=_remember(_CONFIG),
        help="fichier de configuration (par défaut : config.toml du dossier de données, du dossier courant, puis de ~/.config/urne/)",
    )(f)
    f = click.option(
        "--data",
        metavar="DIR",
        type=click.Path(file_okay=False, path_type=Path),
        expose_value=False,
        is_eager=True,
        callback=_remember(_DATA),
        help="dossier de données (par défaut : data_dir dans config.toml)",
    )(f)
    return f


def with_context(f: Callable[..., Any]) -> Callable[..., Any]:
    """A command taking `--data`/`--config`, called with the Urne `Context` first (closed afterwards)."""

    @functools.wraps(f)
    def run(*args: Any, **kwargs: Any) -> Any:
        click_ctx = click.get_current_context()
        ctx = Context.load(click_ctx.meta.get(_CONFIG), click_ctx.meta.get(_DATA))
        click_ctx.call_on_close(ctx.close)
        return f(ctx, *args, **kwargs)

    return location_options(run)


def group(name: str, help: str, **kwargs: Any) -> Callable[[Callable[..., Any]], click.Group]:
    """A group of verbs (`urne device show|enrol|list|revoke`), taking `--data`/`--config` too."""

    def make(f: Callable[..., Any]) -> click.Group:
        return click.group(name, help=help, **kwargs)(location_options(f))

    return make


def n_words(n: int, one: str, many: str) -> str:
    """'0 bulletin', '1 bulletin', '2 bulletins' (French: 0 and 1 are singular)."""
    return f"{n} {one if abs(n) < 2 else many}"
