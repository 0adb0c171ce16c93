"""The commands never lose an analyst's work and speak Chinese when they refuse.

Imports refuse an existing folder without --overwrite and a data/<slug>/<year> folder that disagrees
with the data, writing nothing; render writes the format asked (refusing a name that says another);
check --json reports unreadable input on stdout.
Usage and operating-system errors in Chinese: ``test_chinese.py``.
"""

from __future__ import annotations

import errno
import json
import shutil
from pathlib import Path

import pytest
from kit import REPORTS_DIR, SEED_DIR, build_by
from ogi_report.cli import imports, main
from ogi_report.importers import Imported, ImportOptions
from ogi_report.storage import staging
from ogi_report.storage.folder import NARRATIVE_FILE, load_bureau_year, save_bureau_year

SHARED_REPORT = REPORTS_DIR / "04_suqian-city-2024.txt"
EDITED = "分析员改过的正文\n"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main.main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def exported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The bundled example (haidong-emergency 2021) as a JSON file."""
    code, text, _ = run(["export-json", str(SEED_DIR)], capsys)
    assert code == 0
    path = tmp_path / "seed.json"
    path.write_text(text, encoding="utf-8")
    return path


def workbook(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    book = tmp_path / "seed.xlsx"
    assert run(["xlsx", str(SEED_DIR), "--out", str(book)], capsys)[0] == 0
    return book


def edited_folder(tmp_path: Path) -> Path:
    """An analyst's folder data/haidong-emergency/2021 with an edited narrative and a note."""
    folder = tmp_path / "data" / "haidong-emergency" / "2021"
    shutil.copytree(SEED_DIR, folder)
    (folder / NARRATIVE_FILE).write_text(EDITED, encoding="utf-8")
    (folder / "备注.txt").write_text("原始材料说明\n", encoding="utf-8")
    return folder


def leftovers(parent: Path) -> list[str]:
    """Hidden staging folders or temporary files left beside an output folder."""
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


@pytest.fixture
def fake_import(monkeypatch: pytest.MonkeyPatch) -> None:
    """``import`` without parsing a report: a 2024 bureau-year, year and slug as the options say."""

    def fake(path: Path, options: ImportOptions) -> Imported:
        return Imported(build_by(year=options.year or 2024, slug=options.slug))

    monkeypatch.setattr(imports, "import_report", fake)


# --- 1. imports: no silent overwrite, no folder check cannot read, atomic ---------------------------


def test_import_json_refuses_a_non_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, folder = exported(tmp_path, capsys), edited_folder(tmp_path)
    code, _out, err = run(["import-json", str(source), "--out", str(folder)], capsys)
    assert code == 2
    assert str(folder) in err and "--overwrite" in err and "已存在" in err
    assert (folder / NARRATIVE_FILE).read_text("utf-8") == EDITED
    assert leftovers(folder.parent) == []


def test_import_json_overwrite_replaces_data_and_keeps_other_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, folder = exported(tmp_path, capsys), edited_folder(tmp_path)
    code, _out, _err = run(["import-json", str(source), "--out", str(folder), "--overwrite"], capsys)
    assert code == 0
    assert (folder / NARRATIVE_FILE).read_text("utf-8") == (SEED_DIR / NARRATIVE_FILE).read_text("utf-8")
    assert (folder / "备注.txt").read_text("utf-8") == "原始材料说明\n"
    assert load_bureau_year(folder).meta.year == 2021
    assert leftovers(folder.parent) == []


def test_import_json_into_an_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = exported(tmp_path, capsys)
    folder = tmp_path / "data" / "haidong-emergency" / "2021"
    folder.mkdir(parents=True)
    assert run(["import-json", str(source), "--out", str(folder)], capsys)[0] == 0
    assert run(["check", str(folder)], capsys)[0] == 0


def test_import_xlsx_refuses_a_non_empty_folder_unless_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book, folder = workbook(tmp_path, capsys), edited_folder(tmp_path)
    code, _out, err = run(["import-xlsx", str(book), "--out", str(folder)], capsys)
    assert code == 2 and str(folder) in err and "--overwrite" in err
    assert (folder / NARRATIVE_FILE).read_text("utf-8") == EDITED
    assert run(["import-xlsx", str(book), "--out", str(folder), "--overwrite"], capsys)[0] == 0
    # The workbook's 正文 is as exported, the folder's narrative was edited since: the edit is kept.
    assert (folder / NARRATIVE_FILE).read_text("utf-8") == EDITED
    assert (folder / "备注.txt").is_file()


def test_import_report_refuses_a_non_empty_folder_unless_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_import: None
) -> None:
    report = tmp_path / "haidong-emergency-2021.txt"
    report.write_text("（由 fake_import 代替解析）\n", encoding="utf-8")
    folder = edited_folder(tmp_path)
    argv = ["import", str(report), "--year", "2021", "--out", str(folder)]
    code, _out, err = run(argv, capsys)
    assert code == 2 and str(folder) in err and "--overwrite" in err
    assert (folder / NARRATIVE_FILE).read_text("utf-8") == EDITED
    assert run([*argv, "--overwrite"], capsys)[0] == 0
    assert (folder / NARRATIVE_FILE).read_text("utf-8") != EDITED


def test_import_json_refuses_a_year_folder_of_another_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = exported(tmp_path, capsys)
    folder = tmp_path / "data" / "haidong-emergency" / "2025"
    code, _out, err = run(["import-json", str(source), "--out", str(folder)], capsys)
    assert code == 2
    assert "2021" in err and "目录名为 2025" in err
    assert str(tmp_path / "data" / "haidong-emergency" / "2021") in err  # the --out that would fit
    assert not folder.exists() and not (tmp_path / "data").exists()


def test_import_json_refuses_a_slug_folder_of_another_body(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = exported(tmp_path, capsys)
    folder = tmp_path / "data" / "suqian" / "2021"
    code, _out, err = run(["import-json", str(source), "--out", str(folder)], capsys)
    assert code == 2
    assert "「haidong-emergency」" in err and "「suqian」" in err
    assert not (tmp_path / "data").exists()


def test_import_report_year_mismatch_points_at_year_and_slug_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_import: None
) -> None:
    report = tmp_path / "suqian-2024.txt"
    report.write_text("（由 fake_import 代替解析）\n", encoding="utf-8")
    folder = tmp_path / "data" / "suqian" / "2025"
    code, _out, err = run(["import", str(report), "--out", str(folder)], capsys)
    assert code == 2
    assert "2024" in err and "2025" in err and "--year" in err and "--slug" in err
    assert not folder.exists()
    # The folder the loader would accept: written, and check reads it.
    assert (
        run(["import", str(report), "--year", "2025", "--slug", "suqian", "--out", str(folder)], capsys)[0]
        == 0
    )
    assert load_bureau_year(folder).meta.year == 2025


def test_real_report_into_the_wrong_year_folder_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "suqian-2024.txt"
    shutil.copy(SHARED_REPORT, report)
    folder = tmp_path / "data" / "suqian" / "2025"
    code, _out, err = run(["import", str(report), "--out", str(folder)], capsys)
    assert code == 2 and "目录名为 2025" in err
    assert not (tmp_path / "data").exists()


def test_a_folder_not_named_by_year_takes_any_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = exported(tmp_path, capsys)
    assert run(["import-json", str(source), "--out", str(tmp_path / "scratch")], capsys)[0] == 0
    assert load_bureau_year(tmp_path / "scratch").meta.slug == "haidong-emergency"


def test_a_failed_write_leaves_the_old_folder_whole(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source, folder = exported(tmp_path, capsys), edited_folder(tmp_path)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    def half_then_full_disk(by: object, target: Path, computed: bool = True) -> None:
        target.mkdir(parents=True)
        (target / "meta.toml").write_text("half", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device", str(target / "table3.csv"))

    monkeypatch.setattr(staging, "save_bureau_year", half_then_full_disk)
    code, _out, err = run(["import-json", str(source), "--out", str(folder), "--overwrite"], capsys)
    assert code == 2 and "磁盘已满" in err and "No space" not in err
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert leftovers(folder.parent) == []
    # Nothing half-written either where no folder was before.
    assert run(["import-json", str(source), "--out", str(tmp_path / "new")], capsys)[0] == 2
    assert not (tmp_path / "new").exists() and leftovers(tmp_path) == []


def test_a_folder_the_loader_cannot_read_back_is_not_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = exported(tmp_path, capsys)

    def broken_narrative(by: object, target: Path, computed: bool = True) -> None:
        save_bureau_year(by, target, computed)  # type: ignore[arg-type]
        (target / NARRATIVE_FILE).write_bytes(b"\x00")

    monkeypatch.setattr(staging, "save_bureau_year", broken_narrative)
    folder = tmp_path / "data" / "haidong-emergency" / "2021"
    code, _out, err = run(["import-json", str(source), "--out", str(folder)], capsys)
    assert code == 2 and "未写入" in err and str(folder / NARRATIVE_FILE) in err
    assert not folder.exists() and leftovers(folder.parent) == []


def test_batch_goes_on_past_an_unwritable_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fake_import: None
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "alpha-2024.txt").write_text("x\n", encoding="utf-8")
    (inbox / "beta-2024.txt").write_text("x\n", encoding="utf-8")
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    (root / "data" / "alpha").write_text("a file where a folder belongs", encoding="utf-8")
    code, out, _err = run(["import-batch", str(inbox), "--root", str(root)], capsys)
    assert code == 1
    assert "失败：alpha-2024.txt" in out and "成功：beta-2024.txt" in out
    assert load_bureau_year(root / "data" / "beta" / "2024").meta.slug == "beta"


# --- 2. render writes the format asked ----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "fmt"), [("x.pdf", "docx"), ("x.docx", "html"), ("x.html", "pdf")])
def test_render_refuses_a_name_that_says_another_format(
    name: str, fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / name
    code, _out, err = run(["render", str(SEED_DIR), "--out", str(out), "--format", fmt], capsys)
    assert code == 2
    assert str(out) in err and f"格式 {fmt}" in err
    assert not out.exists()


@pytest.mark.parametrize(("name", "magic"), [("x.pdf", b"%PDF-"), ("x.docx", b"PK"), ("x", b"<!DOCTYPE")])
def test_render_writes_the_format_its_name_says(
    name: str, magic: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / name
    assert run(["render", str(SEED_DIR), "--out", str(out)], capsys)[0] == 0
    assert out.read_bytes().startswith(magic)


def test_render_into_a_folder_writes_slug_year_html(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run(["render", str(SEED_DIR), "--out", str(tmp_path)], capsys)
    assert code == 0
    page = tmp_path / "haidong-emergency-2021.html"
    assert page.read_text("utf-8").startswith("<!DOCTYPE html>") and str(page) in err
    assert leftovers(tmp_path) == []


def test_render_refuses_a_folder_where_the_page_belongs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "haidong-emergency-2021.html").mkdir()
    code, _out, err = run(["render", str(SEED_DIR), "--out", str(tmp_path)], capsys)
    assert code == 2 and "是一个目录" in err and "haidong-emergency-2021.html" in err
    assert ".part" not in err and "Is a directory" not in err


def test_render_html_and_htm_still_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("a.html", "b.HTM"):
        assert run(["render", str(SEED_DIR), "--out", str(tmp_path / name)], capsys)[0] == 0
        assert (tmp_path / name).is_file()


# --- 3. check --json on unreadable input ---------------------------------------------------------------


def test_check_json_reports_a_missing_folder_on_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere"
    code, out, err = run(["check", str(missing), "--json"], capsys)
    assert code == 2
    assert "数据目录不存在" in err  # the stderr message stays
    payload = json.loads(out)
    assert payload["ok"] is False and payload["readable"] is False
    assert payload["findings"] == [] and payload["errors"] == 1
    assert {"slug", "year", "warnings", "notes"} <= set(payload)
    (problem,) = payload["problems"]
    assert problem["file"] == str(missing) and "数据目录不存在" in problem["message"]
    assert {"table", "row", "column", "line"} <= set(problem)


def test_check_json_locates_every_bad_cell(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "data" / "haidong-emergency" / "2021"
    shutil.copytree(SEED_DIR, folder)
    table3 = folder / "table3.csv"
    lines = table3.read_text("utf-8").split("\n")
    lines[1] = lines[1].replace(",", ",abc", 1)
    table3.write_text("\n".join(lines), encoding="utf-8")
    code, out, _err = run(["check", str(folder), "--json"], capsys)
    assert code == 2
    (problem,) = json.loads(out)["problems"]
    assert problem["file"] == str(table3) and problem["table"] == "表三"
    assert problem["row"] and problem["column"] and problem["line"] == 2


def test_check_json_of_readable_data_says_readable(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run(["check", str(SEED_DIR), "--json"], capsys)
    assert code == 0 and json.loads(out)["readable"] is True


def test_an_existing_file_as_out_is_refused_in_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = exported(tmp_path, capsys)
    blocker = tmp_path / "x"
    blocker.write_text("keep", encoding="utf-8")
    code, _out, err = run(["import-json", str(source), "--out", str(blocker), "--overwrite"], capsys)
    assert code == 2 and str(blocker) in err and "不是文件夹" in err
    assert blocker.read_text("utf-8") == "keep"


def test_new_refuses_the_name_of_the_years_index_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(["new", "index", "2024", "--name", "某局", "--root", str(tmp_path)], capsys)
    assert code == 2 and "索引页与概览" in err
    assert not (tmp_path / "data" / "index").exists()
