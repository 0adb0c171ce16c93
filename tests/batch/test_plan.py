"""Planning a batch: validation before any kernel, the filters, the fingerprint."""

from __future__ import annotations

from pathlib import Path

import pytest
from batchkit import add_bureau, make_project
from ogi_report.batch import plan as batch_plan
from ogi_report.batch.jobs import Status
from ogi_report.batch.plan import fingerprint, plan
from ogi_report.errors import UsageError
from ogi_report.storage.workspace import Workspace


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(batch_plan, "kit_version", lambda: "pinned")  # others edit the kit meanwhile
    return make_project(tmp_path)


def test_broken_params_and_data_fail_in_planning(project: Path) -> None:
    add_bureau(project, "good")
    add_bureau(project, "corrupt")
    (project / "data" / "corrupt" / "2021" / "table3.csv").write_text(
        "项目,自然人\n乱码,abc\n", encoding="utf-8"
    )
    (project / "params" / "renamed-2021.toml").write_text('slug = "other"\nyear = 2021\n', encoding="utf-8")
    (project / "params" / "typo-2021.toml").write_text(
        'slug = "typo"\nyear = 2021\ndta = "x"\n', encoding="utf-8"
    )
    (project / "params" / "Not A Name.toml").write_text('slug = "x"\n', encoding="utf-8")
    result = plan(Workspace(project), project / "output")
    assert sorted(j.slug for j in result.jobs) == ["good", "haidong-emergency"]
    known = {o.slug: o for o in result.known}
    assert set(known) == {"corrupt", "renamed", "typo"}
    assert all(o.status is Status.FAILED for o in known.values())
    assert "table3.csv" in known["corrupt"].message
    assert "other-2021.toml" in known["renamed"].message
    assert "dta" in known["typo"].message
    assert len(result.unplaced) == 1 and "Not A Name.toml" in result.unplaced[0]
    assert result.years == {2021}


def test_year_filter(project: Path) -> None:
    add_bureau(project, "later", 2022)
    assert [j.slug for j in plan(Workspace(project), project / "output", years=[2022]).jobs] == ["later"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"only": ["nobody"]}, "--only 中的 nobody 没有参数文件"),
        ({"years": [1999]}, "没有符合条件（1999）的参数文件"),
    ],
)
def test_nothing_to_render_is_a_usage_error(
    project: Path, change: dict[str, list[object]], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        plan(Workspace(project), project / "output", **change)  # type: ignore[arg-type]


def test_fingerprint_follows_what_a_render_reads(project: Path) -> None:
    folder = add_bureau(project, "fp", 2022)
    add_bureau(project, "other", 2022)
    params = Workspace(project).read_params(project / "params" / "fp-2022.toml")
    notebook = project / "notebooks" / "annual_report.ipynb"

    def fp(kit: str = "k") -> str:
        return fingerprint(params, notebook, kit)

    first = fp()
    assert fp() == first
    (project / "data" / "other" / "2022" / "narrative.md").write_text("改动别的机关\n", encoding="utf-8")
    assert fp() == first
    assert fp("k2") != first
    steps = []
    (folder / "narrative.md").write_text("改动\n", encoding="utf-8")
    steps.append(fp())
    (folder / "extra.txt").write_text("新文件\n", encoding="utf-8")
    steps.append(fp())
    add_bureau(project, "fp", 2021)  # last year's data appear: cross-year rules read them
    steps.append(fp())
    (project / "data" / "fp" / "2021" / "narrative.md").write_text("上年改动\n", encoding="utf-8")
    steps.append(fp())
    notebook.write_text(
        notebook.read_text(encoding="utf-8").replace("测试报告", "测试报告二"), encoding="utf-8"
    )
    steps.append(fp())
    (project / "params" / "fp-2022.toml").write_text('slug = "fp"\nyear = 2022\n\n', encoding="utf-8")
    steps.append(fp())
    assert len({first, *steps}) == len(steps) + 1


def test_kit_version_changes_with_the_sources() -> None:
    assert len(batch_plan.kit_version()) == 64
