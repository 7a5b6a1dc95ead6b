"""Benchmarks, run apart from the test suite: `make bench` or `python -m bench [name ...]`."""
