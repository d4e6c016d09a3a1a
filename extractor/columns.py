"""Column roles: what a table's header cell says its column holds (``patterns/headers.toml``)."""

from __future__ import annotations

from .patterns import Patterns, compile_regex

# roles whose column holds figures of the row (not its name, number, code or a remark)
FIGURE_ROLES = frozenset(
    {
        "amount",
        "prior",
        "change",
        "share",
        "budget_initial",
        "budget_adjusted",
        "budget_spent",
        "execution_rate",
        "points",
        "score",
        "target",
        "achieved",
        "year",
    }
)
# the roles of a project form's money row
BUDGET_ROLES = ("budget_initial", "budget_adjusted", "budget_spent", "execution_rate")
INDICATOR_ROLES = ("indicator_1", "indicator_2", "indicator_3", "indicator")
DEFAULT_SEEN_TEXTS = 50_000  # cell texts whose role is remembered (a few MiB at most)


class Roles:
    """Reads header cells: ``of("全年预算数(A)") == "budget_adjusted"``, ``of("2023年") == "year:2023"``."""

    def __init__(self, headers: dict):
        self._by_word = {w: role for role, words in headers.get("roles", {}).items() for w in words}
        self._notes = compile_regex(headers["notes"]["regex"]) if "notes" in headers else None
        self._year = compile_regex(headers["year"]["regex"]) if "year" in headers else None
        self.words = frozenset(self._by_word)
        # a table repeats its cells' texts on every page and every row (figures, 合计, 分值): what a
        # text says is read once; bounded, so a worker reading an archive does not grow with it
        self._seen: dict[str, str | None] = {}

    def clean(self, text: str) -> str:
        """A header cell without whitespace, bracketed notes and a trailing colon."""
        t = "".join(text.split())
        if self._notes is not None and "(" in t:
            t = self._notes.sub("", t)
        return t.rstrip(":")

    def of(self, text: str) -> str | None:
        seen = self._seen
        if text in seen:
            return seen[text]
        if len(seen) >= DEFAULT_SEEN_TEXTS:
            seen.clear()
        role = seen[text] = self._of(text)
        return role

    def _of(self, text: str) -> str | None:
        t = self.clean(text)
        if not t:
            return None
        role = self._by_word.get(t)
        if role is None and self._year is not None:
            m = self._year.match(t)
            if m:
                return f"year:{m.group('year')}"
        return role


def roles(patterns: Patterns) -> Roles:
    """The column roles of a pattern set, built once per pattern set."""
    return patterns.memo("roles", lambda: Roles(patterns.headers))


def base(role: str | None) -> str | None:
    """ "year:2023" -> "year"; other roles as they are."""
    return role.split(":", 1)[0] if role else role
