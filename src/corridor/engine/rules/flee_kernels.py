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

from corridor.engine.rng import AGENT
from corridor.engine.rng_kernels import draw

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


@nb.njit(cache=True, error_model="numpy")
def step_day(n_active, day_seed, loc, edge, km_on_link, km_today, recent, route, route_len,
             route_pos, travelled, bounced, count, link_count, flows_today, movechance, town,
             camp, capacity, cap_scaling, cap_buffer, weight_power, indptr, source, target,
             distance, link_speed, walk_prob, edge_open, path_ptr, path_end, path_base,
             path_nodes, path_len, max_speed, walk_speed, start_on_foot,
             avoid_short_stints, cand, cand_stream):  # noqa: ANN001,ANN201,C901,PLR0912,PLR0915
    """One Ecosystem.evolve: the decision pass, the travel pass, the recent-travel update.

    Written for speed, with the same results bit for bit as the plain version:
    * flat loop bodies with only scalar helpers (a per-agent call to a helper or closure that
      takes arrays pays numba's reference counting on each array). Starting a move
      (selectRoute + take_next_step) is therefore written out twice, in the decision pass
      and after a same-day arrival; the two copies must stay identical;
    * the decision draws come first in a tight loop over all agents (they depend on nothing
      another agent changes), which lists today's movers and travellers in ``cand``; route
      choice and travel then run over that list only, still in creation order;
    * the route's next place and end stay in registers instead of being re-read from
      ``route`` (that re-read of a just-written row was the hottest instruction), and
      one-link routes, used up by the step that starts them, are never stored.
    ``cand`` and ``cand_stream`` are work arrays of at least ``n_active`` entries.
    """
    scratch = np.empty(max(1, np.max(np.diff(path_ptr))), np.float64)  # cumulative weights
    # 1a. Person.evolve's draw, creation order: an agent at a place moves with chance 1 if it
    # has an unfinished route (head; 3.1 re-draws the place's chance), else the place's. The
    # draw depends on nothing other agents change, so this tight loop only lists, in order,
    # the agents that move today or are already on a link (``cand``); the rest idle.
    m = 0
    for i in range(n_active):
        mc = movechance[loc[i]]
        if (edge[i] >= 0 or route_pos[i] < route_len[i] or mc >= 1.0
                or draw(day_seed, AGENT, i, 0) < mc):
            cand[m] = i
            cand_stream[m] = 1
            m += 1
    # 1b. the movers, in the same order with live counts: selectRoute + take_next_step
    for c in range(m):
        i = cand[c]
        if edge[i] >= 0:
            continue
        p = loc[i]
        has_route = route_pos[i] < route_len[i]
        stream = 1
        # --- start a move (copy 1 of 2) ---
        pos = 0
        rlen = 0
        if has_route:  # an unfinished multi-link route (awareness >= 2)
            pos = route_pos[i]
            rlen = route_len[i]
            nxt = route[i, pos]
            dest = route[i, rlen - 1]
        else:
            # selectRoute + chooseFromWeights: weight = (base(path) * cm(end)) ** power, the first
            # path whose cumulative weight exceeds u * total (random.choices); all-zero weights
            # are a uniform choice
            u = draw(day_seed, AGENT, i, stream)
            stream += 1
            lo, hi = path_ptr[p], path_ptr[p + 1]
            if hi > lo:
                total = 0.0
                for k in range(lo, hi):
                    end = path_end[k]
                    w = path_base[k] * cap_multiplier(count[end], capacity[end], cap_scaling,
                                                      cap_buffer)
                    if weight_power != 1.0:
                        w = w ** weight_power
                    total += w
                    scratch[k - lo] = total
                if total <= 0.0:
                    kk = lo + min(int(u * (hi - lo)), hi - lo - 1)
                else:
                    target_w = u * total
                    kk = hi - 1
                    for k in range(lo, hi):
                        if target_w < scratch[k - lo]:
                            kk = k
                            break
                rlen = path_len[kk]
                nxt = path_nodes[kk, 0]
                dest = path_nodes[kk, rlen - 1]
                if rlen > 1:  # a one-link route is used up by this step: never stored
                    for j in range(rlen):
                        route[i, j] = path_nodes[kk, j]
        if rlen > 0:
            # take_next_step: the link to the route's next place must still be open, and the
            # route's end must not be a camp with cap multiplier < 0.5 (check_dest_is_full_camp)
            e = -1
            for f in range(indptr[p], indptr[p + 1]):
                if target[f] == nxt and edge_open[f]:
                    e = f
                    break
            if e < 0 or (camp[dest] and cap_multiplier(count[dest], capacity[dest], cap_scaling,
                                                       cap_buffer) < 0.5):
                rlen = 0  # the route is dropped, the agent stays
            else:
                pos += 1
                count[p] -= 1
                link_count[e] += 1
                flows_today[e] += 1
                edge[i] = e
                km_on_link[i] = 0.0
        if pos < rlen:
            route_pos[i] = pos
            route_len[i] = rlen
        elif has_route or rlen > 1:  # (a fresh agent's or used-up one-link route: already 0, 0)
            route_pos[i] = 0
            route_len[i] = 0
        # --- end of copy 1 ---
        cand_stream[c] = stream
    # 2. travel pass (Person.finish_travel, with its same-day recursion as a loop), same order
    for c in range(m):
        i = cand[c]
        if edge[i] < 0:
            continue
        stream = cand_stream[c] + 8
        hops = 0
        while edge[i] >= 0 and hops < MAX_HOPS:
            hops += 1
            e = edge[i]
            v = link_speed[e] if link_speed[e] > 0.0 else max_speed
            if start_on_foot and not travelled[i]:
                v = walk_speed
            # a draw for walk_probability, used or not; computed only when it can matter
            if walk_prob[e] > 0.0 and draw(day_seed, AGENT, i, stream) < walk_prob[e]:
                v = walk_speed
            stream += 1
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
            p = target[e]
            loc[i] = p
            count[p] += 1
            if not km_today[i] < v:
                break
            # Person.evolve again: 1 with an unfinished route, 1 in a town after a short
            # stint (avoid_short_stints), else the place's chance
            has_route = route_pos[i] < route_len[i]
            if has_route or (avoid_short_stints and town[p]
                             and (recent[i] + km_today[i] / max_speed) / 2.0 < 0.5):
                mc = 1.0
            else:
                mc = movechance[p]
            # the draw (u < 1 always holds, so it is only computed when mc < 1)
            if mc < 1.0 and not draw(day_seed, AGENT, i, stream) < mc:
                break
            stream += 1
            # --- start a move (copy 2 of 2, identical to copy 1) ---
            pos = 0
            rlen = 0
            if has_route:  # an unfinished multi-link route (awareness >= 2)
                pos = route_pos[i]
                rlen = route_len[i]
                nxt = route[i, pos]
                dest = route[i, rlen - 1]
            else:
                # selectRoute + chooseFromWeights, as in copy 1
                u = draw(day_seed, AGENT, i, stream)
                stream += 1
                lo, hi = path_ptr[p], path_ptr[p + 1]
                if hi > lo:
                    total = 0.0
                    for k in range(lo, hi):
                        end = path_end[k]
                        w = path_base[k] * cap_multiplier(count[end], capacity[end], cap_scaling,
                                                          cap_buffer)
                        if weight_power != 1.0:
                            w = w ** weight_power
                        total += w
                        scratch[k - lo] = total
                    if total <= 0.0:
                        kk = lo + min(int(u * (hi - lo)), hi - lo - 1)
                    else:
                        target_w = u * total
                        kk = hi - 1
                        for k in range(lo, hi):
                            if target_w < scratch[k - lo]:
                                kk = k
                                break
                    rlen = path_len[kk]
                    nxt = path_nodes[kk, 0]
                    dest = path_nodes[kk, rlen - 1]
                    if rlen > 1:  # a one-link route is used up by this step: never stored
                        for j in range(rlen):
                            route[i, j] = path_nodes[kk, j]
            if rlen > 0:
                # take_next_step: the link to the route's next place must still be open, and the
                # route's end must not be a camp with cap multiplier < 0.5 (check_dest_is_full_camp)
                e = -1
                for f in range(indptr[p], indptr[p + 1]):
                    if target[f] == nxt and edge_open[f]:
                        e = f
                        break
                if e < 0 or (camp[dest] and cap_multiplier(count[dest], capacity[dest], cap_scaling,
                                                           cap_buffer) < 0.5):
                    rlen = 0  # the route is dropped, the agent stays
                else:
                    pos += 1
                    count[p] -= 1
                    link_count[e] += 1
                    flows_today[e] += 1
                    edge[i] = e
                    km_on_link[i] = 0.0
            if pos < rlen:
                route_pos[i] = pos
                route_len[i] = rlen
            elif has_route or rlen > 1:  # (a fresh agent's or used-up one-link route: already 0, 0)
                route_pos[i] = 0
                route_len[i] = 0
            # --- end of copy 2 ---
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
        target_ = draw(day_seed, AGENT, i, stream) * total
        p = np.searchsorted(cum_weight, target_, side="right")
        if p >= n_places:
            p = n_places - 1
        loc[i] = p
        count[p] += 1
