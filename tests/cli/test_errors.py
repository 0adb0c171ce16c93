"""Every exception the kit defines is an :class:`OgiError` declared in ``ogi_report.errors``.

That is what lets each command say what went wrong in Chinese instead of printing a traceback:
``main`` catches ``OgiError`` (and ``OSError``) and nothing else.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import ogi_report
from ogi_report import errors
from ogi_report.errors import OgiError


def kit_exceptions() -> dict[str, type[BaseException]]:
    """Every exception class defined in a module of the kit, by its qualified name."""
    found: dict[str, type[BaseException]] = {}
    for info in pkgutil.walk_packages(ogi_report.__path__, "ogi_report."):
        if info.name == "ogi_report.__main__" or info.name.endswith(".warm_engine"):
            continue  # runs the command line; papermill's to import (loaded by ogi_report.notebook.engine)
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, BaseException) and cls.__module__ == info.name:
                found[f"{info.name}.{cls.__qualname__}"] = cls
    return found


def test_every_kit_exception_is_an_ogi_error_declared_in_errors() -> None:
    found = kit_exceptions()
    assert found, "the walk found no exception at all"
    outside = {name for name, cls in found.items() if cls.__module__ != "ogi_report.errors"}
    assert outside == set()
    declared = [cls for cls in found.values() if cls.__module__ == "ogi_report.errors"]
    assert all(issubclass(cls, OgiError) for cls in declared), declared


def drawn_parents() -> dict[str, str | None]:
    """Each class of the drawing in ``errors``' docstring → the class drawn above it (None at the top)."""
    parents: dict[str, str | None] = {}
    stack: list[str] = []
    for line in (errors.__doc__ or "").splitlines():
        match = re.match(r"^ {4}([ │├└─]*)(\w+)\s", line + " ")
        if not match:
            continue
        depth = len(match[1]) // 4
        del stack[depth:]
        parents[match[2]] = stack[-1] if stack else None
        stack.append(match[2])
    return parents


def test_the_hierarchy_drawn_in_the_docstring_is_the_real_one() -> None:
    declared = {
        name: cls for name, cls in vars(errors).items() if inspect.isclass(cls) and issubclass(cls, OgiError)
    }
    parents = drawn_parents()
    assert set(parents) == set(declared)
    for name, parent in parents.items():
        bases = [b for b in declared[name].__mro__[1:] if b in declared.values()]
        assert (bases[0].__name__ if bases else None) == parent, name
