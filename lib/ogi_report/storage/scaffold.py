"""``ogi-report new``: a fresh bureau-year folder and params file, pre-filled from last year."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ogi_report.errors import DataError, Problem
from ogi_report.model.bureau import BureauYear, Meta, Table, recompute, zero_table
from ogi_report.model.narrative import FILL_IN
from ogi_report.model.values import Value
from ogi_report.spec.formats import Cell, FormatSpec, TableId, format_for_year
from ogi_report.spec.ids import FormatId
from ogi_report.storage.folder import load_bureau_year, save_bureau_year
from ogi_report.storage.mappings import CONTACT_KEYS
from ogi_report.storage.workspace import Workspace

# What the templates leave for the analyst: 「（请填写）」, 「（请填写：…）」 and, in a body copied with
# ``new --from``, 「（请改写：…）」 and 「（请核对：…）」.  A report holding one is a draft (rule DRAFT).
# A copied value may hold parentheses of its own (宿迁市（全市）): one level is allowed inside.
PROMPT = re.compile(r"（请(?:填写|改写|核对)(?:[^（）\n]|（[^（）\n]*）){0,200}）")
REWRITE = "（请改写）"  # before every paragraph of a narrative copied by ``new --from``


def prompt(what: str) -> str:
    """A template prompt: where the analyst's own words belong, saying what to write (a draft
    until replaced, see :data:`PROMPT`)."""
    return f"（请填写：{what}）"


def skeleton(fmt: FormatSpec) -> str:
    """The narrative skeleton: an opening paragraph, the six standard headings, 一's five sub-heads,
    and in every section a prompt saying what to write.

    It asserts no fact the analyst has not given: figures come from the tables through placeholders,
    and whatever only the analyst knows (the fee collected, the problems met) is a prompt, so a
    report left as the template is a draft (rule DRAFT) rather than a plausible false statement.
    """
    opening = (
        "根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和"
        f"《{fmt.name}》（{fmt.basis}）要求，{{{{ name }}}}编制本报告。"
        "全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。"
        "本报告所列数据的统计期限自{{ year }}年1月1日起至{{ year }}年12月31日止。"
    )
    parts = [opening, ""]
    for section in fmt.sections:
        parts += [f"## {section.heading}", ""]
        for sub in section.subheads:
            parts += [f"### {sub}", "", FILL_IN, ""]
        prompts = _section_prompt(section.number, fmt)
        parts += [*prompts, ""] if prompts else []
    return "\n".join(parts)


def _section_prompt(number: str, fmt: FormatSpec) -> list[str]:
    """What the skeleton writes under section ``number`` besides its sub-heads."""
    if number == "二":
        return [prompt("本年度主动公开政府信息的情况，如制发、废止规章和行政规范性文件，下表为统计数据")]
    if number == "三":
        return [
            "本年新收政府信息公开申请{{ t3.new }}件，上年结转{{ t3.carried_over }}件，"
            "结转下年度继续办理{{ t3.carried_forward }}件。",
            "",
            prompt("办理政府信息公开申请的情况说明"),
        ]
    if number == "四":
        return [
            "本年度发生政府信息公开行政复议{{ t4.review }}件，行政诉讼{{ t4.行政诉讼 }}件。",
            "",
            prompt("行政复议、行政诉讼的情况说明"),
        ]
    if number == "五":
        return [prompt("存在的主要问题及改进情况，不能只写“无”")]
    if number == "六" and fmt.id == FormatId.V2021:
        return [
            prompt(
                "是否收取信息处理费：收取的写明“收取信息处理费×元”，未收取的写明“本年度无收取信息处理费情况”；"
                "以及其他需要报告的事项"
            )
        ]
    if number == "六":
        return [prompt("其他需要报告的事项；没有的写明“无”")]
    return [] if number == "一" else [FILL_IN]


def create(
    workspace: Workspace,
    slug: str,
    year: int,
    name: str,
    publisher: str | None,
    source_slug: str | None = None,
) -> tuple[Path, Path]:
    """Create ``data/<slug>/<year>/`` and ``params/<slug>-<year>.toml``; never overwrite.

    With ``source_slug`` the new body starts from another body's report (:func:`copied_from`)
    instead of the blank template; ``publisher`` then defaults to that body's.
    """
    slug = workspace.validate_slug(slug, "slug")
    year = workspace.validate_year(year, "year")
    if not name.strip():
        raise DataError.one("--name", "机关名称不能为空")
    source = _source_report(workspace, source_slug, year) if source_slug is not None else None
    if publisher is None and source is None:
        raise DataError.one("--type", "请用 --type 指明 department（部门）或 government（政府）")
    ptype = (
        source.meta.publisher_type
        if publisher is None and source
        else workspace.validate_publisher(publisher, "--type")
    )
    folder = workspace.data_folder(slug, year)
    params_file = workspace.params_file(slug, year)
    for path in (folder, params_file):
        if path.exists():
            raise DataError.one(path, "已存在，未做任何修改（如需重建请先移走它）")
    fmt = format_for_year(year)
    tables: dict[str, Table] = {spec.id: zero_table(spec) for spec in fmt.tables}
    prev_dir = workspace.data_folder(slug, year - 1)
    if prev_dir.is_dir():
        try:
            previous = load_bureau_year(prev_dir)
        except DataError as exc:
            # Pre-filling from broken figures would carry last year's mistake into this year.
            lead = Problem(
                str(prev_dir), "上年数据有误，无法预填「上年结转」与现行有效件数；请先修正以下问题"
            )
            raise DataError([lead, *exc.problems]) from None
        tables = carry_forward(tables, previous)
    meta = Meta(name=name.strip(), slug=slug, year=year, publisher_type=ptype, format_id=fmt.id)
    narrative = skeleton(fmt)
    if source is not None:
        meta, narrative = copied_from(source, meta)
    # Totals left empty: computed from whatever the analyst fills in, until they type their own.
    save_bureau_year(BureauYear(meta, tables, narrative), folder, computed=False)
    return folder, workspace.write_params(slug, year)


def _source_report(workspace: Workspace, source_slug: str, year: int) -> BureauYear:
    """The report ``new --from`` copies: the other body's year ``year``, else its latest before it,
    else its earliest."""
    source_slug = workspace.validate_slug(source_slug, "--from")
    body = workspace.data_folder(source_slug, year).parent
    years = (
        sorted(int(p.name) for p in body.iterdir() if p.is_dir() and p.name.isdigit())
        if body.is_dir()
        else []
    )
    if not years:
        raise DataError.one(
            body, f"--from {source_slug}：没有这个机关的数据目录（应为 data/{source_slug}/<年度>/）"
        )
    chosen = max((y for y in years if y <= year), default=years[0])
    folder = workspace.data_folder(source_slug, chosen)
    try:
        return load_bureau_year(folder)
    except DataError as exc:
        lead = Problem(str(folder), f"--from {source_slug}：该报告的数据有误，无法复制；请先修正以下问题")
        raise DataError([lead, *exc.problems]) from None


def copied_from(source: BureauYear, meta: Meta) -> tuple[Meta, str]:
    """The meta and narrative a new body starts from when it copies ``source``'s report.

    Only the structure is taken, never a fact: the tables stay blank (or carried from the body's own
    last year); the narrative keeps the other body's wording as a draft to rewrite — its name and
    year become placeholders, and every paragraph starts with 「（请改写）」; the signature, masthead
    and contact details become 「（请核对：…）」 with the other body's name replaced.  Until each is
    dealt with the report is a draft (rule DRAFT), so a copied sentence is never published unread.
    """
    old, new = source.meta.name, meta.name

    def review(value: str) -> str:
        return f"（请核对：{value.replace(old, new)}）" if value.strip() else ""

    contact = replace(
        source.meta.contact, **{k: review(getattr(source.meta.contact, k)) for k in CONTACT_KEYS}
    )
    copied = replace(
        meta, signature=review(source.meta.signature), masthead=review(source.meta.masthead), contact=contact
    )
    lines = [
        f"{REWRITE[:-1]}：以下正文复制自「{old}」{source.meta.year}年的报告，只作结构参考；"
        "请逐段改写为本机关本年度的情况，改完一段删去该段前的「（请改写）」，最后删去本段）",
        "",
    ]
    text = source.narrative.replace(old, "{{ name }}").replace(f"{source.meta.year}年", "{{ year }}年")
    fence = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fence = not fence
        if line.strip() and not fence and not line.lstrip().startswith("#"):
            line = REWRITE + line
        lines.append(line)
    return copied, "\n".join(lines) + "\n"


def carry_forward(tables: dict[str, Table], previous: BureauYear) -> dict[str, Table]:
    """Pre-fill 二、上年结转 from last year's 结转下年度 and 现行有效 baselines from last year."""
    t3 = tables[TableId.T3]
    changes: dict[Cell, Value] = {
        ("carried_over", col.key): previous.t3.get("carried_forward", col.key)
        for col in t3.spec.blocks[0].columns
        if not col.total  # the 总计 column stays computed, so it follows the analyst's edits
    }
    t2 = tables[TableId.T2]
    t2_changes: dict[Cell, Value] = {}
    prev_cols = {c.key for c in previous.t2.spec.blocks[0].columns}
    if "in_force" in prev_cols:
        for row in t2.spec.blocks[0].rows:
            t2_changes[(row.key, "in_force")] = previous.t2.get(row.key, "in_force")
    # A carried-over count is also part of the applications to be handled: keep 四 balanced by
    # leaving it in 结转下年度 until the analyst records the results.
    carried = {("carried_forward", key): value for (_row, key), value in changes.items()}
    result = dict(tables)
    result[TableId.T3] = recompute(t3.replace({**changes, **carried}))
    result[TableId.T2] = recompute(t2.replace(t2_changes))
    return result
