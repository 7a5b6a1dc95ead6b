"""The `urne` subcommands, one module per front: core, paper, sync, app (kiosk), report, demo.

Each module defines click commands; `kiosk.cli` lists them and imports a module only when one
of its commands runs, so `urne --help` and `urne tally` do not pay for Qt, OpenCV or reportlab.
"""
