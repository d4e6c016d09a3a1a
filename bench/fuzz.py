"""Mutation fuzzing of the whole extract path: only a record or a ReadError is acceptable.

    .venv/bin/python bench/fuzz.py [--inputs 10000] [--seed 1] [--workers N] [--timeout 20]
                                   [--save DIR] [--json] [--only INDEX]

Each input is one of the samples (samples/*.txt, .docx, .pdf, .html, .xlsx, .xls, .ofd, and a
small cut of the scan sample .png, read by OCR) changed by one to three mutations: bit flips,
bytes set to edge values, truncation, deleted, duplicated, repeated or inserted chunks, splices
with another sample; for a .docx, .xlsx or .ofd also zip-member edits (a member's bytes mutated
and re-zipped; XML tags dropped or duplicated, nesting, entities and DOCTYPEs
injected, attribute numbers made huge; members dropped, renamed or duplicated; the sizes, CRC,
method and flags in the zip headers changed); for a .pdf also number tokens (lengths, counts,
offsets) and keywords (obj, stream, xref, /Root ...) changed; for text and web pages also other
encodings, NULs, BOMs and tag soup. Input ``i`` is generated from ``seed`` and ``i`` alone, so
``--only i`` replays it.

Every input is written to a file and run through ``extractor.extract(path)`` in a worker
process (extractor.pool: each worker killed and replaced after ``--timeout`` seconds, its
memory capped). A crash is any other exception, or a worker that dies; a hang is a worker
that does not answer in time. Crashes and hangs are saved to ``--save`` with what happened.
The exit code is 1 if there was any.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import struct
import sys
import tempfile
import time
import warnings
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SAMPLES = ROOT / "samples"
SAMPLE_SUFFIXES = (".txt", ".docx", ".pdf", ".html", ".xlsx", ".xls", ".ofd", ".png")
# A scan seed is cut down to this many pixels wide and high (a line or two of text): OCR of a
# whole page takes seconds, and every mutated image that still decodes is recognised.
SCAN_SEED_SIZE = (640, 110)
# The XML part of a zip package that the structure-aware edits aim at (a Word body, an Excel
# sheet, an OFD page).
MAIN_PART = re.compile(r"word/document\.xml|xl/worksheets/sheet\d+\.xml|doc_0/pages/page_\d+/content\.xml")
MAX_INPUT_BYTES = 4 * 1024 * 1024
EDGE_BYTES = b"\x00\xff\x7f\x80\x01\xfe\x0a\x0d\x25\x3c\x3e\x26\x22"
EDGE_NUMBERS = [
    b"0",
    b"-1",
    b"1",
    b"65535",
    b"2147483647",
    b"2147483648",
    b"4294967296",
    b"99999999999999",
    b"-2147483648",
    b"3.4e38",
    b"1e999",
    b"007",
    b"0.5",
]
INSERTS = [
    b"\x00" * 64,
    b"\xff" * 64,
    b"<!--",
    b"-->",
    b"%%EOF",
    b"PK\x03\x04",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"<?xml version='1.0'?>",
    b"&#x0;",
    b"&#xD800;",
    b"(cid:12)(cid:34)",
    b"\r",
    b"\r\n" * 32,
    b"<table><tr><td rowspan=65534 colspan=1000>x",
    b"<div>" * 200,
    b"</div>" * 200,
    b"]]>",
    "１２３．４５万元 收入总计 ".encode(),
    "收入总计145.16万元。".encode("gb18030"),
    b"\x1b$B",
    b"\\u0000",
    b"endstream endobj",
    b"<< /Type /Page >>",
    b"xref\n0 1\n",
    b"trailer << /Root 1 0 R >>",
]
PDF_KEYWORDS = [
    b"obj",
    b"endobj",
    b"stream",
    b"endstream",
    b"xref",
    b"trailer",
    b"startxref",
    b"/Root",
    b"/Pages",
    b"/Kids",
    b"/Count",
    b"/Length",
    b"/Filter",
    b"/FlateDecode",
    b"/Font",
    b"/Contents",
    b"/Type",
    b"/Page",
    b"/MediaBox",
    b"/ToUnicode",
    b"/Encoding",
    b"R",
    b"<<",
    b">>",
    b"[",
    b"]",
    b"/Encrypt",
]
XML_INJECT = [
    '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE d SYSTEM "http://127.0.0.1:9/x.dtd">',
    '<!DOCTYPE d [<!ENTITY % p SYSTEM "file:///etc/hostname"> %p;]>',
]
XML_SNIPPETS = [
    "&d;",
    "&x;",
    "&a;",
    "<w:tbl><w:tr><w:tc>" * 40,
    "</w:tc></w:tr></w:tbl>" * 40,
    '<w:gridSpan w:val="999999"/>',
    "<w:vMerge/>",
    "<w:hMerge/>",
    '<w:gridBefore w:val="998"/>',
    "<w:p><w:r><w:t>收入总计１４５．１６万元</w:t></w:r></w:p>",
    "<w:br/>" * 500,
    "<w:tab/>" * 500,
    '<w:pStyle w:val="Heading1"/>',
    '<w:outlineLvl w:val="0"/>',
    "<mc:AlternateContent>",
    "<w:sdt><w:sdtContent>",
    "</w:sdtContent></w:sdt>",
    "<![CDATA[x]]>",
    "<?pi x?>",
    "\x00",
    "&#1;",
]


# --- mutations --------------------------------------------------------------------------------


def _pos(rng: random.Random, data: bytes) -> int:
    return rng.randrange(len(data) + 1)


def flip_bits(data: bytes, rng: random.Random, _others) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 1, 2, 4, 8, 32))):
        if out:
            i = rng.randrange(len(out))
            out[i] ^= 1 << rng.randrange(8)
    return bytes(out)


def set_bytes(data: bytes, rng: random.Random, _others) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 2, 8, 64))):
        if out:
            out[rng.randrange(len(out))] = rng.choice(EDGE_BYTES) if rng.random() < 0.7 else rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random, _others) -> bytes:
    return data[: _pos(rng, data)] if rng.random() < 0.8 else data[_pos(rng, data) :]


def delete_chunk(data: bytes, rng: random.Random, _others) -> bytes:
    i = _pos(rng, data)
    return data[:i] + data[i + rng.choice((1, 4, 64, 1024, 16384)) :]


def duplicate_chunk(data: bytes, rng: random.Random, _others) -> bytes:
    i, n = _pos(rng, data), rng.choice((1, 16, 256, 4096))
    j = _pos(rng, data)
    return data[:j] + data[i : i + n] + data[j:]


def repeat_chunk(data: bytes, rng: random.Random, _others) -> bytes:
    """A chunk repeated into a long run: the inputs that quadratic code chokes on."""
    i, n = _pos(rng, data), rng.choice((1, 2, 8, 64))
    chunk = data[i : i + n] or b"x"
    times = rng.choice((100, 1000, 20000)) if n < 64 else rng.choice((10, 100, 2000))
    return data[:i] + chunk * times + data[i:]


def insert(data: bytes, rng: random.Random, _others) -> bytes:
    i = _pos(rng, data)
    piece = rng.choice(INSERTS) if rng.random() < 0.8 else rng.randbytes(rng.choice((1, 8, 512)))
    return data[:i] + piece + data[i:]


def splice(data: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    other = rng.choice(others)
    return data[: _pos(rng, data)] + other[rng.randrange(len(other) + 1) :]


GENERIC = (flip_bits, set_bytes, truncate, delete_chunk, duplicate_chunk, repeat_chunk, insert, splice)


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return [(info, z.read(info)) for info in z.infolist()]
    except Exception:  # noqa: BLE001 - an earlier mutation broke the zip: mutate bytes instead
        return None


def _zip(members: list[tuple[str, bytes]], rng: random.Random) -> bytes:
    buffer = io.BytesIO()
    method = zipfile.ZIP_STORED if rng.random() < 0.1 else zipfile.ZIP_DEFLATED
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are one of the mutations
        with zipfile.ZipFile(buffer, "w", method) as z:
            for name, body in members:
                z.writestr(name, body)
    return buffer.getvalue()


def _xml_edit(xml: bytes, rng: random.Random) -> bytes:
    text = xml.decode("utf-8", "replace")
    choice = rng.randrange(6)
    if choice == 0:  # drop a tag
        tags = list(re.finditer(r"</?w:[A-Za-z]+[^>]*>", text[:500_000]))
        if tags:
            m = rng.choice(tags)
            text = text[: m.start()] + text[m.end() :]
    elif choice == 1:  # duplicate an element region
        i, n = rng.randrange(len(text) + 1), rng.choice((50, 500, 5000))
        j = rng.randrange(len(text) + 1)
        text = text[:j] + text[i : i + n] + text[j:]
    elif choice == 2:  # a DOCTYPE after the declaration
        decl = text.find("?>")
        at = decl + 2 if decl >= 0 else 0
        text = text[:at] + rng.choice(XML_INJECT) + text[at:]
        if rng.random() < 0.7:
            k = text.find("<w:t>", at)
            if k >= 0:
                text = text[: k + 5] + rng.choice(("&d;", "&x;", "&a;")) + text[k + 5 :]
    elif choice == 3:  # a snippet somewhere inside the body
        start = max(0, text.find("<w:body>"))
        i = rng.randrange(start, len(text) + 1)
        text = text[:i] + rng.choice(XML_SNIPPETS) * rng.choice((1, 1, 10, 300)) + text[i:]
    elif choice == 4:  # a number in an attribute made extreme
        nums = list(re.finditer(r'w:val="(\d+)"', text[:500_000]))
        if nums:
            m = rng.choice(nums)
            text = text[: m.start(1)] + rng.choice(EDGE_NUMBERS).decode() + text[m.end(1) :]
    else:  # deep nesting of tables around a cell's paragraph
        k = text.find("<w:p>", max(0, text.find("<w:body>")))
        if k >= 0:
            depth = rng.choice((20, 80, 300))
            text = (
                text[:k]
                + "<w:tbl><w:tr><w:tc>" * depth
                + "<w:p><w:r><w:t>深</w:t></w:r></w:p>"
                + "</w:tc></w:tr></w:tbl>" * depth
                + text[k:]
            )
    return text.encode("utf-8")


def docx_member_edit(data: bytes, rng: random.Random, others) -> bytes:
    members = _members(data)
    if members is None:
        return flip_bits(data, rng, others)
    items = [(info.filename, body) for info, body in members]
    choice = rng.randrange(5)
    doc = next((k for k, (n, _) in enumerate(items) if MAIN_PART.fullmatch(n.lower())), None)
    if choice <= 1 and doc is not None:  # the document's XML: structure-aware or byte-level
        name, body = items[doc]
        body = _xml_edit(body, rng) if choice == 0 else rng.choice(GENERIC[:7])(body, rng, others)
        items[doc] = (name, body)
    elif choice == 2:  # another member's bytes
        k = rng.randrange(len(items))
        items[k] = (items[k][0], rng.choice(GENERIC[:7])(items[k][1], rng, others))
    elif choice == 3:  # drop, rename or duplicate a member
        k = rng.randrange(len(items))
        action = rng.randrange(3)
        if action == 0:
            items.pop(k)
        elif action == 1:
            items[k] = (
                rng.choice(("word/Document.xml", "word/document.xml", "WORD/DOCUMENT.XML", "x", "/")),
                items[k][1],
            )
        else:
            items.append(items[k])
    else:  # many small members
        items += [(f"junk/{i}", b"") for i in range(rng.choice((10, 1000, 10_050)))]
    return _zip(items, rng)


def zip_header_edit(data: bytes, rng: random.Random, others) -> bytes:
    """Lie in a local or central header: sizes, CRC, method, flags, name length."""
    out = bytearray(data)
    heads = [m.start() for m in re.finditer(rb"PK\x01\x02|PK\x03\x04|PK\x05\x06", data)]
    if not heads:
        return flip_bits(data, rng, others)
    at = rng.choice(heads)
    sig = bytes(out[at : at + 4])
    fields = {
        b"PK\x01\x02": [(8, "<H"), (10, "<H"), (16, "<I"), (20, "<I"), (24, "<I"), (28, "<H"), (42, "<I")],
        b"PK\x03\x04": [(6, "<H"), (8, "<H"), (14, "<I"), (18, "<I"), (22, "<I"), (26, "<H")],
        b"PK\x05\x06": [(8, "<H"), (10, "<H"), (12, "<I"), (16, "<I"), (20, "<H")],
    }[sig]
    offset, fmt = rng.choice(fields)
    if at + offset + struct.calcsize(fmt) <= len(out):
        top = 0xFFFF if fmt == "<H" else 0xFFFFFFFF
        value = rng.choice((0, 1, top, rng.randrange(top + 1), 3_000_000_000 & top))
        struct.pack_into(fmt, out, at + offset, value)
    return bytes(out)


def pdf_number_edit(data: bytes, rng: random.Random, others) -> bytes:
    numbers = list(re.finditer(rb"(?<![\d.])\d{1,12}(?![\d.])", data[:2_000_000]))
    if not numbers:
        return flip_bits(data, rng, others)
    out = data
    for _ in range(rng.choice((1, 1, 3))):
        m = rng.choice(numbers)
        if m.end() <= len(out):
            out = out[: m.start()] + rng.choice(EDGE_NUMBERS) + out[m.end() :]
    return out


def pdf_keyword_edit(data: bytes, rng: random.Random, others) -> bytes:
    keyword = rng.choice(PDF_KEYWORDS)
    hits = [m.start() for m in re.finditer(re.escape(keyword), data[:2_000_000])]
    if not hits:
        return flip_bits(data, rng, others)
    at = rng.choice(hits)
    replacement = rng.choice((b"", rng.choice(PDF_KEYWORDS), keyword * rng.choice((2, 100)), b"\x00" * len(keyword)))
    return data[:at] + replacement + data[at + len(keyword) :]


def reencode(data: bytes, rng: random.Random, others) -> bytes:
    text = data.decode("utf-8", "replace")
    codec = rng.choice(
        (
            "utf-16",
            "utf-16-le",
            "utf-16-be",
            "utf-32",
            "utf-32-le",
            "gb18030",
            "big5",
            "shift_jis",
            "euc_kr",
            "cp1252",
            "utf-8-sig",
        )
    )
    return text.encode(codec, "replace")


def text_soup(data: bytes, rng: random.Random, others) -> bytes:
    pieces = [
        b"\x00",
        b"\r",
        b"\xef\xbb\xbf",
        "\u3000".encode(),
        "\u200b".encode(),
        "〇一二三四五六七八九十百千".encode(),
        b"<div class=content>",
        b"<table><tr><td>",
        b"<span>",
        b"<!---->",
        b"&nbsp;",
        b"|",
        b" | ",
        "１２３，４５６．７８".encode(),
        b"1,2,3,4,5,6",
        b"99999999999999999999",
        b"\xe4\xbd",
        b"%",
    ]
    out = data
    for _ in range(rng.choice((1, 5, 50))):
        i = _pos(rng, out)
        out = out[:i] + rng.choice(pieces) * rng.choice((1, 1, 10, 1000)) + out[i:]
    return out


ZIP_EDITS = (docx_member_edit, docx_member_edit, zip_header_edit)
BY_FORMAT = {
    ".docx": ZIP_EDITS,
    ".xlsx": ZIP_EDITS,
    ".ofd": ZIP_EDITS,
    ".pdf": (pdf_number_edit, pdf_keyword_edit),
    ".txt": (reencode, text_soup),
    ".html": (reencode, text_soup),
}


def _scan_seed(data: bytes) -> bytes:
    """The bottom left of a scan sample (its last lines of text), as a small PNG."""
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    width, height = SCAN_SEED_SIZE
    out = io.BytesIO()
    image.crop((0, max(0, image.height - height), min(width, image.width), image.height)).save(out, "PNG")
    return out.getvalue()


def load_samples(folder: Path = SAMPLES) -> list[tuple[str, bytes]]:
    return [
        (p.name, _scan_seed(p.read_bytes()) if p.suffix == ".png" else p.read_bytes())
        for p in sorted(folder.iterdir())
        if p.suffix in SAMPLE_SUFFIXES
    ]


def make_input(samples: list[tuple[str, bytes]], seed: int, index: int) -> tuple[str, bytes, list[str]]:
    """(file name, bytes, mutations applied) of input ``index``; the same for the same seed and index."""
    rng = random.Random(f"{seed}:{index}")
    name, data = samples[rng.randrange(len(samples))]
    suffix = Path(name).suffix
    others = [d for _, d in samples]
    applied = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        specific = BY_FORMAT.get(suffix, ())
        mutate = rng.choice(specific) if specific and rng.random() < 0.5 else rng.choice(GENERIC)
        try:
            data = mutate(data, rng, others)[:MAX_INPUT_BYTES]
        except Exception:  # noqa: BLE001 - a mutation the zip writer refuses: bytes instead
            data, mutate = flip_bits(data, rng, others), flip_bits
        applied.append(mutate.__name__)
    if rng.random() < 0.1:  # a misleading name now and then: the format is sniffed, not trusted
        suffix = rng.choice((".txt", ".pdf", ".docx", ".html", ".doc", ".xlsx", ".ofd", ".png", ""))
    return f"fuzz-{index}-{Path(name).stem}{suffix}", data, applied


# --- the per-input work (runs in a worker) -----------------------------------------------------------


def fuzz_one(path: str) -> tuple[str, str]:
    """("ok", format) | ("read-error", code and reason) | ("crash", traceback)."""
    import traceback

    from extractor import extract
    from extractor.errors import ReadError

    try:
        result = extract(path)
        return "ok", result.document.format
    except ReadError as exc:
        if "\n" in str(exc):
            return "crash", f"ReadError message is not one line: {str(exc)!r}"
        return "read-error", f"{exc.code}: {exc.reason}"
    except BaseException:  # noqa: BLE001 - anything else is what we are looking for
        return "crash", traceback.format_exc()


# --- the run -----------------------------------------------------------------------------------------


def run(
    inputs: int,
    seed: int = 1,
    workers: int | None = None,
    timeout: float = 20.0,
    save: Path | None = None,
    only: int | None = None,
    progress: bool = False,
    memory_mb: int = 2048,
) -> dict:
    from extractor.ingest import default_workers
    from extractor.pool import WorkerPool

    samples = load_samples()
    indices = [only] if only is not None else range(inputs)
    # The workers inherit it: a mutated PDF whose text layer broke is recognised by OCR (with the
    # [ocr] extra) one page at most, so that no input takes minutes.
    os.environ.setdefault("EXTRACTOR_MAX_OCR_PAGES", "1")
    tally: Counter = Counter()
    codes: Counter = Counter()
    failures: list[dict] = []
    slowest: list[tuple[float, str]] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="extractor-fuzz-") as tmp:
        meta: dict[str, tuple[int, list[str]]] = {}

        def tasks():
            for i in indices:
                name, data, applied = make_input(samples, seed, i)
                path = os.path.join(tmp, name)
                with open(path, "wb") as fh:
                    fh.write(data)
                meta[path] = (i, applied)
                yield (path,)

        pool = WorkerPool(
            fuzz_one,
            workers or default_workers(),
            timeout=timeout,
            memory_mb=memory_mb,
            preload=("extractor.pipeline", "extractor.readers", "extractor.rules"),
        )
        with pool:
            for n, outcome in enumerate(pool.map_unordered(tasks()), 1):
                path = outcome.task[0]
                index, applied = meta.pop(path)
                slowest = sorted([*slowest, (outcome.seconds, f"#{index} {os.path.basename(path)}")])[-5:]
                if outcome.ok:
                    kind, detail = outcome.value
                    if kind == "read-error":
                        codes[detail.split(":", 1)[0]] += 1
                        if "out of memory" in detail:
                            tally["out-of-memory"] += 1
                else:
                    kind = "hang" if outcome.code == "timeout" else "crash"
                    detail = f"{outcome.code}: {outcome.error}"
                tally[kind] += 1
                if kind in ("crash", "hang"):
                    record = {
                        "index": index,
                        "file": os.path.basename(path),
                        "mutations": applied,
                        "kind": kind,
                        "detail": detail,
                    }
                    failures.append(record)
                    if save is not None:
                        save.mkdir(parents=True, exist_ok=True)
                        Path(path).replace(save / os.path.basename(path))
                        (save / (os.path.basename(path) + ".txt")).write_text(json.dumps(record, indent=2) + "\n")
                if os.path.exists(path):
                    os.unlink(path)
                if progress and n % 500 == 0:
                    print(f"  {n} inputs: {dict(tally)}", file=sys.stderr, flush=True)
    return {
        "inputs": sum(tally[k] for k in ("ok", "read-error", "crash", "hang")),
        "ok": tally["ok"],
        "read_errors": tally["read-error"],
        "crashes": tally["crash"],
        "hangs": tally["hang"],
        "out_of_memory": tally["out-of-memory"],
        "error_codes": dict(codes.most_common()),
        "seconds": round(time.monotonic() - started, 1),
        "seed": seed,
        "timeout": timeout,
        "slowest": [f"{s:.2f}s {label}" for s, label in reversed(slowest)],
        "failures": failures,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--inputs", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int)
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per input before it counts as a hang")
    ap.add_argument("--save", type=Path, help="write crashing and hanging inputs here")
    ap.add_argument("--only", type=int, help="run input INDEX alone (replay)")
    ap.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    args = ap.parse_args(argv)
    summary = run(args.inputs, args.seed, args.workers, args.timeout, args.save, args.only, progress=not args.json)
    if args.json:
        print(json.dumps(summary, ensure_ascii=False))
    else:
        print(
            f"inputs tried {summary['inputs']} · ok {summary['ok']} · read errors {summary['read_errors']} · "
            f"crashes {summary['crashes']} · hangs {summary['hangs']} (timeout {args.timeout:g} s) · "
            f"{summary['seconds']} s"
        )
        print("read errors by code: " + ", ".join(f"{k} {v}" for k, v in summary["error_codes"].items()))
        print(f"out of memory (a worker capped at 2 GB): {summary['out_of_memory']}")
        print("slowest: " + "; ".join(summary["slowest"]))
        for f in summary["failures"]:
            print(
                f"{f['kind'].upper()} #{f['index']} {f['file']} {f['mutations']}\n  "
                + f["detail"].strip().replace("\n", "\n  ")
            )
    return 1 if summary["crashes"] or summary["hangs"] else 0


if __name__ == "__main__":
    sys.exit(main())
