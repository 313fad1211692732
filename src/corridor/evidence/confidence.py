"""The confidence of an extracted row: a logistic model of "a hand annotator wrote this fact".

The rules give every row a rule score (extract.py: place, date, vagueness …), which on real news
did not separate good rows from bad (precision 0.43 at a rule score ≥ 0.8). The model below
re-weighs that score with how the row was read — where its place came from, how precise the
place is, where its date came from, its kind, whether it has a number, whether it is a
headline, how crowded its sentence is — and gives the probability that the row matches a gold
row. Its coefficients were fitted on the DEV split of the news corpus only
(tests/data/evidence/news; ``benchmarks/fit_evidence_confidence.py``), and the default threshold
was chosen on cross-validated DEV predictions (folds by event). See docs/evidence.md.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from corridor.evidence.extract import Observation

PRESENCE = {"position", "arrived", "halted", "caravan_size"}
ENDED = {"dispersed", "transported"}
ENFORCEMENT = {"detained", "deported", "returned", "apprehended", "permits_issued",
               "asylum_applications", "troops_deployed", "crossing_closed", "deaths"}
CARRIED = {"caravan's last place", "same caravan", "reporting institution's country",
           "northernmost origin of a caravan heading north"}

FEATURES = (
    "rule", "number", "vague", "country", "admin1", "region", "dateline", "carried",
    "no_place", "date_publication", "date_previous", "no_date", "presence", "departed",
    "ended", "enforcement", "headline", "crowded", "long_quote", "no_subject", "es",
)

# Fitted on DEV only (see the module doc); None until fitted: the rule score is then used as is.
COEFFICIENTS: dict[str, float] | None = None
INTERCEPT = 0.0
PROVENANCE = ""


def features(o: Observation, crowd: int) -> list[float]:
    """The model's inputs for one row (``crowd``: rows read from the same sentence)."""
    pid = o.place_id
    vague = o.low is not None and o.high is not None and o.low > 0 and o.high / o.low >= 1.5
    return [
        o.rule_confidence,
        float(o.low is not None),
        float(vague),
        float(pid.startswith("country:")),
        float(pid.startswith("admin1:")),
        float(pid.startswith("region:") and pid != "region:suchiate"),
        float(o.place_how == "dateline"),
        float(o.place_how in CARRIED),
        float(not pid),
        float(o.date_how == "publication date"),
        float(o.date_how == "previous sentence"),
        float(not o.date),
        float(o.kind in PRESENCE),
        float(o.kind == "departed"),
        float(o.kind in ENDED),
        float(o.kind in ENFORCEMENT),
        float(o.quote_start < 200),
        float(crowd >= 3),
        float(len(o.quote) > 300),
        float(not o.subject),
        float(o.language == "es"),
    ]


def crowding(obs: list[Observation]) -> list[int]:
    """How many rows each row's sentence gave."""
    per = Counter(o.quote_start for o in obs)
    return [per[o.quote_start] for o in obs]


def probability(x: list[float], coef: dict[str, float], intercept: float) -> float:
    z = intercept + sum(coef.get(n, 0.0) * v for n, v in zip(FEATURES, x, strict=True))
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def rescore(obs: list[Observation]) -> None:
    """Replace each row's rule score by the model's probability (when the model is fitted)."""
    for o in obs:
        o.rule_confidence = o.confidence
    if COEFFICIENTS is None:
        return
    for o, crowd in zip(obs, crowding(obs), strict=True):
        o.confidence = round(probability(features(o, crowd), COEFFICIENTS, INTERCEPT), 2)
