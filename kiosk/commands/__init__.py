"""One module per group of `urne` subcommands; each exposes `register(subparsers, parent)`."""
