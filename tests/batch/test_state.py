"""The state recorded beside a bureau-year's outputs: typed findings survive the JSON round trip."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from ogi_report.batch.jobs import Outcome, Status
from ogi_report.batch.state import read_state, read_states, record_outcome, state_path, write_state
from ogi_report.checks.findings import Finding, Severity

FINDINGS = (
    Finding("T3-A", Severity.ERROR, "总计不符", "表三", "（七）总计", "自然人", "5", "6"),
    Finding("S5", Severity.WARNING, "第五部分只写了“无”", "正文"),
)
OUTCOME = Outcome(
    "a-bureau",
    2021,
    "甲局",
    Status.DRAFT,
    errors=1,
    warnings=1,
    findings=FINDINGS,
    outputs={"html": "a-bureau.html", "ipynb": "executed/a-bureau.ipynb"},
    seconds=1.5,
    fingerprint="f" * 64,
)


def test_findings_round_trip_as_findings(tmp_path: Path) -> None:
    write_state(tmp_path, OUTCOME)
    back = read_state(tmp_path, "a-bureau")
    assert back == OUTCOME
    assert back is not None and all(isinstance(f, Finding) for f in back.findings)
    assert back.findings[0].severity is Severity.ERROR


def test_the_json_holds_findings_in_their_dict_form(tmp_path: Path) -> None:
    write_state(tmp_path, OUTCOME)
    data = json.loads(state_path(tmp_path, "a-bureau").read_text(encoding="utf-8"))
    assert data["findings"] == [f.to_dict() for f in FINDINGS]
    assert data["findings"][0]["location"] == "表三 / 行「（七）总计」 / 列「自然人」"
    assert data["status"] == "draft" and "skipped" not in data and data["recorded_at"]


def test_an_unreadable_state_is_no_state(tmp_path: Path) -> None:
    write_state(tmp_path, OUTCOME)
    write_state(tmp_path, replace(OUTCOME, slug="b-bureau"))
    broken = json.loads(state_path(tmp_path, "b-bureau").read_text(encoding="utf-8"))
    broken["findings"][0]["severity"] = "fatal"  # not a Severity
    state_path(tmp_path, "b-bureau").write_text(json.dumps(broken), encoding="utf-8")
    assert read_state(tmp_path, "b-bureau") is None
    assert [o.slug for o in read_states(tmp_path)] == ["a-bureau"]


def test_recording_keeps_the_findings_and_drops_outputs_of_other_inputs(tmp_path: Path) -> None:
    (tmp_path / "a-bureau.html").write_text("新", encoding="utf-8")
    (tmp_path / "a-bureau.pdf").write_text("旧", encoding="utf-8")
    write_state(tmp_path, replace(OUTCOME, fingerprint="old", outputs={"pdf": "a-bureau.pdf"}))
    recorded, warnings = record_outcome(tmp_path, OUTCOME)
    assert warnings == [] and not (tmp_path / "a-bureau.pdf").exists()
    assert recorded.findings == FINDINGS and "pdf" not in recorded.outputs
    assert read_state(tmp_path, "a-bureau") == recorded
