"""The state a batch records beside each bureau-year's outputs: ``<year>/.state/<slug>.json``.

The state says what the outputs were made from (the fingerprint) and what they are; it is written
last, after the outputs, so a bureau-year counts as done only once it is recorded.  Recording an
outcome also removes outputs the new one makes stale (:func:`record_outcome`).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from ogi_report import oserrors
from ogi_report.batch.jobs import FORMATS, STATE_DIR, Outcome, Status, output_path
from ogi_report.storage.textfiles import write_text


def state_path(out_dir: Path, slug: str) -> Path:
    return out_dir / STATE_DIR / f"{slug}.json"


def read_state(out_dir: Path, slug: str) -> Outcome | None:
    """The outcome recorded for ``slug`` in ``out_dir``, or None (absent or unreadable)."""
    try:
        return Outcome.from_state(json.loads(state_path(out_dir, slug).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, RecursionError):  # a damaged or hostile file
        return None


def write_state(out_dir: Path, outcome: Outcome) -> None:
    """Record ``outcome`` (atomically) as the bureau-year's latest known state."""
    text = json.dumps(outcome.to_state(), ensure_ascii=False, indent=1)
    write_text(state_path(out_dir, outcome.slug), text)


def read_states(out_dir: Path) -> list[Outcome]:
    """Every outcome recorded in ``out_dir`` (one per bureau)."""
    folder = out_dir / STATE_DIR
    found = (read_state(out_dir, p.stem) for p in sorted(folder.glob("*.json"))) if folder.is_dir() else ()
    return [o for o in found if o is not None]


def _unlink_file(path: Path) -> str | None:
    """Remove the file at ``path``, if any; a Chinese reason when it cannot be removed.

    Only files (and symlinks) are ours to remove: a folder someone put at an output path is left
    alone (the render that needs the path fails and names it).
    """
    try:
        if path.is_symlink() or path.is_file():
            path.unlink()
    except OSError as exc:
        return f"警告：无法删除已过期的 {path}（{oserrors.reason(exc)}），请手动删除，以免误用旧文件"
    return None


def _current_outputs(
    out_dir: Path, outcome: Outcome, previous: Outcome | None
) -> tuple[dict[str, str], list[str]]:
    """The outputs still current after ``outcome``, and warnings for stale ones that stay on disk.

    An output of a format this run did not write is still current only when it was made from the
    same inputs (the recorded fingerprint equals this run's) and this render did not fail.
    """
    same_inputs = (
        outcome.rendered
        and previous is not None
        and previous.rendered
        and bool(outcome.fingerprint)
        and previous.fingerprint == outcome.fingerprint
    )
    outputs = dict(outcome.outputs)
    warnings: list[str] = []
    for fmt in FORMATS:
        if fmt in outputs:
            continue
        kept = previous.outputs.get(fmt) if previous is not None and same_inputs else None
        if kept and (out_dir / kept).is_file():
            outputs[fmt] = kept
        elif problem := _unlink_file(output_path(out_dir, outcome.slug, fmt)):
            warnings.append(problem)
    return outputs, warnings


def record_outcome(out_dir: Path, outcome: Outcome) -> tuple[Outcome, list[str]]:
    """Record a fresh (rendered or failed) outcome as its bureau-year's state; clear what it makes stale.

    A still-current output of another format is kept and listed in the new state, so the index
    still links it; any other is removed, so no outdated PDF or DOCX (without the draft banner the
    new data may need) sits beside the new HTML looking publishable.  Stale files go first and the
    state last: a crash in between leaves an old state whose files are missing, which the next run
    simply renders again.

    Returns the outcome as recorded and warnings (Chinese) for files that could not be removed.
    When the state itself cannot be written, the outcome becomes FAILED (the next run redoes it).
    """
    outputs, warnings = _current_outputs(out_dir, outcome, read_state(out_dir, outcome.slug))
    recorded = replace(outcome, outputs=outputs)
    try:
        write_state(out_dir, recorded)
    except OSError as exc:
        path = state_path(out_dir, outcome.slug)
        failed = replace(
            outcome,
            status=Status.FAILED,
            outputs={k: v for k, v in outcome.outputs.items() if k not in FORMATS},
            message=f"无法写入状态文件 {path}（{oserrors.reason(exc)}）：本次结果未记录，下次运行将重新生成",
        )
        # Without a state the fresh files would be unaccounted for: failed means no outputs.
        warnings.extend(w for fmt in FORMATS if (w := _unlink_file(output_path(out_dir, outcome.slug, fmt))))
        return failed, warnings
    return recorded, warnings
