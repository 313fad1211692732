"""numba kernels of the ``flee`` rule set: one serial sweep over the agents per day.

Flee processes agents one after another in creation order and updates location counts at
once, so a later agent's capacity test sees earlier agents' moves. The kernel keeps that
order and that immediacy (it is serial on purpose: the sequential counts are part of the
model), and replaces Flee's Python objects by arrays and its recursion by a loop.
Sources: ``flee/flee.py`` (Person.evolve, Person.finish_travel, Person.take_next_step,
Person.check_dest_is_full_camp, Ecosystem.evolve), ``flee/moving.py`` (selectRoute,
calculateLinkWeight, chooseFromWeights, getCapMultiplier), Flee 3.1 and repository head.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from corridor.engine.rng import uniform

MAX_HOPS = 60  # Flee's same-day hops end by Python's recursion limit; ours by this bound


@nb.njit(cache=True, inline="always")
def cap_multiplier(n: float, capacity: float, scaling: float, buffer: float) -> float:
    """getCapMultiplier: 1 below buffer*C, 0 at or above C, linear in between; C < 1 = no limit."""
    c = capacity * scaling
    if c < 1.0:
        return 1.0
    if n <= buffer * c:
        return 1.0
    if n >= c:
        return 0.0
    return 1.0 - (n - buffer * c) / (c * (1.0 - buffer))


@nb.njit(cache=True, inline="always", error_model="numpy")
def choose_path(p, u, path_ptr, path_end, path_base, count, capacity, cap_scaling, cap_buffer,
                weight_power, scratch):  # noqa: ANN001,ANN201
    """selectRoute + chooseFromWeights: a path index from place p, or -1 if p has none.

    weight = (base(path) * cm(end)) ** weight_power with base = (weight_softening + score(end))
    / (softening + km) ** distance_power precomputed for the day; cm uses the live counts.
    Like random.choices: the first path whose cumulative weight exceeds u * total; all-zero
    weights are a uniform choice. ``scratch`` holds the cumulative weights (one pass).
    """
    lo, hi = path_ptr[p], path_ptr[p + 1]
    if hi == lo:
        return -1
    total = 0.0
    for k in range(lo, hi):
        end = path_end[k]
        w = path_base[k] * cap_multiplier(count[end], capacity[end], cap_scaling, cap_buffer)
        if weight_power != 1.0:
            w = w ** weight_power
        total += w
        scratch[k - lo] = total
    if total <= 0.0:
        return lo + min(int(u * (hi - lo)), hi - lo - 1)
    target = u * total
    for k in range(lo, hi):
        if target < scratch[k - lo]:
            return k
    return hi - 1


@nb.njit(cache=True, error_model="numpy")
def step_day(n_active, day_seed, loc, edge, km_on_link, km_today, recent, route, route_len,
             route_pos, travelled, bounced, count, link_count, flows_today, movechance, town,
             camp, capacity, cap_scaling, cap_buffer, weight_power, indptr, source, target,
             distance, link_speed, walk_prob, edge_open, path_ptr, path_end, path_base,
             path_nodes, path_len, max_speed, walk_speed, start_on_foot,
             avoid_short_stints):  # noqa: ANN001,ANN201
    """One Ecosystem.evolve: decision pass, travel pass, then the recent-travel update.

    The per-agent steps are closures over the arrays: numba inlines them, whereas a call to
    a separate function with this many array arguments pays reference counting per call.
    """
    scratch = np.empty(max(1, np.max(np.diff(path_ptr))), np.float64)  # cumulative weights

    def move_chance(i, force):  # noqa: ANN001,ANN202
        # Person.evolve: 1 with an unfinished route (head; 3.1 re-draws the place's chance),
        # 1 in a town after a short stint (avoid_short_stints), else the place's chance.
        if route_pos[i] < route_len[i]:
            return 1.0
        if force and town[loc[i]]:
            return 1.0
        return movechance[loc[i]]

    def start_move(i, stream):  # noqa: ANN001,ANN202
        # The rest of Person.evolve once the agent moves: selectRoute if it has no route,
        # then take_next_step. Returns the next free random stream.
        p = loc[i]
        if route_pos[i] >= route_len[i]:
            k = choose_path(p, uniform(day_seed, i, stream % 64), path_ptr, path_end,
                            path_base, count, capacity, cap_scaling, cap_buffer, weight_power,
                            scratch)
            stream += 1
            if k < 0:
                route_len[i] = 0
                route_pos[i] = 0
                return stream
            n = path_len[k]
            for j in range(n):
                route[i, j] = path_nodes[k, j]
            route_len[i] = n
            route_pos[i] = 0
        # take_next_step: the link to the route's next place must still be open, and the
        # route's end must not be a camp with cap multiplier < 0.5 (check_dest_is_full_camp).
        nxt = route[i, route_pos[i]]
        e = -1
        for f in range(indptr[p], indptr[p + 1]):
            if target[f] == nxt and edge_open[f]:
                e = f
                break
        if e < 0:
            route_len[i] = 0
            route_pos[i] = 0
            return stream
        dest = route[i, route_len[i] - 1]
        if camp[dest] and cap_multiplier(count[dest], capacity[dest], cap_scaling,
                                         cap_buffer) < 0.5:
            route_len[i] = 0
            route_pos[i] = 0
            return stream
        route_pos[i] += 1
        if route_pos[i] >= route_len[i]:
            route_len[i] = 0
            route_pos[i] = 0
        count[p] -= 1
        link_count[e] += 1
        flows_today[e] += 1
        edge[i] = e
        km_on_link[i] = 0.0
        return stream

    streams = np.ones(n_active, np.int64)  # next random stream after the decision pass
    # 1. decision pass (Person.evolve), creation order, live counts
    for i in range(n_active):
        if edge[i] < 0 and uniform(day_seed, i, 0) < move_chance(i, False):
            streams[i] = start_move(i, 1)
    # 2. travel pass (Person.finish_travel, with its same-day recursion as a loop)
    for i in range(n_active):
        if edge[i] < 0:
            continue
        stream = streams[i] + 8
        hops = 0
        while edge[i] >= 0 and hops < MAX_HOPS:
            hops += 1
            e = edge[i]
            v = link_speed[e] if link_speed[e] > 0.0 else max_speed
            if start_on_foot and not travelled[i]:
                v = walk_speed
            u = uniform(day_seed, i, stream % 64)  # drawn whether or not the link has one
            stream += 1
            if u < walk_prob[e]:
                v = walk_speed
            km_on_link[i] += v
            km_today[i] += v
            if not km_on_link[i] > distance[e]:
                break
            travelled[i] = 1
            km_today[i] += distance[e] - km_on_link[i]
            link_count[e] -= 1
            edge[i] = -1
            km_on_link[i] = 0.0
            if bounced[i]:  # the link closed while the agent was on it: back to its start
                bounced[i] = 0
                loc[i] = source[e]
                count[source[e]] += 1
                break
            q = target[e]
            loc[i] = q
            count[q] += 1
            if not km_today[i] < v:
                break
            force = avoid_short_stints and (recent[i] + km_today[i] / max_speed) / 2.0 < 0.5
            u = uniform(day_seed, i, stream % 64)
            stream += 1
            if u < move_chance(i, force):
                stream = start_move(i, stream)
    # 3. Ecosystem.evolve: recent = (recent + km_today / max_move_speed) / 2
    for i in range(n_active):
        recent[i] = (recent[i] + km_today[i] / max_speed) / 2.0
        km_today[i] = 0.0


@nb.njit(cache=True)
def place_new_agents(first, n_new, day_seed, stream, cum_weight, loc, count):  # noqa: ANN001,ANN201
    """Origins of the day's new agents: independent draws, p(l) = weight(l) / total
    (Ecosystem.pick_spawn_locations, numpy choice with replacement)."""
    total = cum_weight[-1]
    n_places = cum_weight.shape[0]
    for j in range(n_new):
        i = first + j
        target_ = uniform(day_seed, i, stream) * total
        p = np.searchsorted(cum_weight, target_, side="right")
        if p >= n_places:
            p = n_places - 1
        loc[i] = p
        count[p] += 1
