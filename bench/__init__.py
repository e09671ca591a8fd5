"""Benchmarks of Delivery: ``make bench`` (see bench/README.md).

Nothing in this package is served in production: its views are routed only when
``DELIVERY_BENCH=1`` (``delivery.urls``).
"""
