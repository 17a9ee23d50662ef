"""Small seeded sampling helpers (stdlib `random` only, so results never depend on numpy)."""

import math
import random


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: fine for the small means used here."""
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def pick_weighted(rng: random.Random, values, weights):
    return rng.choices(values, weights=weights, k=1)[0]


def expo_hours(rng: random.Random, mean_hours: float, floor_minutes: float = 5) -> int:
    """Exponential wait in whole seconds, never shorter than floor_minutes."""
    return int(max(floor_minutes * 60, rng.expovariate(1.0 / (mean_hours * 3600))))
