"""The one progress display of the command line: rich bars on stderr, one per named task.

Hidden (nothing drawn, no callback handed to the api) when stderr is not a terminal or the user
asked for `--quiet`. The api reports progress in its own event types; `ingest` and `stages`
turn each into a bar update.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wiretrace.corpus.checkpoints import ProgressEvent
    from wiretrace.ingest.run import IngestProgress


def shown(*, quiet: bool) -> bool:
    """Whether bars are drawn: only on a terminal, and not with --quiet."""
    return not quiet and sys.stderr.isatty()


class ProgressBars:
    """Rich progress bars on stderr, each with its count, a note (rate) and time remaining."""

    def __init__(self, *, visible: bool, console: Any = None) -> None:
        self.visible = visible
        self.console = console  # a rich Console; None: stderr
        self._progress: Any = None
        self._tasks: dict[str, Any] = {}

    def __enter__(self) -> ProgressBars:
        if self.visible:
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

            self._progress = Progress(
                TextColumn("[bold]{task.description:<10}"),
                BarColumn(),
                TextColumn("{task.completed:,}/{task.fields[of]} · {task.fields[note]}"),
                TimeRemainingColumn(),
                console=self.console or Console(stderr=True),
                transient=True,
            )
            self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def callback(
        self, adapter: Callable[[ProgressBars, Any], None]
    ) -> Callable[[Any], None] | None:
        """`adapter` bound to these bars, or None when hidden (the api then skips reporting)."""
        if not self.visible:
            return None
        return lambda event: adapter(self, event)

    def update(self, name: str, *, done: int, total: int | None, note: str = "") -> None:
        """Move the bar called `name` (made on first use) to `done` of `total` (None: unknown)."""
        if self._progress is None:
            return
        of = "?" if total is None else f"{total:,}"
        task = self._tasks.get(name)
        if task is None:
            task = self._tasks[name] = self._progress.add_task(name, total=total, of=of, note="")
        self._progress.update(task, completed=done, total=total, of=of, note=note)

    def shown_tasks(self) -> dict[str, tuple[float, float | None, str]]:
        """Each bar's name, count, total and note, as last drawn."""
        if self._progress is None:
            return {}
        tasks = {task.id: task for task in self._progress.tasks}
        return {
            name: (tasks[key].completed, tasks[key].total, tasks[key].fields["note"])
            for name, key in self._tasks.items()
        }

    def ingest(self, state: IngestProgress) -> None:
        """An ingest's progress: inputs read of all, articles stored and their rate."""
        rate = f" · {state.articles / state.seconds:,.0f} articles/s" if state.seconds > 0 else ""
        self.update(
            "ingest",
            done=state.inputs_done,
            total=state.inputs_total,
            note=f"inputs · {state.articles:,} articles{rate}",
        )

    def stages(self, event: ProgressEvent) -> None:
        """A reuse run's progress: one bar per stage, its rate, or that a checkpoint was read."""
        note = "checkpoint" if event.skipped else f"{event.per_second:,.0f}/s"
        self.update(event.stage, done=event.done, total=event.total, note=note)
