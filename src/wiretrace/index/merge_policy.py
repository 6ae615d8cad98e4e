"""Which index segments to merge: size-tiered, so any posting is rewritten O(log n) times.

A segment's tier is floor(log_F(postings)). Whenever a tier holds F segments, they are merged;
F segments of tier t hold at least F^(t+1) postings, so the result lands in a higher tier. A
posting therefore moves up at most once per tier: with P postings in all, it is rewritten at
most log_F(P) times, and at most (F - 1) segments sit in each tier (so lookups stay cheap).

The policy this replaces (more than 8 segments: merge the 4 smallest) merged each new small
segment with large ones once the old segments were of equal size: bytes rewritten grew with
the square of the number of batches (`benchmarks/merge_simulation.py` compares the two).
"""

from __future__ import annotations

from collections.abc import Sequence

FAN_IN = 4


def tier(postings: int, fan_in: int = FAN_IN) -> int:
    """floor(log_F(postings)), in integers (a float log rounds 64 down to 2.999 in base 4)."""
    level, bound = 0, fan_in
    while postings >= bound:
        level, bound = level + 1, bound * fan_in
    return level


def next_merge(sizes: Sequence[int], fan_in: int = FAN_IN) -> list[int] | None:
    """Positions (in `sizes`, oldest first) of the segments to merge next, or None.

    The lowest full tier goes first; within a tier the oldest `fan_in` segments."""
    tiers: dict[int, list[int]] = {}
    for position, size in enumerate(sizes):
        tiers.setdefault(tier(size, fan_in), []).append(position)
    for level in sorted(tiers):
        if len(tiers[level]) >= fan_in:
            return tiers[level][:fan_in]
    return None
