"""Numbers as written in reports: Arabic and Chinese numerals, money units, approximations.

Everything is ``Decimal``; ``decimals`` keeps the places as written so the verifier knows the
rounding a figure stands for (``145.16`` is 145.16 ± 0.005 of its unit).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import regex

from .patterns import compile_regex

UNIT_FACTORS: dict[str, Decimal] = {
    "元": Decimal(1),
    "千元": Decimal(1000),
    "万元": Decimal(10000),
    "万": Decimal(10000),
    "亿元": Decimal(100000000),
    "亿": Decimal(100000000),
}
APPROX_MARKERS = ("余", "约", "多", "近", "左右", "大约", "超过")

CN_NUMERAL = r"[零〇○一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟]+"
# A run of digits longer than these is not a number: 10^1000 times a unit of 10^8 stays far inside
# Decimal's exponent range (a million digits times 万 overflowed it, issue 17). Far shorter runs
# are no figure either, but callers take any run their pattern matched for a number.
MAX_INTEGER_DIGITS, MAX_FRACTION_DIGITS = 1000, 1000
_ARABIC = compile_regex(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    value: Decimal
    decimals: int


def parse_arabic(text: str) -> ParsedNumber | None:
    """``"1,451,600.5"`` -> ParsedNumber(1451600.5, 1). None when ``text`` is not a plain number."""
    t = text.strip().replace(" ", "")
    if len(t) > 2 * (MAX_INTEGER_DIGITS + MAX_FRACTION_DIGITS):  # before any scan of a hostile run (with commas)
        return None
    if t.isascii() and t.isdigit():  # the common case, a whole number: no pattern needed
        return ParsedNumber(Decimal(t), 0) if len(t) <= MAX_INTEGER_DIGITS else None
    if not _ARABIC.fullmatch(t):
        return None
    plain = t.replace(",", "")
    whole, _, fraction = plain.lstrip("-").partition(".")
    if len(whole) > MAX_INTEGER_DIGITS or len(fraction) > MAX_FRACTION_DIGITS:
        return None
    try:
        value = Decimal(plain)
    except InvalidOperation:
        return None
    decimals = len(plain.split(".", 1)[1]) if "." in plain else 0
    return ParsedNumber(value, decimals)


def parse_chinese(text: str) -> int | None:
    """``"十一"`` -> 11, ``"两"`` -> 2, ``"一百零五"`` -> 105, ``"二〇二三"`` -> 2023 (via cn2an)."""
    if not text or not regex.fullmatch(CN_NUMERAL, text):
        return None
    import cn2an  # imported on first use: ~80 ms that reports without Chinese numerals never pay

    try:
        value = cn2an.cn2an(text, "smart")
    except (ValueError, KeyError):
        return None
    return int(value) if value == int(value) else None


def parse_number(text: str) -> ParsedNumber | None:
    """Arabic or Chinese numerals."""
    n = parse_arabic(text)
    if n is not None:
        return n
    c = parse_chinese(text.strip())
    return ParsedNumber(Decimal(c), 0) if c is not None else None


_CN_DIGITS = str.maketrans("\u3007\u25cb\u96f6\u4e00\u4e8c\u4e09\u56db\u4e94\u516d\u4e03\u516b\u4e5d", "000123456789")


def year_of(text: str) -> int:
    """A year written in digits or digit by digit in Chinese numerals ("2023", "二〇二三") as an int."""
    return int(text.translate(_CN_DIGITS))


def to_yuan(amount: Decimal, unit: str) -> Decimal:
    return amount * UNIT_FACTORS[unit]


def format_decimal(d: Decimal) -> str:
    """Plain decimal string without exponent or trailing zeros: 1451600, 91.21, 0."""
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def half_unit(decimals: int, factor: Decimal = Decimal(1)) -> Decimal:
    """The rounding a figure written with ``decimals`` places stands for, in the value's unit."""
    return Decimal(5).scaleb(-(decimals + 1)) * factor
