"""Benchmarks of Delivery: ``make bench`` (see bench/README.md).

Nothing in this package is served in production: its views are routed only by
the server that ``make bench`` starts with ``bench.settings``.
"""
