"""Plain-text reader: detects the encoding (UTF-8, UTF-16, GB18030, Big5) and yields one block per line."""

from __future__ import annotations

import re

from extractor.document import Block, Document
from extractor.errors import ReadError

# Candidates for charset-normalizer once UTF-8 and UTF-16 are ruled out: the Chinese legacy
# encodings, plus cp1252 so that a stray Western file is not forced into a Chinese codec.
LEGACY_CODECS = ["gb18030", "big5", "cp1252"]
# gb2312 and gbk are subsets of gb18030: decoding with the superset never loses a character.
CODEC_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "cp950": "big5"}
# A file that is valid in one codec except for a few bytes (a cut-off last character, a stray
# byte) is still read, with U+FFFD for each bad sequence and a warning; more than this is not.
MAX_REPLACED_PER_MB = 10

_LINE = re.compile(r"[^\n]+")
_NEWLINES = re.compile(r"\r\n?")


def _plausible_utf16_unit(ch: str) -> bool:
    o = ord(ch)
    return (
        0x20 <= o < 0x7F
        or ch in "\t\n\r"
        or 0x4E00 <= o <= 0x9FFF  # CJK unified ideographs
        or 0x3000 <= o <= 0x303F  # CJK punctuation
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x2000 <= o <= 0x206F  # general punctuation
        or 0x3400 <= o <= 0x4DBF  # CJK extension A
    )


def detect_utf16(data: bytes) -> str | None:
    """"utf-16-le" / "utf-16-be" for BOM-less UTF-16 text, else None.

    ASCII pairs also decode to CJK-looking units, so the test needs NUL bytes on one side
    (the digits, newlines and punctuation every report has) and none on the other.
    """
    sample = data[:4096]
    sample = sample[: len(sample) // 2 * 2]
    if len(sample) < 4:
        return None
    nul_even, nul_odd = sample[0::2].count(0), sample[1::2].count(0)
    for codec, nuls, other in (("utf-16-le", nul_odd, nul_even), ("utf-16-be", nul_even, nul_odd)):
        if nuls == 0 or other > nuls // 8:
            continue
        text = sample.decode(codec, errors="replace")
        if sum(map(_plausible_utf16_unit, text)) >= 0.9 * len(text):
            return codec
    return None


def _decode_with(data: bytes, codec: str, warnings: list[str]) -> str | None:
    """Decode strictly, or leniently when only a handful of bytes are bad; None if not this codec."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        pass
    text = data.decode(codec, errors="replace")
    replaced = text.count("\ufffd")
    if 0 < replaced <= max(1, len(data) * MAX_REPLACED_PER_MB // 1_000_000):
        warnings.append(f"{replaced} byte sequence(s) not valid {codec}: shown as U+FFFD")
        return text
    return None


def decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """Return (text, codec, warnings). Raises ReadError (without a path) when nothing fits."""
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        candidates = ["utf-32"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        utf16 = detect_utf16(data)
        candidates = [utf16] if utf16 else []
    for codec in candidates:
        text = _decode_with(data, codec, warnings)
        if text is not None:
            return text, codec, warnings
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # imported only when the bytes are not UTF-8

    best = from_bytes(data, cp_isolation=LEGACY_CODECS).best()
    guesses = []
    if best is not None and best.encoding:
        guesses.append(CODEC_ALIASES.get(best.encoding, best.encoding))
    # Chinese reports first: a text that charset-normalizer could not place may still be GB18030
    # or UTF-8 with a few broken bytes.
    guesses += [c for c in ("gb18030", "utf-8", "big5") if c not in guesses]
    for codec in guesses:
        text = _decode_with(data, codec, warnings)
        if text is not None:
            return text, codec, warnings
    raise ReadError(None, "cannot decode text: not UTF-8, UTF-16, GB18030 or Big5")


def normalize_text(text: str) -> str:
    """The text that spans index: \\r\\n and \\r become \\n, NUL becomes a space (same length)."""
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    if "\x00" in text:
        text = text.replace("\x00", " ")
    return text


def read_txt(data: bytes, name: str = "") -> Document:
    try:
        raw, codec, warnings = decode_text(data)
    except ReadError as err:
        raise ReadError(name or None, err.reason) from None
    text = normalize_text(raw)
    blocks = [Block("line", m.start(), m.end()) for m in _LINE.finditer(text) if not m.group().isspace()]
    return Document(text=text, format="txt", blocks=blocks, encoding=codec, warnings=warnings)
