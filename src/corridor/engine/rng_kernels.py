"""The numba side of engine/rng.py: the hash and the draws, usable inside kernels.

Kept apart from rng.py so that rng.py imports without numba (see engine/compiled.py); rng.py
hands these names out on first use, so ``from corridor.engine.rng import draw`` still works.
"""

from __future__ import annotations

import numba as nb
import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_KEY_MUL = np.uint64(0xD1B54A32D192ED03)  # odd: key -> key * _KEY_MUL is a bijection
_INV_2_53 = 1.0 / 9007199254740992.0


@nb.njit(inline="always", cache=True)
def splitmix64(x: np.uint64) -> np.uint64:
    z = x + _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@nb.njit(inline="always", cache=True)
def key_base(day_seed: np.uint64, domain: np.uint64, key: np.int64) -> np.uint64:
    """The day's hash of one key in one domain; feed it to ``stream_uniform``."""
    return splitmix64(np.uint64(day_seed) ^ (np.uint64(key) * _KEY_MUL + np.uint64(domain)))


@nb.njit(inline="always", cache=True)
def stream_uniform(base: np.uint64, stream: np.int64) -> float:
    """Draw number ``stream`` of a key's day (``base`` from ``key_base``): float64 in [0, 1)."""
    x = splitmix64(np.uint64(base) + np.uint64(stream) * _GOLDEN)
    return float(x >> np.uint64(11)) * _INV_2_53


@nb.njit(inline="always", cache=True)
def draw(day_seed: np.uint64, domain: np.uint64, key: np.int64, stream: np.int64) -> float:
    """A float64 in [0, 1) that depends only on (day_seed, domain, key, stream)."""
    return stream_uniform(key_base(day_seed, domain, key), stream)


@nb.njit(cache=True)
def _draw_array(seed, domain, keys, stream):  # noqa: ANN001,ANN202
    out = np.empty(keys.shape[0])
    for k in range(keys.shape[0]):
        out[k] = draw(seed, domain, keys[k], stream)
    return out
