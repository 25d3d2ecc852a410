"""Near-duplicate measure and the batch diversity report.

Measure: cosine similarity of term-frequency vectors of word 3-shingles of the instructions (lower-cased words;
`{{test_profile.x}}` references kept as single tokens). Two scenarios are near duplicates when the similarity is
≥ NEAR_DUPLICATE_THRESHOLD (0.85). Applied within a batch and against the agent's existing scenarios.
"""

from __future__ import annotations

import math
from functools import lru_cache
import re
from collections import Counter
from typing import Iterable

from .types import ExistingScenario, GeneratedScenario

MEASURE = "cosine similarity of word 3-shingle term-frequency vectors of instructions"
NEAR_DUPLICATE_THRESHOLD = 0.85
SHINGLE_SIZE = 3
_TOKEN = re.compile(r"\{\{[^}]+\}\}|[a-z0-9]+(?:'[a-z]+)?")


class ShingleVector(Counter):
    """A shingle term-frequency vector that carries its Euclidean norm (computed once, not per comparison)."""

    norm: float = 0.0


@lru_cache(maxsize=8192)
def shingles(text: str, size: int = SHINGLE_SIZE) -> ShingleVector:
    """Term-frequency vector of word n-grams (cached; callers must not mutate the result)."""
    tokens = _TOKEN.findall(text.lower())
    if len(tokens) < size:
        vector = ShingleVector([" ".join(tokens)]) if tokens else ShingleVector()
    else:
        vector = ShingleVector(" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1))
    vector.norm = _norm(vector)
    return vector


def _norm(vector: Counter) -> float:
    return math.sqrt(sum(c * c for c in vector.values()))


def cosine(a: Counter, b: Counter) -> float:
    """Cosine similarity of two sparse vectors (0 when either is empty)."""
    if not a or not b:
        return 0.0
    small, large = (a, b) if len(a) < len(b) else (b, a)
    dot = sum(count * large[key] for key, count in small.items() if key in large)
    if not dot:
        return 0.0
    norm = (getattr(a, "norm", 0.0) or _norm(a)) * (getattr(b, "norm", 0.0) or _norm(b))
    return dot / norm if norm else 0.0


def similarity(text_a: str, text_b: str) -> float:
    """The near-duplicate measure between two instruction texts."""
    return cosine(shingles(text_a), shingles(text_b))


def most_similar(text: str, others: Iterable[tuple[str, str]]) -> tuple[float, str | None]:
    """(highest similarity, name of that other) of `text` against (name, instructions) pairs."""
    vector = shingles(text)
    best, best_name = 0.0, None
    for name, other in others:
        score = cosine(vector, shingles(other))
        if score > best:
            best, best_name = score, name
    return best, best_name


def is_near_duplicate(score: float) -> bool:
    """Whether a similarity crosses the threshold."""
    return score >= NEAR_DUPLICATE_THRESHOLD


def diversity_report(scenarios: list[GeneratedScenario], existing: list[ExistingScenario]) -> dict:
    """Pairwise similarity statistics of a batch and near-duplicate counts (within it and against existing)."""
    vectors = [shingles(s.instructions) for s in scenarios]
    pair_scores: list[float] = []
    near = 0
    for i in range(len(vectors)):
        for j in range(i + 1, len(vectors)):
            score = cosine(vectors[i], vectors[j])
            pair_scores.append(score)
            near += is_near_duplicate(score)
    existing_vectors = [shingles(e.instructions) for e in existing if e.instructions]
    existing_scores = [cosine(v, e) for v in vectors for e in existing_vectors]
    near_existing = sum(1 for score in existing_scores if is_near_duplicate(score))
    return {
        "measure": MEASURE,
        "threshold": NEAR_DUPLICATE_THRESHOLD,
        "max_pairwise_similarity": round(max(pair_scores), 4) if pair_scores else 0.0,
        "mean_pairwise_similarity": round(sum(pair_scores) / len(pair_scores), 4) if pair_scores else 0.0,
        "max_similarity_to_existing": round(max(existing_scores), 4) if existing_scores else 0.0,
        "near_duplicates": near,
        "near_duplicates_of_existing": near_existing,
        "pairs_compared": len(pair_scores),
    }
