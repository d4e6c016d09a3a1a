"""Typed errors for input the tool cannot read; each renders as one line for the user.

File names and texts come from whoever made the file: ``printable()`` writes their control
characters (newlines, terminal escape sequences, bidi overrides, undecodable bytes) as escapes,
so that a message stays one line and a terminal shows what the name is.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, the bidi marks, embeddings, overrides and isolates, line and paragraph
# separators, and lone surrogates (bytes of a file name that are not UTF-8, as os.fsdecode keeps them).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match) -> str:
    ch = m.group()
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def printable(text: object) -> str:
    """``str(text)`` with every control character written as an escape (``\\n``, ``\\x1b``,
    ``\\u202e``): safe to print on one line of a terminal."""
    text = str(text)
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


class ReadError(Exception):
    """A file could not be turned into a Document. ``str(err)`` is the one-line message.

    ``code`` is what ingest stores as the error row's kind.
    """

    code = "unreadable"

    def __init__(self, path: str | None, reason: str):
        self.path = path
        self.reason = printable(" ".join(str(reason).split()))  # one line, whatever a parser's message held
        super().__init__(f"{printable(path)}: {self.reason}" if path else self.reason)

    def __reduce__(self):  # picklable (a worker process may send one back)
        return (self.__class__, (self.path, self.reason), self.__dict__)


class NotFound(ReadError):
    code = "not-found"


class NotAFile(ReadError):
    """A directory, a FIFO, a device, a symlink loop."""

    code = "not-a-file"


class PermissionDenied(ReadError):
    code = "unreadable"  # as ingest records a file it cannot open


class EmptyFile(ReadError):
    code = "empty"


class UnsupportedFormat(ReadError):
    code = "unsupported-format"


class UndecodableText(ReadError):
    """Text in an encoding the reader does not take (not UTF-8/16/32, GB18030 or Big5)."""

    code = "undecodable"


class CorruptFile(ReadError):
    code = "corrupt"


class EncryptedFile(ReadError):
    code = "encrypted"


class NoTextLayer(ReadError):
    code = "no-text-layer"


class LimitExceeded(ReadError):
    """Over one of the limits in ``extractor.limits``; ``limit`` names it (``"max_bytes"``)."""

    code = "limit-exceeded"

    def __init__(self, path: str | None, reason: str, *, limit: str | None = None):
        super().__init__(path, reason)
        self.limit = limit


class MissingDependency(ReadError):
    code = "missing-dependency"


# ---- what a user reads -------------------------------------------------------------------------
# ``str(err)`` is the technical line (English, what logs and the store keep); ``describe(err)`` is
# what a person reads, in Chinese (``--lang en``: English, through the catalogue). The reasons the
# readers give are matched here and said in Chinese; a reason not listed (a parser's own message)
# is kept after the kind of error, as a detail.


def N_(message: str) -> str:  # noqa: N802 - gettext's marker (i18n.N_); errors.py imports nothing at load
    return message


# the kind of error, by ``code``
ERROR_KINDS = {
    "not-found": N_("找不到文件"),
    "not-a-file": N_("不是普通文件"),
    "unreadable": N_("无法读取文件"),
    "empty": N_("文件为空"),
    "unsupported-format": N_("不支持的文件格式"),
    "undecodable": N_("无法识别文本的编码"),
    "corrupt": N_("文件已损坏，无法读取"),
    "encrypted": N_("文件已加密，请先解除密码"),
    "no-text-layer": N_("PDF 没有文字层（扫描件），需要先做文字识别（OCR）"),
    "limit-exceeded": N_("超出处理上限"),
    "missing-dependency": N_("缺少所需的程序"),
}
# the reasons readers give (a regex over ``err.reason``), said in Chinese; {1}, {2} … are its groups
REASONS = (
    (r"no such file.*", N_("找不到文件")),
    (r"invalid path: (.+)", N_("路径无效：{1}")),
    (r"permission denied", N_("没有读取权限")),
    (r"is a directory", N_("这是文件夹，不是文件")),
    (r"symlink loop", N_("符号链接循环")),
    (r"not a regular file.*", N_("不是普通文件（设备、管道或套接字）")),
    (r"empty file", N_("文件为空")),
    (r"only NUL bytes.*", N_("文件全是零字节（空白文件）")),
    (r"encrypted PDF", N_("PDF 已加密，请先解除密码")),
    (r"encrypted Office document.*", N_("Office 文档有密码保护，请先解除密码")),
    (r"encrypted Excel workbook.*", N_("Excel 工作簿有密码保护，请先解除密码")),
    (r"encrypted zip archive", N_("压缩包已加密，请先解除密码")),
    (r"truncated PDF.*", N_("PDF 不完整（文件末尾缺少 %EOF 结束标记），可能下载或复制时被截断")),
    (r"corrupt PDF \(cannot parse its structure\)", N_("PDF 已损坏，无法解析其结构")),
    (r"corrupt PDF \(page (\d+) cannot be loaded\)", N_("PDF 已损坏，第 {1} 页无法载入")),
    (r"corrupt PDF \((.+)\)", N_("PDF 已损坏（{1}）")),
    (r"PDF has no pages", N_("PDF 没有页面")),
    (
        r"no text layer \(scanned or unmapped fonts\): needs OCR, which is not installed \((.+)\)",
        N_("PDF 没有文字层（扫描件），需要文字识别（OCR），但未安装识别引擎（{1}）"),
    ),
    (
        r"an image of a page: needs OCR, which is not installed \((.+)\)",
        N_("这是页面的图片，需要文字识别（OCR），但未安装识别引擎（{1}）"),
    ),
    (
        r"no text layer \(scanned or unmapped fonts\), and OCR recognised no text",
        N_("PDF 没有文字层（扫描件），文字识别（OCR）也没有识别出文字"),
    ),
    (r"no text layer.*", N_("PDF 没有文字层（扫描件），需要先做文字识别（OCR）")),
    (r"OCR recognised no text in the image", N_("文字识别（OCR）没有在图片中识别出文字")),
    (r"OCR engine failed: (.+)", N_("文字识别（OCR）引擎出错（{1}）")),
    (r"not a readable image \((.+)\)", N_("无法读取图片（{1}）")),
    (r"OFD pages hold no text.*", N_("OFD 页面中没有文字（OFD 中的扫描图像不做文字识别）")),
    (r"not a valid (\.\w+) \((.+)\)", N_("不是有效的 {1} 文件（{2}）")),
    (
        r"zip archive without word/document\.xml, xl/workbook\.xml or OFD\.xml.*",
        N_("压缩包中没有 word/document.xml、xl/workbook.xml 或 OFD.xml，不是 Word、Excel 或 OFD 文档"),
    ),
    (r"zip archive without word/document\.xml.*", N_("压缩包中没有 word/document.xml，不是 Word 文档")),
    (r"corrupt zip archive", N_("压缩包已损坏")),
    (r"unsupported format: RTF document.*", N_("不支持 RTF 文档，请另存为 .docx")),
    (
        r"unsupported format: an Excel binary workbook \(\.xlsb\).*",
        N_("不支持 Excel 二进制工作簿（.xlsb），请另存为 .xlsx"),
    ),
    (r"unsupported format: (\w+) file, not a Word document", N_("不支持的格式：{1} 文件，不是 Word 文档")),
    (r"unsupported format: (.+)", N_("不支持的格式：{1}")),
    (r"unknown binary format \((.+)\)", N_("无法识别的二进制格式（{1}）")),
    (r"unknown binary format", N_("无法识别的二进制格式")),
    (
        r"cannot decode text: read as GB18030.*",
        N_("无法识别文本编码：按 GB18030 读出的多是生僻字（可能是日文、韩文等其他编码），请另存为 UTF-8"),
    ),
    (r"cannot decode text.*", N_("无法识别文本编码：不是 UTF-8、UTF-16、UTF-32、GB18030 或 Big5")),
    (r"out of memory reading this (\w+) file", N_("读取这个 {1} 文件时内存不足")),
    (r"(\w+) structure nested too deeply", N_("{1} 文件的结构嵌套过深")),
    (r"cannot read as (\w+): (.+)", N_("无法按 {1} 格式读取（{2}）")),
    (r"cannot (?:open|read): (.+)", N_("无法读取（{1}）")),
    (
        r"\.doc needs LibreOffice.*",
        N_("读取 .doc 需要 LibreOffice：请安装 libreoffice-writer-nogui，或把文件另存为 .docx"),
    ),
    (r"LibreOffice could not convert this \.doc(.*)", N_("LibreOffice 无法转换这个 .doc 文件{1}")),
)
# the limits, by ``LimitExceeded.limit``
LIMITS = {
    "max_bytes": N_("文件大小超过上限"),
    "max_chars": N_("文本长度超过上限"),
    "max_pages": N_("页数超过上限"),
    "max_seconds": N_("处理时间超过上限"),
    "max_memory": N_("内存超过上限"),
    "max_zip_members": N_("压缩包中的文件数超过上限"),
    "max_zip_bytes": N_("压缩包解压后的大小超过上限"),
    "max_xml_bytes": N_("文档 XML 解压后的大小超过上限"),
    "max_elements": N_("网页的标签数超过上限"),
    "max_nesting": N_("网页的嵌套层数超过上限"),
    "max_cells": N_("工作簿的单元格数超过上限"),
    "max_ocr_pages": N_("需要文字识别（OCR）的页数超过上限"),
    "max_image_pixels": N_("图片的像素数超过上限"),
}
LIMIT_DETAIL = r"(.+) \(limit ([^;]+); raise it with (.+)\)"  # what extractor.limits says of a limit
# what extractor.limits says of the time budget, and the stage the document was at
TIME_DETAIL = r"(?:reading )?took longer than (\S+) s(?: \(stopped while (.+)\)| .*)?"
STAGES = {"reading": N_("读取文件"), "extracting the fields": N_("提取字段"), "checking the rules": N_("核对规则")}
_COMPILED: list = []


def describe(err: BaseException, path: str | None = None) -> str:
    """The one line a person reads for ``err``: ``报告.pdf：PDF 已加密，请先解除密码``.

    ``path`` names the file when the error does not (an error row read back from a store)."""
    import re

    from .i18n import _

    if not isinstance(err, ReadError):
        return _("{path}：内部错误（{detail}）").format(path=path or "", detail=f"{type(err).__name__}: {err}")
    if not _COMPILED:
        _COMPILED.extend((re.compile(rx, re.S), msg) for rx, msg in ((LIMIT_DETAIL, ""), *REASONS))
    limit_detail, reasons = _COMPILED[0][0], _COMPILED[1:]
    where = err.path or path
    reason = err.reason
    if where and reason.startswith(f"{where}: "):  # a stored line that already names its file
        reason = reason[len(where) + 2 :]
    said = None
    if isinstance(err, LimitExceeded) and err.limit in LIMITS:
        m = limit_detail.fullmatch(reason)
        what = m[1] if m else reason
        t = re.fullmatch(TIME_DETAIL, what) if err.limit == "max_seconds" else None
        if t:
            stage = _(STAGES.get(t[2] or "reading", STAGES["reading"]))
            what = _("用时超过 {seconds} 秒，停在{stage}").format(seconds=t[1], stage=stage)
        detail = (
            _("{what}；上限 {limit}，可用 {hint} 调高").format(
                what=what, limit=m[2], hint=m[3].replace(" or ", _(" 或 "))
            )
            if m
            else what
        )
        said = _("{limit}（{detail}）").format(limit=_(LIMITS[err.limit]), detail=detail)
    else:
        for rx, msg in reasons:
            m = rx.fullmatch(reason)
            if m:
                said = _(msg).format(None, *m.groups(default=""))
                break
    if said is None:
        kind = _(ERROR_KINDS.get(err.code, ERROR_KINDS["unreadable"]))
        said = kind if not reason else _("{kind}（{detail}）").format(kind=kind, detail=reason)
    return _("{path}：{message}").format(path=where, message=said) if where else said
