"""The command line imports only the module of the command it runs, so short commands start fast."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from kit import SEED_DIR
from ogi_report.cli import main

# Modules ``check`` never uses: the Excel stack, HTML rendering, the importers, the batch.
HEAVY = (
    "openpyxl",
    "numpy",
    "pandas",
    "jinja2",
    "markdown_it",
    "pdfplumber",
    "docx",
    "papermill",
    "nbformat",
    "ogi_report.importers",
    "ogi_report.batch",
    "ogi_report.render.html",
    "ogi_report.storage.xlsx",
)


def test_every_command_is_listed_with_the_module_declaring_it() -> None:
    for module in set(main.MODULES.values()):
        for cmd in main.declared(module):
            assert main.MODULES.get(cmd.name) == module, cmd.name
    assert [cmd.name for cmd in main.commands()] == list(main.MODULES)
    assert [cmd.name for cmd in main.COMMANDS] == list(main.MODULES)


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main.main(["--help"])
    out = capsys.readouterr().out
    assert all(name in out for name in main.MODULES)


@pytest.mark.parametrize("argv", [["check", str(SEED_DIR)], ["export-json", str(SEED_DIR)]])
def test_a_short_command_loads_nothing_it_does_not_use(argv: list[str]) -> None:
    code = (
        "import json, sys\n"
        "from ogi_report.cli.main import main\n"
        f"code = main({argv!r})\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print(json.dumps([code, heavy]), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    exit_code, heavy = json.loads(done.stderr.strip().splitlines()[-1])
    assert exit_code == 0
    assert heavy == []


def test_the_kits_processes_skip_the_optional_package_that_slows_every_start() -> None:
    # jsonschema imports rfc3987_syntax when installed; its grammar takes ≈ 0.75 s to build and
    # nbformat never needs it.  A process of the kit's own (the command, a batch worker) keeps it
    # out; a process where users' code runs is left as installed.
    code = (
        "import sys\n"
        "from ogi_report.startup import skip_slow_optional_imports\n"
        "skip_slow_optional_imports()\n"
        "import nbformat\n"
        "nbformat.validate(nbformat.v4.new_notebook())\n"  # validation works without it
        "print('rfc3987_syntax' in sys.modules and sys.modules['rfc3987_syntax'] is None)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"
