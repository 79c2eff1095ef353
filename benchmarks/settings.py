"""The production settings, plus what `make bench` needs: the framework-floor page at /bench/floor/,
and a switch for the public page cache (BENCH_PAGE_CACHE=false measures every page rendered).

Only benchmarks/bench.py uses this module; production never serves /bench/floor/."""

from newsroom.settings.prod import *  # noqa: F403
from newsroom.settings.prod import env

BENCHMARK_FLOOR = True
PUBLIC_PAGE_CACHE = env.boolean("BENCH_PAGE_CACHE", True)
