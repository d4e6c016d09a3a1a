"""Ingest's progress bar: files, errors, docs/s and time left on a terminal (rich); nothing otherwise."""

from __future__ import annotations

import sys


class Progress:
    """A rich progress bar on a terminal; set ``total`` before entering. Silent when not a terminal."""

    def __init__(self, total: int, *, enabled: bool):
        self.total, self.bar, self.task = total, None, None
        if enabled and sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.bar = Progress(
                TextColumn("ingest"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("errors {task.fields[errors]}"),
                TextColumn("{task.fields[rate]} docs/s"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=False,
            )

    def __enter__(self):
        if self.bar is not None:
            self.bar.__enter__()
            self.task = self.bar.add_task("ingest", total=self.total, errors=0, rate="–")
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def advance(self, n: int, *, errors: int) -> None:
        if self.bar is not None:
            speed = self.bar.tasks[0].speed
            self.bar.update(self.task, advance=n, errors=errors, rate=f"{speed:.1f}" if speed else "–")
