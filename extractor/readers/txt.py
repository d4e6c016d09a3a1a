"""Plain-text reader: detects the encoding (UTF-8, UTF-16, UTF-32, GB18030, Big5) and yields one block per line."""

from __future__ import annotations

import re

from extractor.document import Block, Document
from extractor.errors import UndecodableText
from extractor.limits import ResourceBudget, current

# Candidates for charset-normalizer once UTF-8 and UTF-16 are ruled out: the Chinese legacy
# encodings, plus cp1252 so that a stray Western file is not forced into a Chinese codec.
LEGACY_CODECS = ["gb18030", "big5", "cp1252"]
# gb2312 and gbk are subsets of gb18030: decoding with the superset never loses a character.
CODEC_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "cp950": "big5"}
# A file that is valid in one codec except for a few bytes (a cut-off last character, a stray
# byte) is still read, with U+FFFD for each bad sequence and a warning; more than this is not.
MAX_REPLACED_PER_MB = 10
MIN_REPLACED = 4  # one broken multi-byte character can take up to 4 replacement characters
# Bytes that decode as GB18030 but are not Chinese (Shift-JIS, EUC-KR, EBCDIC...) come out as
# rare characters: in real Chinese text nearly every ideograph is one of GB2312's 3,755 common
# ones (level 1). Below this share, with at least MIN_IDEOGRAPHS to judge by, it is not Chinese.
MIN_COMMON_SHARE = 0.5
MIN_IDEOGRAPHS = 20
MOJIBAKE_SAMPLE = 20_000

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
    """ "utf-16-le" / "utf-16-be" for BOM-less UTF-16 text, else None.

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


def detect_utf32(data: bytes) -> str | None:
    """ "utf-32-le" / "utf-32-be" for BOM-less UTF-32 text (every fourth byte of a pair of NULs), else None."""
    sample = data[:4096]
    sample = sample[: len(sample) // 4 * 4]
    if len(sample) < 8:
        return None
    for codec, zero_at in (("utf-32-le", (2, 3)), ("utf-32-be", (0, 1))):
        if all(sample[i::4].count(0) == len(sample) // 4 for i in zero_at):
            try:
                sample.decode(codec)
            except UnicodeDecodeError:
                continue
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
    if 0 < replaced <= max(MIN_REPLACED, len(data) * MAX_REPLACED_PER_MB // 1_000_000):
        warnings.append(f"{replaced} byte sequence(s) not valid {codec}: shown as U+FFFD")
        return text
    return None


def _looks_chinese(text: str) -> bool:
    """False when the ideographs of ``text`` are mostly rare ones: another encoding read as GB18030."""
    common = total = 0
    for ch in text[:MOJIBAKE_SAMPLE]:
        if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
            total += 1
            try:
                common += 0xB0 <= ch.encode("gb2312")[0] <= 0xD7
            except UnicodeEncodeError:
                pass
    return total < MIN_IDEOGRAPHS or common >= MIN_COMMON_SHARE * total


def decode_text(data: bytes) -> tuple[str, str, list[str]]:
    """Return (text, codec, warnings). Raises UndecodableText (without a path) when nothing fits."""
    warnings: list[str] = []
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        candidates = ["utf-32"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        wide = detect_utf32(data) or detect_utf16(data)
        candidates = [wide] if wide else []
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
    mojibake = False
    for codec in guesses:
        text = _decode_with(data, codec, warnings)
        if text is not None:
            if codec == "gb18030" and not _looks_chinese(text):
                mojibake = True  # another encoding (or UTF-8 with broken bytes) read as GB18030
                continue
            return text, codec, warnings
    if mojibake:
        raise UndecodableText(
            None,
            "cannot decode text: read as GB18030 it is mostly rare characters "
            "(another encoding, e.g. Japanese or Korean: save it as UTF-8)",
        )
    raise UndecodableText(None, "cannot decode text: not UTF-8, UTF-16, UTF-32, GB18030 or Big5")


def normalize_text(text: str) -> str:
    """The text that spans index: \\r\\n and \\r become \\n, NUL becomes a space (same length)."""
    if "\r" in text:
        text = _NEWLINES.sub("\n", text)
    if "\x00" in text:
        text = text.replace("\x00", " ")
    return text


def read_txt(data: bytes, name: str = "", *, budget: ResourceBudget | None = None) -> Document:
    budget = budget or current().budget(name)
    # No codec takes more than 4 bytes a character: past this the text is certainly too long.
    budget.check_size("max_chars", len(data) // 4, "text is at least {} characters")
    try:
        raw, codec, warnings = decode_text(data)
    except UndecodableText as err:
        raise UndecodableText(name or None, err.reason) from None
    budget.check_size("max_chars", len(raw), "text is {} characters")
    text = normalize_text(raw)
    blocks = [Block("line", m.start(), m.end()) for m in _LINE.finditer(text) if not m.group().isspace()]
    return Document(text=text, format="txt", blocks=blocks, encoding=codec, warnings=warnings)
