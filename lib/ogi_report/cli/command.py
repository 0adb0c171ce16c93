"""What every command of ``ogi-report`` is: a name, its arguments, a handler, and one set of exit codes."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """How a command ended: the same codes for every command (a contract scripts rely on)."""

    OK = 0  # done: the data pass the checks, every report rendered, every item imported
    PROBLEMS = 1  # done, with something to fix: check errors, a draft or failed report, an incomplete import
    UNUSABLE = 2  # the command line, an input, the project or an output cannot be used: nothing done
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)


@dataclass(frozen=True)
class Command:
    """One sub-command: ``ogi-report <name> …``."""

    name: str
    help: str  # one line, Chinese: shown in ``ogi-report --help`` and atop the command's own help
    configure: Callable[[argparse.ArgumentParser], None]  # adds the command's arguments
    run: Callable[[argparse.Namespace], int]  # returns an ExitCode
