"""Interval arithmetic on Decimal: a figure as the range of true values its rounding allows.

A figure written with d decimals stands for ±½·10^-d of its unit (``145.16万元`` is
1451600 ± 50 yuan). Parts agree with a total when the interval of their sum meets the
interval of the total (the idea of XBRL Calculations 1.1). Bounds are rounded outwards, so
the arithmetic never makes an interval narrower than the truth: no float, no epsilon.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Context, Decimal

from ..model import Count, Grounded, Money, Number
from ..numbers import UNIT_FACTORS, half_unit

# Enough digits that outward rounding of a quotient moves a bound far below any rounding a
# report can write (a share is written to at most a few decimals).
PRECISION = 34
INFINITY = Decimal("Infinity")
HUNDRED = Decimal(100)


# Two fixed contexts whose methods (add, multiply, divide) round every result outwards; one
# object each, not a localcontext per operation.
_DOWN = Context(prec=PRECISION, rounding=ROUND_FLOOR)
_UP = Context(prec=PRECISION, rounding=ROUND_CEILING)


@dataclass(frozen=True, slots=True)
class Interval:
    """The closed interval ``[lo, hi]``; ``hi`` may be ``Decimal('Infinity')``."""

    lo: Decimal
    hi: Decimal

    def __post_init__(self):
        if self.lo > self.hi:
            raise ValueError(f"empty interval [{self.lo}, {self.hi}]")

    @classmethod
    def exact(cls, value: Decimal | int) -> Interval:
        v = Decimal(value)
        return cls(v, v)

    @classmethod
    def around(cls, value: Decimal, half: Decimal) -> Interval:
        return cls(_DOWN.subtract(value, half), _UP.add(value, half))

    @classmethod
    def total(cls, parts: Iterable[Interval]) -> Interval:
        acc = cls.exact(0)
        for p in parts:
            acc = acc + p
        return acc

    def __add__(self, other: Interval) -> Interval:
        return Interval(_DOWN.add(self.lo, other.lo), _UP.add(self.hi, other.hi))

    def __neg__(self) -> Interval:
        return Interval(-self.hi, -self.lo)

    def __sub__(self, other: Interval) -> Interval:
        return self + (-other)

    def scale(self, k: Decimal) -> Interval:
        """Multiply by a non-negative exact constant (e.g. 100 to turn a ratio into percent)."""
        if k < 0:
            raise ValueError("scale by a negative constant")
        return Interval(_DOWN.multiply(self.lo, k), _UP.multiply(self.hi, k))

    def __truediv__(self, other: Interval) -> Interval | None:
        """The quotient, or None when the divisor's interval holds zero (no bound exists)."""
        if other.lo <= 0 <= other.hi:
            return None
        if self.lo >= 0 and other.lo > 0 and not (self.hi.is_infinite() and other.hi.is_infinite()):
            # the usual case, a part of a positive total: the corners are known
            return Interval(_DOWN.divide(self.lo, other.hi), _UP.divide(self.hi, other.lo))
        pairs = [(a, b) for a in (self.lo, self.hi) for b in (other.lo, other.hi)]
        # inf / inf has no value; with a finite divisor range the other corners decide.
        pairs = [(a, b) for a, b in pairs if not (a.is_infinite() and b.is_infinite())]
        lo = min(_DOWN.divide(a, b) for a, b in pairs)
        hi = max(_UP.divide(a, b) for a, b in pairs)
        return Interval(lo, hi)

    def meets(self, other: Interval) -> bool:
        return self.lo <= other.hi and other.lo <= self.hi

    def contains(self, value: Decimal) -> bool:
        return self.lo <= value <= self.hi

    def __str__(self) -> str:
        return f"[{self.lo}, {self.hi}]"


def of_figure(g: Grounded) -> Interval:
    """The interval a grounded figure stands for, by its kind.

    Money: ± half a unit of its last written place, in the unit it was written in (an
    approximate amount such as ``200余万元`` only says "some amount": ``[0, ∞)``).
    Number (percent, rate): ± half a unit of its last written place. Count: exact.
    """
    if isinstance(g, Money):
        if g.approx:
            return Interval(Decimal(0), INFINITY)
        return Interval.around(g.value, half_unit(g.decimals, UNIT_FACTORS.get(g.unit, Decimal(1))))
    if isinstance(g, Number):
        return Interval.around(g.value, half_unit(g.decimals))
    if isinstance(g, Count):
        return Interval.exact(g.value)
    return Interval.exact(Decimal(str(g.value)))


def of_points(n: Number, *, rounded: bool = False) -> Interval:
    """The interval of a score or a maximum on a scoring sheet.

    Points are awarded, not measured: a whole number of points is exact (reading ``40分`` as
    40 ± 0.5 would let a score sheet be a point or two off without notice). A figure with
    decimals may be the rounded result of a formula (执行率 × 分值), so it stands for its
    rounding; so does a whole-number total whose parts were written more finely
    (``rounded=True``: 8.33 + 8.33 + 8.33 written as 25).
    """
    if n.decimals == 0 and not rounded:
        return Interval.exact(n.value)
    return Interval.around(n.value, half_unit(n.decimals))


def share_of(part: Interval, whole: Interval) -> Interval | None:
    """``part / whole`` in percent, or None when the whole may be zero."""
    ratio = part / whole
    return None if ratio is None else ratio.scale(HUNDRED)
