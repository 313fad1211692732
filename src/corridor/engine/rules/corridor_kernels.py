"""Rule set ``corridor``: the numba kernels (one fused pass over the agents per day).

Helpers called for every agent take few arguments or are inlined: numba reference-counts each
array argument of a call, which made per-agent helper calls with ~20 arrays five times slower.
"""

from __future__ import annotations

import numba as nb
import numpy as np

from corridor.engine.rng import AGENT
from corridor.engine.rng_kernels import draw, key_base, stream_uniform
from corridor.engine.rules.corridor_params import (
    ALL,
    ARRIVED,
    ASYLUM_WAITING,
    AT_PLACE,
    C_ASYLUM_APPLY,
    C_ASYLUM_DECIDE,
    C_BUS_FACTOR,
    C_CARAVAN_VISIBILITY,
    C_CONTINUE_SHARE,
    C_DEPORT_SHARE,
    C_ENCOUNTER,
    C_FOOT_FACTOR,
    C_HIRE_MAX,
    C_IRREGULAR,
    C_LEAVE_DETENTION,
    C_MAX_HOPS,
    C_MOVE,
    C_PEOPLE_PER_AGENT,
    C_REJOIN,
    C_RELOCATE_SHARE,
    C_RETURN_BASE,
    C_RETURN_PER_DAY,
    C_SETTLE_SHARE,
    C_SMUGGLED_FACTOR,
    C_TRANSFER_DETAIN,
    C_TRANSFER_SETTLE,
    C_US_RELEASE,
    C_VEHICLE,
    C_WALK,
    C_WILLING_USD,
    DEFERRED,
    DEPORTED,
    DETAINED,
    E_ASYLUM,
    E_DEPORTED,
    E_DETAINED,
    E_ENCOUNTERS,
    E_ENTRIES,
    E_PERMITS,
    E_REJOINED,
    E_RELEASED,
    E_RELOCATED,
    E_RETURNED,
    E_REVENUE,
    E_SETTLED,
    E_SMUGGLED,
    E_STOPPED,
    E_TRANSFERRED,
    E_TURNED_BACK,
    F_CAN_PAY,
    F_NEW,
    F_PERMIT,
    F_TRANSFERRED,
    FOOT,
    G_HALTED,
    G_RODE,
    IN_TRANSIT,
    M_ARRIVED,
    M_DETAINED,
    M_DISPERSED,
    M_HALTED,
    M_RETURNED,
    M_RIDING,
    M_TRANSFERRED,
    M_WALKING,
    P_ASYLUM_CAP,
    P_DET_CAP,
    P_DET_OCC,
    P_DETAIN_CAP,
    P_FULL,
    P_IS_DEST,
    P_IS_PORT,
    P_PERMIT_CAP,
    P_PORT_CAP,
    P_PRICE,
    P_RISK,
    P_STOP,
    P_TRANSFER,
    P_TRANSFER_TO,
    P_TURNBACK,
    RETURNED,
    S_ASYLUM,
    S_DETAIN,
    S_ENCOUNTER,
    S_HOP,
    S_IRREGULAR,
    S_MODE,
    S_MOVE,
    S_OUTCOME,
    S_REJOIN,
    S_RETURN,
    S_SMUGGLE,
    S_SPLIT,
    S_STOP,
    S_STOP_HOP,
    S_TRANSFER,
    S_TRANSFER_OUT,
    S_TURNBACK,
    S_VOTE,
    SETTLED,
    SMUGGLED,
    SPECULATE,
    VEHICLE,
)


@nb.njit(cache=True, inline="always")
def choose_edge(indptr, cum_weight, place, u):  # noqa: ANN001,ANN201
    """The edge whose cumulative weight first exceeds u (-1 if no way onwards)."""
    lo, hi = indptr[place], indptr[place + 1]
    if hi == lo or cum_weight[hi - 1] <= 0.0:
        return -1
    for e in range(lo, hi):
        if u < cum_weight[e]:
            return e
    return hi - 1


@nb.njit(cache=True)
def caravan_votes(group, mode, key, c_start, c_end, c_start_day, day, n_active, day_seed,
                  p_split, p_move, vehicle_share, n_groups):  # noqa: ANN001,ANN201
    """Split-offs and votes, visiting only each caravan's contiguous agent range.

    A caravan's members may be in its main body, vanguard or stragglers (``group[i]``); one who
    splits off keeps the caravan in ``group[i] = -2 - c``. Nobody splits off on the day a
    caravan sets out: everyone who left, left with it. ``p_split[g]`` is group g's split-off
    probability today (higher after a day it did not move). The ranges of caravans whose
    members joined on the road (corridor_joining) interleave: each visits only its own
    members."""
    votes = np.zeros(n_groups, np.int64)
    members = np.zeros(n_groups, np.int64)
    n_caravans = c_start.shape[0]
    for c in range(n_caravans):
        splitting = day > c_start_day[c]
        for i in range(c_start[c], min(c_end[c], n_active)):
            g = group[i]
            if g < 0 or g % n_caravans != c:
                continue
            base = key_base(day_seed, AGENT, key[i])
            if splitting and p_split[g] > 0.0 and stream_uniform(base, S_SPLIT) < p_split[g]:
                group[i] = -2 - c
                mode[i] = VEHICLE if stream_uniform(base, S_MODE) < vehicle_share else FOOT
                continue
            members[g] += 1
            if stream_uniform(base, S_VOTE) < p_move:
                votes[g] += 1
    return votes, members


@nb.njit(cache=True)
def try_stop(i, here, mode, flags, location, status, place, detention_of, sc, base, stream,
             size_factor, events):  # noqa: ANN001,ANN201
    """Checkpoint/patrol at ``here``: maybe detain agent i (True if detained)."""
    p = place[P_STOP, here]
    if p <= 0.0 or flags[i] & F_PERMIT or place[P_DETAIN_CAP, here] < 1.0:
        return False
    m = mode[i]
    factor = sc[C_FOOT_FACTOR] if m == FOOT else (
        sc[C_BUS_FACTOR] if m == VEHICLE else sc[C_SMUGGLED_FACTOR])
    if stream_uniform(base, stream) >= p * factor * size_factor:
        return False
    place[P_DETAIN_CAP, here] -= 1.0
    events[E_STOPPED, here] += 1.0
    d = detention_of[here]
    if d < 0:
        d = here
    if place[P_DET_OCC, d] + 1.0 > place[P_DET_CAP, d]:  # full: released on the spot
        events[E_RELEASED, here] += 1.0
        return False
    events[E_DETAINED, here] += 1.0
    place[P_DET_OCC, d] += 1.0
    location[i] = d
    status[i] = DETAINED
    return True


@nb.njit(inline="always", cache=True)
def would_stop(i, here, mode, flags, place, sc, base, stream, size_factor):  # noqa: ANN001,ANN201
    """Whether ``try_stop`` would stop agent i if the checkpoint still had room: its draw only,
    with no side effect. A False here is False whatever other agents used up today (capacities
    only fall during a day), so a speculating agent can go on; a True needs the shared count."""
    p = place[P_STOP, here]
    if p <= 0.0 or flags[i] & F_PERMIT or place[P_DETAIN_CAP, here] < 1.0:
        return False
    m = mode[i]
    factor = sc[C_FOOT_FACTOR] if m == FOOT else (
        sc[C_BUS_FACTOR] if m == VEHICLE else sc[C_SMUGGLED_FACTOR])
    return stream_uniform(base, stream) < p * factor * size_factor


@nb.njit(cache=True, parallel=True)
def step_agents(n_active, day_seed, key, location, next_place, km_left, status, group, mode,
                days_here, flags, home, g_place, g_next, g_km_left, g_status, g_arrived_today,
                g_members, g_caravan, g_activity, g_dissolve, rejoin_at, indptr, target,
                distance_km, routes, aim, place, detention_of, sc, deport_left, flows, counts,
                events, member_states, dispersed_at, g_end_members, deferred,
                chunks):  # noqa: ANN001,ANN201
    """One day for every active agent, on every thread, with the bytes of one thread.

    Agents are split into contiguous chunks. On its chunk, a thread runs every flow agent
    (group -1) speculatively: its day reads shared arrays but writes only its own fields and
    additive counts (flows, counts, and events that are whole numbers), kept per chunk and
    summed afterwards, so the sums are exact in any order. The moment an agent's day would
    use something other agents use up -- a checkpoint's room (only when its draw says it is
    stopped), a permit, an asylum place, a port appointment, the day's deportations, or a
    smuggler's fee (revenue is a sum of prices, kept in agent order) -- its fields are put back
    as they were, it is marked in ``deferred`` (uint8, one per agent, preallocated), and it is
    run after, on one thread, in agent order, with caravan members. Capacities only fall during
    a day, so a speculating agent that saw none left would have seen none in a serial sweep
    either: the deferred agents meet the capacities in the same order as a serial sweep.
    ``chunks``: how many chunks at most (a few per thread; it changes no result); 0: one serial
    sweep.
    """
    if chunks == 0:
        sweep_agents(0, n_active, ALL, deferred, day_seed, key, location, next_place,
                     km_left, status, group, mode, days_here, flags, home, g_place, g_next,
                     g_km_left, g_status, g_arrived_today, g_members, g_caravan, g_activity,
                     g_dissolve, rejoin_at, indptr, target, distance_km, routes, aim, place,
                     detention_of, sc, deport_left, flows, counts, events, member_states,
                     dispersed_at, g_end_members)
        return
    n_chunks = min(chunks, max(1, n_active // 4096))
    size = (n_active + n_chunks - 1) // n_chunks if n_active else 0
    c_flows = np.zeros((n_chunks, flows.shape[0]), np.int64)
    c_counts = np.zeros((n_chunks, counts.shape[0], counts.shape[1]), np.int64)
    c_events = np.zeros((n_chunks, events.shape[0], events.shape[1]))
    for c in nb.prange(n_chunks):
        lo = c * size
        sweep_agents(lo, min(n_active, lo + size), SPECULATE, deferred, day_seed, key,
                     location, next_place, km_left, status, group, mode, days_here, flags,
                     home, g_place, g_next, g_km_left, g_status, g_arrived_today, g_members,
                     g_caravan, g_activity, g_dissolve, rejoin_at, indptr, target,
                     distance_km, routes, aim, place, detention_of, sc, deport_left,
                     c_flows[c], c_counts[c], c_events[c], member_states, dispersed_at,
                     g_end_members)
    sweep_agents(0, n_active, DEFERRED, deferred, day_seed, key, location, next_place,
                 km_left, status, group, mode, days_here, flags, home, g_place, g_next,
                 g_km_left, g_status, g_arrived_today, g_members, g_caravan, g_activity,
                 g_dissolve, rejoin_at, indptr, target, distance_km, routes, aim, place,
                 detention_of, sc, deport_left, flows, counts, events, member_states,
                 dispersed_at, g_end_members)
    for c in range(n_chunks):
        for e in range(flows.shape[0]):
            flows[e] += c_flows[c, e]
        for p in range(counts.shape[0]):
            for k in range(counts.shape[1]):
                counts[p, k] += c_counts[c, p, k]
        for k in range(events.shape[0]):
            for p in range(events.shape[1]):
                events[k, p] += c_events[c, k, p]


PENDING_EDGES = 64  # roads a speculating agent may take in a day before it is deferred


@nb.njit(cache=True)
def sweep_agents(lo, hi, which, deferred, day_seed, key, location, next_place, km_left,
                 status,
                 group, mode, days_here, flags, home, g_place, g_next, g_km_left, g_status,
                 g_arrived_today, g_members, g_caravan, g_activity, g_dissolve, rejoin_at,
                 indptr, target, distance_km, routes, aim, place, detention_of, sc,
                 deport_left, flows, counts, events, member_states, dispersed_at,
                 g_end_members):  # noqa: ANN001,ANN201
    """The day of agents lo to hi - 1 (``which``: ALL of them; SPECULATE: flow agents,
    marking in ``deferred`` the others and those whose day needs a shared capacity (see
    ``step_agents``); or the DEFERRED ones), in agent order: the fused
    act/choose/travel/arrive/record kernel.

    ``place`` holds today's per-place lever values (rows P_*), ``sc`` the scalar parameters
    (C_*), ``events`` collects per-place event counts (rows E_*). Caravan bookkeeping:
    ``member_states[c, M_*]`` counts caravan c's people by state at the end of the day,
    ``dispersed_at[c, place]`` its dispersed members waiting at each place,
    ``g_end_members[g]`` the members each group still has.
    """
    spec = which == SPECULATE
    pend = np.empty(PENDING_EDGES, np.int64)  # a speculating agent's flows, added on commit
    for i in range(lo, hi):
        if spec:
            if group[i] != -1:
                deferred[i] = 1
                continue
            deferred[i] = 0
        elif which == DEFERRED and not deferred[i]:
            continue
        g = group[i]
        if g >= 0:  # caravan member: same place, leg and status as its caravan
            c = g_caravan[g]
            here = g_place[g]
            location[i] = here
            next_place[i] = g_next[g]
            km_left[i] = g_km_left[g]
            status[i] = g_status[g]
            if g_dissolve[g]:  # the caravan breaks up: everyone goes on alone from here
                group[i] = -2 - c
                member_states[c, M_DISPERSED] += 1
                if status[i] == AT_PLACE:
                    dispersed_at[c, here] += 1
                counts[here, status[i]] += 1
                continue
            size = sc[C_CARAVAN_VISIBILITY] / (sc[C_CARAVAN_VISIBILITY] + g_members[g])
            if g_arrived_today[g] and try_stop(
                    i, here, mode, flags, location, status, place, detention_of, sc,
                    key_base(day_seed, AGENT, key[i]), S_STOP, size, events):
                group[i] = -2 - c
                next_place[i] = -1
                member_states[c, M_DETAINED] += 1
            elif (status[i] == AT_PLACE and place[P_TURNBACK, here] > 0.0
                  and draw(day_seed, AGENT, key[i], S_TURNBACK) < place[P_TURNBACK, here]):
                events[E_TURNED_BACK, here] += 1.0  # sent back to where they set out
                status[i] = RETURNED
                location[i] = home[i]
                group[i] = -2 - c
                member_states[c, M_RETURNED] += 1
            elif (status[i] == AT_PLACE and place[P_TRANSFER, here] > 0.0
                  and draw(day_seed, AGENT, key[i], S_TRANSFER) < place[P_TRANSFER, here]):
                events[E_TRANSFERRED, here] += 1.0  # accepts the offer and leaves the caravan
                group[i] = -2 - c
                flags[i] |= F_TRANSFERRED
                member_states[c, M_TRANSFERRED] += 1
                dest = np.int32(place[P_TRANSFER_TO, here])
                if dest < 0:
                    dest = here
                u = draw(day_seed, AGENT, key[i], S_TRANSFER_OUT)
                if u < sc[C_TRANSFER_DETAIN]:
                    d = detention_of[here]
                    if d < 0:
                        d = here
                    place[P_DET_OCC, d] += 1.0
                    events[E_DETAINED, here] += 1.0
                    location[i] = d
                    status[i] = DETAINED
                elif u < sc[C_TRANSFER_DETAIN] + sc[C_TRANSFER_SETTLE]:
                    location[i] = dest
                    status[i] = SETTLED
                    events[E_SETTLED, dest] += 1.0
                else:  # papers and a bus: travels on alone, never stopped
                    location[i] = dest
                    flags[i] |= F_PERMIT
                    mode[i] = VEHICLE
                    days_here[i] = 0
            elif status[i] == AT_PLACE and place[P_PERMIT_CAP, here] >= 1.0:
                place[P_PERMIT_CAP, here] -= 1.0  # a permit dissolves the member's caravan tie
                events[E_PERMITS, here] += 1.0
                flags[i] |= F_PERMIT | F_TRANSFERRED
                mode[i] = VEHICLE
                group[i] = -2 - c
                member_states[c, M_TRANSFERRED] += 1
            else:
                g_end_members[g] += 1
                if status[i] == ARRIVED:
                    member_states[c, M_ARRIVED] += 1
                elif g_activity[g] == G_HALTED:
                    member_states[c, M_HALTED] += 1
                elif g_activity[g] == G_RODE:
                    member_states[c, M_RIDING] += 1
                else:
                    member_states[c, M_WALKING] += 1
            counts[location[i], status[i]] += 1
            continue
        st = status[i]
        here = location[i]
        base = np.uint64(0)
        here0 = here
        defer = False  # speculating, the day needs a shared capacity: undo it, run it later
        n_pend = 0
        s_next, s_km, s_mode = next_place[i], km_left[i], mode[i]
        s_days, s_flags = days_here[i], flags[i]
        if st in (DETAINED, ASYLUM_WAITING, AT_PLACE, IN_TRANSIT):  # the statuses that draw
            base = key_base(day_seed, AGENT, key[i])  # one hash per agent and day
        if (g <= -2 and st == AT_PLACE and sc[C_REJOIN] > 0.0
                and not flags[i] & F_TRANSFERRED):  # a dispersed member finds its caravan
            rg = rejoin_at[-2 - g, here]
            if rg >= 0 and stream_uniform(base, S_REJOIN) < sc[C_REJOIN]:
                group[i] = rg
                mode[i] = FOOT
                days_here[i] = 0
                events[E_REJOINED, here] += 1.0
                g_end_members[rg] += 1
                member_states[-2 - g, M_HALTED] += 1
                counts[here, AT_PLACE] += 1
                continue
        if st == DETAINED:
            if stream_uniform(base, S_DETAIN) < sc[C_LEAVE_DETENTION]:
                u = stream_uniform(base, S_OUTCOME)
                if u < sc[C_DEPORT_SHARE] and spec and deport_left[0] >= 1.0:
                    defer = True  # the day's deportation places are shared
                elif u < sc[C_DEPORT_SHARE]:
                    if deport_left[0] >= 1.0:
                        deport_left[0] -= 1.0
                        status[i] = DEPORTED
                        events[E_DEPORTED, here] += 1.0
                elif u < sc[C_DEPORT_SHARE] + sc[C_RELOCATE_SHARE]:
                    status[i] = AT_PLACE
                    location[i] = home[i]
                    days_here[i] = 0
                    events[E_RELOCATED, here] += 1.0
                else:
                    status[i] = AT_PLACE
                    flags[i] |= F_PERMIT  # released with an exit order / permit
                    days_here[i] = 0
                    events[E_RELEASED, here] += 1.0
        elif st == ASYLUM_WAITING:
            if stream_uniform(base, S_ASYLUM) < sc[C_ASYLUM_DECIDE]:
                u = stream_uniform(base, S_OUTCOME)
                if u < sc[C_SETTLE_SHARE]:
                    status[i] = SETTLED
                    events[E_SETTLED, here] += 1.0
                elif u < sc[C_SETTLE_SHARE] + sc[C_CONTINUE_SHARE]:
                    status[i] = AT_PLACE
                    flags[i] |= F_PERMIT
                    mode[i] = VEHICLE
                    days_here[i] = 0
                else:
                    status[i] = RETURNED
                    events[E_RETURNED, here] += 1.0
        elif st == AT_PLACE:
            # act: give up, take a permit, apply for asylum, hire a smuggler, or set out
            while True:  # one pass; `break` ends the agent's action for today
                if place[P_IS_DEST, here] > 0.0:
                    break
                if (place[P_TURNBACK, here] > 0.0
                        and stream_uniform(base, S_TURNBACK) < place[P_TURNBACK, here]):
                    status[i] = RETURNED  # turned back at the border: sent home
                    location[i] = home[i]
                    events[E_TURNED_BACK, here] += 1.0
                    break
                if flags[i] & F_NEW:  # people entering at a controlled crossing face it too
                    flags[i] &= np.uint8(255 - F_NEW)
                    if place[P_STOP, here] > 0.0 and spec:
                        if would_stop(i, here, mode, flags, place, sc, base, S_STOP, 1.0):
                            defer = True
                            break
                    elif place[P_STOP, here] > 0.0 and try_stop(
                            i, here, mode, flags, location, status, place, detention_of, sc,
                            base, S_STOP, 1.0, events):
                        break
                wait = min(float(days_here[i]), 365.0)
                p_return = sc[C_RETURN_BASE] + sc[C_RETURN_PER_DAY] * wait
                if stream_uniform(base, S_RETURN) < p_return:
                    status[i] = RETURNED
                    events[E_RETURNED, here] += 1.0
                    break
                permit = flags[i] & F_PERMIT
                if spec and not permit and (place[P_PERMIT_CAP, here] >= 1.0 or (
                        place[P_ASYLUM_CAP, here] >= 1.0
                        and stream_uniform(base, S_ASYLUM) < sc[C_ASYLUM_APPLY])):
                    defer = True  # a permit or an asylum place, counted for everyone
                    break
                if not permit and place[P_PERMIT_CAP, here] >= 1.0:
                    place[P_PERMIT_CAP, here] -= 1.0
                    events[E_PERMITS, here] += 1.0
                    flags[i] |= F_PERMIT
                    mode[i] = VEHICLE
                    permit = 1
                if (not permit and place[P_ASYLUM_CAP, here] >= 1.0
                        and stream_uniform(base, S_ASYLUM) < sc[C_ASYLUM_APPLY]):
                    place[P_ASYLUM_CAP, here] -= 1.0
                    events[E_ASYLUM, here] += 1.0
                    status[i] = ASYLUM_WAITING
                    break
                price = place[P_PRICE, here]
                if (price > 0.0 and not permit and mode[i] != SMUGGLED and flags[i] & F_CAN_PAY):
                    p_hire = (sc[C_HIRE_MAX] * place[P_RISK, here]
                              * np.exp(-price / sc[C_WILLING_USD]))
                    if stream_uniform(base, S_SMUGGLE) < p_hire and spec:
                        defer = True  # revenue is a sum of prices: kept in agent order
                        break
                    if stream_uniform(base, S_SMUGGLE) < p_hire:
                        mode[i] = SMUGGLED
                        events[E_SMUGGLED, here] += 1.0
                        events[E_REVENUE, here] += price * sc[C_PEOPLE_PER_AGENT]
                pm = 1.0 if place[P_FULL, here] > 0.0 or mode[i] == SMUGGLED else sc[C_MOVE]
                u = stream_uniform(base, S_MOVE)
                if u >= pm:
                    if days_here[i] < 32767:
                        days_here[i] += 1
                    break
                e = choose_edge(indptr, routes[aim[i]], here, u / pm)
                if e < 0 and aim[i] != 0:  # no way to its own aim (closed): the nearest open
                    e = choose_edge(indptr, routes[0], here, u / pm)
                if e < 0:
                    if days_here[i] < 32767:
                        days_here[i] += 1
                    break
                nxt = target[e]
                if place[P_IS_PORT, here] > 0.0 and place[P_IS_DEST, nxt] > 0.0:
                    if spec and place[P_PORT_CAP, here] >= 1.0:
                        defer = True  # the port's appointments are shared
                        break
                    if place[P_PORT_CAP, here] >= 1.0:  # an appointment: a regular entry
                        place[P_PORT_CAP, here] -= 1.0
                        events[E_ENTRIES, here] += 1.0
                    elif stream_uniform(base, S_IRREGULAR) < sc[C_IRREGULAR]:  # between ports
                        if stream_uniform(base, S_ENCOUNTER) < sc[C_ENCOUNTER]:
                            events[E_ENCOUNTERS, here] += 1.0
                            if stream_uniform(base, S_OUTCOME) >= sc[C_US_RELEASE]:
                                days_here[i] = 0  # returned to the Mexican side: waits again
                                break
                    else:
                        if days_here[i] < 32767:
                            days_here[i] += 1  # waits in the border city
                        break
                next_place[i] = nxt
                km_left[i] = distance_km[e]
                status[i] = IN_TRANSIT
                if spec:
                    pend[n_pend] = e
                    n_pend += 1
                else:
                    flows[e] += 1
                days_here[i] = 0
                break
        if status[i] == IN_TRANSIT and not defer:
            # travel: advance along the leg; face checkpoints on arrival; vehicles go on
            budget = sc[C_WALK] if mode[i] == FOOT else sc[C_VEHICLE]
            hops = 0
            while True:
                if km_left[i] > budget:
                    km_left[i] -= budget
                    break
                budget -= km_left[i]
                km_left[i] = 0.0
                here = next_place[i]
                location[i] = here
                next_place[i] = -1
                hops += 1
                if place[P_IS_DEST, here] > 0.0:
                    status[i] = ARRIVED
                    break
                status[i] = AT_PLACE
                if place[P_STOP, here] > 0.0 and spec:
                    if would_stop(i, here, mode, flags, place, sc, base, S_STOP_HOP + hops,
                                  1.0):
                        defer = True
                        break
                elif place[P_STOP, here] > 0.0 and try_stop(
                        i, here, mode, flags, location, status, place, detention_of, sc,
                        base, S_STOP_HOP + hops, 1.0, events):
                    break
                if (mode[i] == FOOT or hops >= sc[C_MAX_HOPS] or budget <= 0.0
                        or place[P_IS_PORT, here] > 0.0):
                    break
                u = stream_uniform(base, S_HOP + hops)
                e = choose_edge(indptr, routes[aim[i]], here, u)
                if e < 0 and aim[i] != 0:
                    e = choose_edge(indptr, routes[0], here, u)
                if e < 0:
                    break
                next_place[i] = target[e]
                km_left[i] = distance_km[e]
                status[i] = IN_TRANSIT
                if spec and n_pend == PENDING_EDGES:
                    defer = True  # more hops than the buffer holds: run it in agent order
                    break
                if spec:
                    pend[n_pend] = e
                    n_pend += 1
                else:
                    flows[e] += 1
        if defer:
            location[i], next_place[i], km_left[i], status[i] = here0, s_next, s_km, st
            mode[i], days_here[i], flags[i] = s_mode, s_days, s_flags
            deferred[i] = 1
            continue
        for k in range(n_pend):
            flows[pend[k]] += 1
        counts[location[i], status[i]] += 1
        if g <= -2:  # a former caravan member: why they are no longer in it
            c = -2 - g
            st = status[i]
            if flags[i] & F_TRANSFERRED:
                member_states[c, M_TRANSFERRED] += 1
            elif DETAINED <= st <= DEPORTED:  # detained, or deported after it
                member_states[c, M_DETAINED] += 1
            elif st == RETURNED:
                member_states[c, M_RETURNED] += 1
            elif st == ARRIVED:
                member_states[c, M_ARRIVED] += 1
            else:
                member_states[c, M_DISPERSED] += 1
                if st == AT_PLACE:
                    dispersed_at[c, location[i]] += 1
