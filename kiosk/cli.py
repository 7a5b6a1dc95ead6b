"""The `urne` command line: the stable contract other tools and tests rely on.

Every command takes --data DIR (default from config.toml) and --config FILE. Errors are one
line on stderr naming what is wrong, with exit code 2; nothing is half-written because every
store operation is one transaction.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from ballots.errors import UrneError
from kiosk import config as config_mod
from kiosk.context import Context

# Each module adds its subcommands; the order is the order of `urne --help`.
COMMAND_MODULES = (
    "kiosk.commands.core",
    "kiosk.commands.paper",
    "kiosk.commands.sync",
    "kiosk.commands.app",
    "kiosk.commands.report",  # last: its demo step writes the report once every other step has run
)


def build_parser() -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument("--data", metavar="DIR", help="data directory (default: data_dir in config.toml)")
    parent.add_argument("--config", metavar="FILE", help="configuration file (default: ./config.toml)")
    parser = argparse.ArgumentParser(
        prog="urne",
        description="Urne: offline voting kiosk and paper-ballot counting for town halls.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, parent)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    ctx: Context | None = None
    try:
        cfg = config_mod.load(args.config)
        ctx = Context(cfg, Path(args.data) if args.data else cfg.data_dir)
        return int(args.func(ctx, args) or 0)
    except UrneError as exc:
        print(f"urne: {exc}", file=sys.stderr)
        return 2
    except sqlite3.DatabaseError as exc:
        print(f"urne: the data file is damaged or not an Urne file ({exc})", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `urne tally | head`: the reader has gone, that is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        print(f"urne: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("urne: interrupted; everything acknowledged so far is stored", file=sys.stderr)
        return 130
    finally:
        if ctx is not None:
            ctx.close()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
