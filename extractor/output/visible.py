"""Invisible characters made visible: what a reader must see of a document that hides something.

A U+202E (right-to-left override) in a report displays ``145.16万元`` as ``元万61.541``; a
zero-width space splits a number unseen. Wherever the tool shows the document's text (the
evidence on the auditor's page, a quote in ``verify``'s output, a finding's message), such
characters — bidi controls and every other format character (Unicode category Cf), control
characters other than line breaks and tabs, line and paragraph separators — are shown by their
code point, in place, and never passed on to do their work.
"""

from __future__ import annotations

import html
import re
import unicodedata

# \t \n \r and \f (the page break some readers keep) are layout, shown as such
_KEPT = "\t\n\r\f"
_HIDDEN = re.compile(
    "[" + "".join(re.escape(chr(c)) for c in range(0x20) if chr(c) not in _KEPT) + "\x7f-\x9f"
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001-\U000e007f]"
)


def hidden(ch: str) -> bool:
    """Whether ``ch`` is a character the tool shows by its code point."""
    return bool(_HIDDEN.fullmatch(ch)) or unicodedata.category(ch) == "Cf"


def _code(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def visible_text(text) -> str:
    """``text`` with each hidden character as ``⟨U+202E⟩`` (terminals, attributes, plain text)."""
    return _HIDDEN.sub(lambda m: f"⟨{_code(m.group())}⟩", str(text))


def visible_html(text) -> str:
    """``text`` escaped for HTML, each hidden character a visible badge naming it."""
    text = str(text)
    out, last = [], 0
    for m in _HIDDEN.finditer(text):
        out.append(html.escape(text[last : m.start()], quote=True))
        ch = m.group()
        name = unicodedata.name(ch, "")
        out.append(f'<span class="cc" title="{_code(ch)} {html.escape(name)}">{_code(ch)}</span>')
        last = m.end()
    out.append(html.escape(text[last:], quote=True))
    return "".join(out)
