"""Counter-based random numbers: every draw is a pure function of (seed, day, domain, key, stream).

Why: common random numbers. A run draws nothing from a sequential generator, so adding one
person (a new sources.csv row, another caravan) leaves every other person's and caravan's
draws unchanged, and results do not depend on the order agents are visited or the number of
threads. Hashing is SplitMix64's finaliser (Steele, Lea & Flood 2014).

How to draw (the API for rule sets; all of these work inside numba kernels except
``day_seed``, ``name_key`` and ``draw_array``)::

    seed = day_seed(scenario.seed, day)       # day >= 0; INIT_DAY (-1) for draws before day 0
    u = draw(seed, AGENT, key, stream)        # float64 in [0, 1)

- ``domain``: whose draw it is -- ``AGENT``, ``CARAVAN``, ``PLACE``, ``EDGE`` (or a new
  constant made with ``make_domain``). Domains never share numbers, so a caravan's key can
  equal an agent's.
- ``key``: a stable identity within the domain (int64): an agent's key from its sources.csv
  row and ordinal (``SpawnPlan.key``), a caravan's ``name_key(name)``, a place's or an
  edge's index. Never a position that shifts when rows are added.
- ``stream``: which decision (any int64; no wrap-around, no aliasing between streams). Give
  each independent decision of a day its own stream; a decision repeated k times in a day
  (the k-th hop) uses ``BASE + k``.

Hot loops that make several draws for one key in a day hash the key once::

    base = key_base(seed, AGENT, key)         # one hash per key and day
    u = stream_uniform(base, S_MOVE)          # one hash per draw
"""

from __future__ import annotations

import hashlib

import numpy as np

_MASK64 = (1 << 64) - 1

INIT_DAY = -1  # the reserved day counter of draws made before day 0 (initial attributes)


def _splitmix_py(x: int) -> int:
    z = (x + 0x9E3779B97F4A7C15) & _MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK64
    return z ^ (z >> 31)


def make_domain(name: str) -> np.uint64:
    """A domain constant: 64 bits hashed from its name (distinct names never collide here)."""
    return np.uint64(int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(),
                                    "little"))


AGENT = make_domain("agent")
CARAVAN = make_domain("caravan")
PLACE = make_domain("place")
EDGE = make_domain("edge")


def day_seed(seed: int, day: int) -> np.uint64:
    """The seed of one day's draws: a hash of (run seed, day); ``INIT_DAY`` before day 0.

    Any Python int is a seed (negative and > 64-bit ones are reduced modulo 2**64)."""
    run = _splitmix_py((int(seed) & _MASK64) ^ 0x5EED5EED5EED5EED)
    return np.uint64(_splitmix_py((run + (int(day) & _MASK64) * 0xD6E8FEB86659FD93) & _MASK64))


def name_key(text: str) -> int:
    """A stable int64 key for a name (a caravan's, a source row's identity): 63 bits of
    BLAKE2b, the same on every machine and Python (unlike ``hash``)."""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1


def draw_array(seed: np.uint64, domain: np.uint64, keys: np.ndarray, stream: int) -> np.ndarray:
    """``draw`` for many keys at once (setup code and tests)."""
    from corridor.engine.compiled import kernels

    return kernels("corridor.engine.rng_kernels")._draw_array(
        np.uint64(seed), np.uint64(domain), np.asarray(keys, np.int64), np.int64(stream))


_KERNEL_NAMES = frozenset({"draw", "key_base", "splitmix64", "stream_uniform"})


def __getattr__(name: str) -> object:
    """The numba functions live in rng_kernels.py, imported on first use: a run whose kernels
    were compiled ahead of time (engine/compiled.py) never imports numba."""
    if name in _KERNEL_NAMES:
        from corridor.engine import rng_kernels

        return getattr(rng_kernels, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# draw, key_base, splitmix64 and stream_uniform come from rng_kernels on first use
__all__ = [
    "AGENT",
    "CARAVAN",
    "EDGE",
    "INIT_DAY",
    "PLACE",
    "day_seed",
    "draw_array",
    "make_domain",
    "name_key",
]
