"""Every rule of docs/rules.md: a rule × case grid of failing and passing cases.

Each case states the complete set of findings it implies (rule, severity, table, row, column), so
a rule that fires too often, too rarely or at the wrong place fails the test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import pytest
from kit import build_by, next_year, standard_narrative, with_cells
from ogi_report.checks.draft import fill_known
from ogi_report.checks.registry import RULES
from ogi_report.checks.runner import check
from ogi_report.model.bureau import BureauYear, PublisherType

E, W, INFO = "error", "warning", "info"
T3_RESULTS = "三、本年度办理结果"
NEW = "一、本年新收政府信息公开申请数量"
CARRIED_OVER = "二、上年结转政府信息公开申请数量"
T3A_ROW = "一＋二 与 三（七）＋四"
STD5 = "## 五、存在的主要问题及改进情况"
STD6 = "## 六、其他需要报告的事项"
HINT_TOTALS = ("T3-HINT", INFO, "表三", "", "")  # several broken totals, no single cell to blame

Key = tuple[str, str, str, str, str]
Build = Callable[[], tuple[BureauYear, BureauYear | None]]


@dataclass(frozen=True)
class Case:
    rule: str
    name: str
    build: Build
    expected: frozenset[Key]


CASES: list[Case] = []


def case(rule: str, name: str, *expected: Key) -> Callable[[Build], Build]:
    def register(build: Build) -> Build:
        CASES.append(Case(rule, name, build, frozenset(expected)))
        return build

    return register


def bump(by: BureauYear, table: str, *cells: tuple[str, str], by_: int = 1) -> BureauYear:
    return with_cells(by, table, {cell: by.tables[table].number(*cell) + by_ for cell in cells})


def narrative(by: BureauYear, old: str, new: str) -> BureauYear:
    assert old in by.narrative
    return replace(by, narrative=by.narrative.replace(old, new))


# --- T3-A ---------------------------------------------------------------------------------------
@case("T3-A", "pass-balanced")
def _t3a_pass() -> tuple[BureauYear, None]:
    return build_by(), None


@case(
    "T3-A", "fail-new-too-high", ("T3-A", E, "表三", T3A_ROW, "自然人"), ("T3-A", E, "表三", T3A_ROW, "总计")
)
def _t3a_fail() -> tuple[BureauYear, None]:
    return bump(build_by(), "t3", ("new", "natural_person"), ("new", "total")), None


@case(
    "T3-A",
    "fail-v1-carried-forward",
    ("T3-A", E, "表三", T3A_ROW, "其他"),
    ("T3-A", E, "表三", T3A_ROW, "总计"),
)
def _t3a_fail_v1() -> tuple[BureauYear, None]:
    return bump(build_by("2019"), "t3", ("carried_forward", "other_org"), ("carried_forward", "total")), None


# --- T3-B ---------------------------------------------------------------------------------------
@case(
    "T3-B",
    "pass-v1",
)
def _t3b_pass() -> tuple[BureauYear, None]:
    return build_by("2019"), None


@case(
    "T3-B",
    "fail-result-row-not-in-total",
    ("T3-B", E, "表三", "三、本年度办理结果/（七）总计", "商业企业"),
    ("T3-B", E, "表三", "三、本年度办理结果/（七）总计", "总计"),
    HINT_TOTALS,
)
def _t3b_fail() -> tuple[BureauYear, None]:
    return bump(build_by(), "t3", ("granted", "commercial"), ("granted", "total")), None


@case(
    "T3-B",
    "fail-other-sub-item",
    ("T3-B", E, "表三", "三、本年度办理结果/（七）总计", "科研机构"),
    ("T3-B", E, "表三", "三、本年度办理结果/（七）总计", "总计"),
    HINT_TOTALS,
)
def _t3b_fail_other() -> tuple[BureauYear, None]:
    return bump(build_by(), "t3", ("other.unpaid_fee", "research"), ("other.unpaid_fee", "total")), None


# --- T3-C ---------------------------------------------------------------------------------------
@case(
    "T3-C",
    "pass",
)
def _t3c_pass() -> tuple[BureauYear, None]:
    return build_by(), None


@case(
    "T3-C",
    "fail-row-total",
    ("T3-C", E, "表三", f"{T3_RESULTS}/（三）不予公开/1.属于国家秘密", "总计"),
    ("T3-B", E, "表三", "三、本年度办理结果/（七）总计", "总计"),
    ("T3-HINT", INFO, "表三", f"{T3_RESULTS}/（三）不予公开/1.属于国家秘密", "总计"),
)
def _t3c_fail() -> tuple[BureauYear, None]:
    return bump(build_by(), "t3", ("refused.state_secret", "total"), by_=7), None


@case(
    "T3-C",
    "fail-new-row",
    ("T3-C", E, "表三", NEW, "总计"),
    ("T3-A", E, "表三", T3A_ROW, "总计"),
    ("T3-HINT", INFO, "表三", NEW, "总计"),
)
def _t3c_fail_new() -> tuple[BureauYear, None]:
    return bump(build_by(), "t3", ("new", "total")), None


# --- T4 -----------------------------------------------------------------------------------------
@case("T4", "pass")
def _t4_pass() -> tuple[BureauYear, None]:
    return build_by(), None


@case("T4", "fail-review", ("T4", E, "表四", "行政复议", "总计"))
def _t4_fail() -> tuple[BureauYear, None]:
    return bump(build_by(), "t4", ("review", "total")), None


@case("T4", "fail-litigation", ("T4", E, "表四", "行政诉讼/复议后起诉", "总计"))
def _t4_fail_lit() -> tuple[BureauYear, None]:
    return bump(build_by("2019"), "t4", ("litigation_after_review", "pending")), None


# --- N ------------------------------------------------------------------------------------------
@case("N", "pass-v1-negative-change")
def _n_pass() -> tuple[BureauYear, None]:
    by = build_by("2019")
    assert by.t2.get("licensing", "change") == -1
    return by, None


@case("N", "fail-negative-count", ("N", E, "表二", "行政许可", "本年处理决定数量"))
def _n_fail() -> tuple[BureauYear, None]:
    return with_cells(build_by(), "t2", {("licensing", "decisions"): -3}), None


@case("N", "fail-negative-fee", ("N", E, "表二", "行政事业性收费", "本年收费金额（单位：万元）"))
def _n_fail_fee() -> tuple[BureauYear, None]:
    return with_cells(build_by(), "t2", {("fees_10k_yuan", "amount"): Decimal("-0.5")}), None


@case(
    "N", "fail-decimal-count", ("N", E, "表四", "行政复议", "结果维持"), ("T4", E, "表四", "行政复议", "总计")
)
def _n_fail_decimal() -> tuple[BureauYear, None]:
    return with_cells(build_by(), "t4", {("review", "upheld"): Decimal("0.5")}), None


# --- BLANK --------------------------------------------------------------------------------------
@case("BLANK", "pass-blank-in-table-2")
def _blank_pass() -> tuple[BureauYear, None]:
    return with_cells(build_by(), "t2", {("licensing", "decisions"): None}), None


@case("BLANK", "fail-table-4", ("BLANK", E, "表四", "行政复议", "结果维持"))
def _blank_fail() -> tuple[BureauYear, None]:
    by = build_by()
    assert by.t4.get("review", "upheld") == 0
    return with_cells(by, "t4", {("review", "upheld"): None}), None


@case(
    "BLANK",
    "fail-table-3",
    ("BLANK", E, "表三", f"{T3_RESULTS}/（四）无法提供/3.补正后申请内容仍不明确", "法律服务机构"),
)
def _blank_fail_t3() -> tuple[BureauYear, None]:
    return with_cells(build_by(), "t3", {("unable.unclear", "legal_service"): None}), None


# --- IMPORT -------------------------------------------------------------------------------------
def _imported(by: BureauYear, *unread: tuple[str, str, str]) -> BureauYear:
    """``by`` as an import recorded it: the cells ``unread`` could not be read from the report."""
    from ogi_report.spec.ids import TableId
    from ogi_report.storage.provenance import CellSource, Provenance, attach

    attach(by, Provenance({(TableId(t), r, c): CellSource.UNREAD for t, r, c in unread}, "report.pdf"))
    return by


@case("IMPORT", "pass-unread-cell-filled-in-by-hand")
def _import_pass() -> tuple[BureauYear, None]:
    return _imported(build_by(), ("t3", "unable.unclear", "legal_service")), None


@case(
    "IMPORT",
    "fail-unread-cell-is-not-blank",
    ("IMPORT", E, "表三", f"{T3_RESULTS}/（四）无法提供/3.补正后申请内容仍不明确", "法律服务机构"),
)
def _import_fail() -> tuple[BureauYear, None]:
    by = with_cells(build_by(), "t3", {("unable.unclear", "legal_service"): None})
    return _imported(by, ("t3", "unable.unclear", "legal_service")), None


# --- FMT ----------------------------------------------------------------------------------------
@case("FMT", "pass-2020-v1")
def _fmt_pass() -> tuple[BureauYear, None]:
    return build_by("2019", year=2020), None


@case("FMT", "fail-2021-in-v1", ("FMT", E, "基本信息", "format", ""))
def _fmt_fail() -> tuple[BureauYear, None]:
    return build_by("2019", year=2021), None


@case("FMT", "fail-2020-in-v2", ("FMT", E, "基本信息", "format", ""))
def _fmt_fail_v2() -> tuple[BureauYear, None]:
    return build_by("2021", year=2020), None


# --- X-1 ----------------------------------------------------------------------------------------
@case("X-1", "pass")
def _x1_pass() -> tuple[BureauYear, BureauYear]:
    prev = build_by()
    return next_year(prev), prev


@case("X-1", "pass-v1-to-v2")
def _x1_pass_v1() -> tuple[BureauYear, BureauYear]:
    prev = build_by("2019", year=2020)
    return next_year(prev), prev


@case("X-1", "fail", ("X-1", E, "表三", CARRIED_OVER, "法律服务机构"))
def _x1_fail() -> tuple[BureauYear, BureauYear]:
    prev = build_by()
    return next_year(prev), bump(prev, "t3", ("carried_forward", "legal_service"))


# --- X-2 ----------------------------------------------------------------------------------------
@case("X-2", "pass")
def _x2_pass() -> tuple[BureauYear, BureauYear]:
    prev = build_by()
    return next_year(prev), prev


@case("X-2", "fail-clean-up", ("X-2", W, "表二", "行政规范性文件", "现行有效件数"))
def _x2_fail() -> tuple[BureauYear, BureauYear]:
    prev = build_by()
    return bump(next_year(prev), "t2", ("normative_documents", "in_force"), by_=-5), prev


# --- TXT ----------------------------------------------------------------------------------------
@case("TXT", "pass-placeholders")
def _txt_pass() -> tuple[BureauYear, None]:
    return build_by(), None


@case("TXT", "pass-filing-figures")
def _txt_pass_filing() -> tuple[BureauYear, None]:
    by = build_by()
    return narrative(
        by, "本年度未收取", "全市全年备案政府信息依申请公开领域行政复议案件134件。本年度未收取"
    ), None


@case("TXT", "fail-literal", ("TXT", W, "正文（第29行）", "表三「一、本年新收政府信息公开申请数量」总计", ""))
def _txt_fail() -> tuple[BureauYear, None]:
    return narrative(build_by(), "{{ t3.new }}", "99"), None


# --- S5 -----------------------------------------------------------------------------------------
@case("S5", "pass")
def _s5_pass() -> tuple[BureauYear, None]:
    return build_by(), None


@case("S5", "fail-only-wu", ("S5", W, "正文", "五、存在的主要问题及改进情况", ""))
def _s5_fail() -> tuple[BureauYear, None]:
    return narrative(build_by(), "一是政策解读仍需加强。下一步将加强培训。", "无。"), None


@case(
    "S5",
    "fail-missing",
    ("S5", W, "正文", "", ""),
    ("STRUCT", W, "正文", "", ""),
)
def _s5_missing() -> tuple[BureauYear, None]:
    return narrative(build_by(), STD5 + "\n", ""), None


# --- S6-FEE -------------------------------------------------------------------------------------
@case("S6-FEE", "pass-v1-no-statement")
def _fee_pass_v1() -> tuple[BureauYear, None]:
    return narrative(build_by("2019"), "本年度未收取信息处理费。", "无。"), None


@case("S6-FEE", "pass-amount")
def _fee_pass() -> tuple[BureauYear, None]:
    return narrative(build_by(), "本年度未收取信息处理费。", "全年收取政府信息公开信息处理费 3940 元。"), None


@case("S6-FEE", "fail-no-statement", ("S6-FEE", W, "正文", "六、其他需要报告的事项", ""))
def _fee_fail() -> tuple[BureauYear, None]:
    return narrative(build_by(), "本年度未收取信息处理费。", "无其他需要报告的事项。"), None


# --- STRUCT -------------------------------------------------------------------------------------
@case("STRUCT", "pass-v1-variant-heading")
def _struct_pass() -> tuple[BureauYear, None]:
    return narrative(build_by("2019"), STD5, "## 五、政府信息公开工作存在的主要问题及改进情况"), None


@case("STRUCT", "pass-spacing-and-brackets")
def _struct_pass_spacing() -> tuple[BureauYear, None]:
    return narrative(build_by(), "## 一、总体情况", "##  一、 总体情况 "), None


@case("STRUCT", "fail-mistyped", ("STRUCT", W, "正文", "四、政府信息公开行政法复议、行政诉讼情况", ""))
def _struct_fail() -> tuple[BureauYear, None]:
    return narrative(build_by(), "## 四、政府信息公开行政复议", "## 四、政府信息公开行政法复议"), None


@case(
    "STRUCT",
    "fail-order",
    ("STRUCT", W, "正文", "五、存在的主要问题及改进情况", ""),
)
def _struct_fail_order() -> tuple[BureauYear, None]:
    by = build_by()
    five = by.narrative.index(STD5)
    six = by.narrative.index(STD6)
    text = by.narrative[:five] + by.narrative[six:] + "\n" + by.narrative[five:six]
    return replace(by, narrative=text), None


@case(
    "STRUCT",
    "fail-seed-headings",
    ("STRUCT", W, "正文", "五、存在问题与不足", ""),
    ("STRUCT", W, "正文", "六、下一步工作思路", ""),
    ("S6-FEE", W, "正文", "六、下一步工作思路", ""),
)
def _struct_fail_seed() -> tuple[BureauYear, None]:
    by = narrative(build_by(), STD5, "## 五、存在问题与不足")
    by = narrative(by, STD6, "## 六、下一步工作思路")
    return narrative(by, "本年度未收取信息处理费。", "继续做好公开工作。"), None


@case(
    "STRUCT",
    "fail-unknown-and-duplicate",
    ("STRUCT", W, "正文", "附件", ""),
    ("STRUCT", W, "正文", "五、存在的主要问题及改进情况", ""),
)
def _struct_fail_extra() -> tuple[BureauYear, None]:
    by = build_by()
    return replace(
        by, narrative=by.narrative + "\n## 附件\n\n无\n\n## 五、存在的主要问题及改进情况\n\n再写一次。\n"
    ), None


_ONE = "## 一、总体情况"
_BARE_LINE = build_by().narrative.splitlines().index(_ONE) + 1


@case("STRUCT", "fail-heading-without-hashes", ("STRUCT", W, "正文", f"第{_BARE_LINE}行", ""))
def _struct_fail_bare() -> tuple[BureauYear, None]:
    return narrative(build_by(), _ONE, "一、总体情况"), None


# --- T3-HINT ------------------------------------------------------------------------------------
@case(
    "T3-HINT",
    "pass-no-single-cell-and-no-given-total",
    ("T3-A", E, "表三", T3A_ROW, "自然人"),
    ("T3-A", E, "表三", T3A_ROW, "总计"),
)
def _hint_pass() -> tuple[BureauYear, None]:
    # Two cells changed together: no one cell explains both errors, and no given total is broken.
    return bump(build_by(), "t3", ("new", "natural_person"), ("new", "total")), None


@case(
    "T3-HINT",
    "fail-one-cell-explains-all",
    ("T3-B", E, "表三", f"{T3_RESULTS}/（七）总计", "自然人"),
    ("T3-C", E, "表三", f"{T3_RESULTS}/（一）予以公开", "总计"),
    ("T3-HINT", INFO, "表三", f"{T3_RESULTS}/（一）予以公开", "自然人"),
)
def _hint_fail() -> tuple[BureauYear, None]:
    return bump(build_by(), "t3", ("granted", "natural_person")), None


# --- PLACEHOLDER --------------------------------------------------------------------------------
@case("PLACEHOLDER", "pass-labels-and-keys")
def _placeholder_pass() -> tuple[BureauYear, None]:
    text = "\n\n行政复议{{ t4.行政复议 }}件，诉讼{{ t4.行政诉讼 }}件。"
    return narrative(build_by(), STD5, STD5 + text), None


@case("PLACEHOLDER", "fail-typo", ("PLACEHOLDER", E, "正文（第35行）", "", ""))
def _placeholder_fail() -> tuple[BureauYear, None]:
    return narrative(build_by(), STD5, STD5 + "\n\n新收{{ t3.nwe }}件。"), None


# --- DRAFT --------------------------------------------------------------------------------------
@case("DRAFT", "pass-written-and-dated")
def _draft_pass() -> tuple[BureauYear, None]:
    return build_by(), None


@case("DRAFT", "fail-template-prompt", ("DRAFT", E, "正文", "", ""))
def _draft_fail_fill_in() -> tuple[BureauYear, None]:
    return narrative(build_by(), STD5, STD5 + "\n\n（请填写）\n\n（请填写：其他事项）"), None


@case("DRAFT", "fail-meta-to-review", ("DRAFT", E, "基本信息", "signature", ""))
def _draft_fail_meta() -> tuple[BureauYear, None]:
    by = build_by()
    return replace(by, meta=replace(by.meta, signature="（请核对：示例市示例局）")), None


# --- DATE ---------------------------------------------------------------------------------------
@case("DATE", "pass-on-deadline")
def _date_pass() -> tuple[BureauYear, None]:
    return build_by(publish_date=date(2022, 1, 31)), None


@case("DATE", "pass-government-march")
def _date_pass_gov() -> tuple[BureauYear, None]:
    return build_by(publish_date=date(2022, 3, 31), publisher=PublisherType.GOVERNMENT), None


@case("DATE", "fail-department-late", ("DATE", W, "基本信息", "publish_date", ""))
def _date_fail() -> tuple[BureauYear, None]:
    return build_by(publish_date=date(2022, 2, 1)), None


@case(
    "DATE",
    "fail-missing",
    ("DATE", W, "基本信息", "publish_date", ""),
    ("DRAFT", E, "基本信息", "publish_date", ""),
)
def _date_missing() -> tuple[BureauYear, None]:
    return build_by(publish_date=None), None


@case("DATE", "fail-local-deadline", ("DATE", W, "基本信息", "publish_date", ""))
def _date_local() -> tuple[BureauYear, None]:
    by = build_by(publish_date=date(2022, 1, 20))
    return replace(by, meta=replace(by.meta, deadline=date(2022, 1, 15))), None


@case("DATE", "fail-before-the-year-ends", ("DATE", W, "基本信息", "publish_date", ""))
def _date_early() -> tuple[BureauYear, None]:
    return build_by(publish_date=date(2021, 12, 20)), None  # 2021 typed for 2022


# --- COPY (more in test_copy.py) -----------------------------------------------------------------
@case("COPY", "pass-rewritten")
def _copy_pass() -> tuple[BureauYear, BureauYear]:
    prev = build_by()
    return next_year(prev), prev


@case("COPY", "fail-last-years-text", ("COPY", W, "正文", "", ""), ("COPY", W, "正文（第1–29行）", "", ""))
def _copy_fail() -> tuple[BureauYear, BureauYear]:
    prev = build_by()
    return replace(next_year(prev), narrative=prev.narrative), prev


# --- COMPILE (more in tests/compiling) ----------------------------------------------------------
@case("COMPILE", "pass-not-compiled")
def _compile_pass() -> tuple[BureauYear, None]:
    return build_by(), None


@case("COMPILE", "fail-member-changed", ("COMPILE", W, "基本信息", "member-a", ""))
def _compile_fail() -> tuple[BureauYear, BureauYear | None]:
    from ogi_report.checks.reference import EXAMPLES
    from ogi_report.spec.ids import RuleId

    return EXAMPLES[RuleId.COMPILE]()


def _key(f: object) -> Key:
    from ogi_report.checks.findings import Finding

    assert isinstance(f, Finding)
    return (f.rule, f.severity.value, f.table, f.row, f.column)


@pytest.mark.parametrize("c", CASES, ids=[f"{c.rule}-{c.name}" for c in CASES])
def test_rule_case(c: Case) -> None:
    by, previous = c.build()
    result = check(by, previous, text=fill_known(by))  # as `ogi-report check` runs them
    assert {_key(f) for f in result.findings} == set(c.expected)
    assert len(result.findings) == len(c.expected)
    outcome = next(o for o in result.outcomes if o.rule.id == c.rule)
    assert outcome.applicable
    assert outcome.passed == (not any(k[0] == c.rule for k in c.expected))
    assert result.ok == (not any(k[1] == E for k in c.expected))


def test_every_rule_has_a_passing_and_a_failing_case() -> None:
    assert set(RULES) == {
        "T3-A",
        "T3-B",
        "T3-C",
        "T3-HINT",
        "T4",
        "N",
        "BLANK",
        "IMPORT",
        "FMT",
        "X-1",
        "X-2",
        "TXT",
        "S5",
        "S6-FEE",
        "STRUCT",
        "DATE",
        "PLACEHOLDER",
        "DRAFT",
        "COPY",
        "COMPILE",
    }
    for rule_id in RULES:
        names = [c.name for c in CASES if c.rule == rule_id]
        assert any(n.startswith("pass") for n in names), rule_id
        assert any(n.startswith("fail") for n in names), rule_id


def test_standard_narrative_is_the_fixture_default() -> None:
    assert build_by().narrative == standard_narrative()
