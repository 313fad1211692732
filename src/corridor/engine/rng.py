"""Counter-based random numbers for kernels: uniform(seed, agent, stream) with no state.

Each day the run's ``numpy.random.Generator`` draws one 64-bit ``day_seed``; a kernel then
derives agent ``i``'s numbers by hashing (day_seed, i, stream) with SplitMix64
(Steele, Lea & Flood 2014). No per-agent state, no ordering dependence, the same numbers
on any backend or thread count, and members of a group can share a draw by hashing the group id.
"""

from __future__ import annotations

import numba as nb
import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_INV_2_53 = 1.0 / 9007199254740992.0


@nb.njit(inline="always", cache=True)
def splitmix64(x: np.uint64) -> np.uint64:
    z = x + _GOLDEN
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@nb.njit(inline="always", cache=True)
def uniform(day_seed: np.uint64, index: np.int64, stream: np.int64) -> float:
    """A float64 in [0, 1) that depends only on (day_seed, index, stream)."""
    x = splitmix64(day_seed ^ splitmix64(np.uint64(index) * np.uint64(64) + np.uint64(stream)))
    return float(x >> np.uint64(11)) * _INV_2_53


def uniform_array(day_seed: int, index: np.ndarray, stream: int) -> np.ndarray:
    """Vectorised version for tests and non-kernel code."""
    return _uniform_array(np.uint64(day_seed), index.astype(np.int64), np.int64(stream))


@nb.njit(cache=True)
def _uniform_array(day_seed, index, stream):  # noqa: ANN001,ANN202
    out = np.empty(index.shape[0])
    for k in range(index.shape[0]):
        out[k] = uniform(day_seed, index[k], stream)
    return out


def next_day_seed(rng: np.random.Generator) -> np.uint64:
    """Draw the seed for one day's kernels from the run's Generator."""
    return np.uint64(rng.integers(0, 2**63, dtype=np.int64))
