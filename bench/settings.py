"""Settings of ``make bench``: the production settings, with the bench's URLs.

The production settings and URLs never mention the bench; this module adds its
baseline views (``bench.urls``) for the benchmark's server alone.
"""

from delivery.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
