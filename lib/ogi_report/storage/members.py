"""A compiled government's two files beside its data: who its members are, and what was compiled.

- ``members.toml`` (written by the analyst) lists the bodies whose tables add up to the
  government's (全市汇总): ``members = [slug, …]`` and/or ``[groups]`` with one list per group
  (``"市直部门" = [...]``, ``"县区" = [...]``).  A slug listed twice — in one list or in two groups —
  is refused, and so is the government's own slug.
- ``compiled.toml`` (written by ``ogi-report compile``, not by hand) records the provenance: each
  member's name, group and :func:`fingerprint` when it was compiled, which members were drafts,
  and the fingerprint of the compiled tables themselves.  Rule COMPILE compares them with the data
  as they are now.

A fingerprint is taken of the tables' *values* (the CSV text the kit writes for them), not of the
files: a member's CSV re-saved by Excel with other spacing, or its narrative edited, does not
change the sum and does not raise COMPILE; a changed cell does.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import tomli_w

from ogi_report.errors import DataError
from ogi_report.model.bureau import BureauYear, is_slug
from ogi_report.spec.ids import TableId
from ogi_report.spec.labels import suggestion
from ogi_report.storage.folder import table_csv
from ogi_report.storage.parsing import parse_toml
from ogi_report.storage.textfiles import read_text, write_text
from ogi_report.storage.workspace import Workspace

MEMBERS_FILE = "members.toml"
COMPILED_FILE = "compiled.toml"
MEMBERS_KEYS = ("members", "groups")
UNGROUPED = ""  # the group of a slug listed under ``members``
FINGERPRINT_CHARS = 16  # 64 bits of SHA-256: a changed cell, not an attacker, is what it must tell
_COMPILED_HEADER = (
    "# 由 ogi-report compile 生成，记录汇总时各成员的数据指纹：请勿手改。\n"
    "# 成员数据改动后，ogi-report check 会以 COMPILE 警告提示重新汇总。\n"
)


@dataclass(frozen=True)
class Member:
    """One body of a compiled government, as ``members.toml`` lists it."""

    slug: str
    group: str = UNGROUPED  # 市直部门 / 县区 …, or "" when listed under ``members``


@dataclass(frozen=True)
class CompiledMember:
    """One member as it was when the government was compiled."""

    slug: str
    name: str
    group: str
    fingerprint: str
    draft: bool = False


@dataclass(frozen=True)
class Provenance:
    """What ``compiled.toml`` records: when, from which members, and the compiled tables' fingerprint."""

    compiled_at: datetime
    members: tuple[CompiledMember, ...]
    tables: str  # the fingerprint of the government's tables as compile wrote them

    @property
    def drafts(self) -> tuple[CompiledMember, ...]:
        return tuple(m for m in self.members if m.draft)


def fingerprint(by: BureauYear) -> str:
    """The fingerprint of a bureau-year's tables: format and every cell's value (totals included)."""
    digest = hashlib.sha256(str(by.meta.format_id).encode())
    for table_id in TableId:
        digest.update(b"\0" + table_csv(by.tables[table_id]).encode("utf-8"))
    return digest.hexdigest()[:FINGERPRINT_CHARS]


def _slug_list(value: object, where: str, path: Path) -> list[str]:
    """A list of slugs, or a located DataError saying what was found."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise DataError.one(path, f'{where} 应为机关代号的列表，如 ["suqian-edu", "suqian-pub"]')
    wrong = [v for v in value if not is_slug(v)]
    if wrong:
        raise DataError.one(
            path, f"{where} 中的「{wrong[0]}」不是机关代号：应只含小写字母、数字和连字符（[a-z0-9-]+）"
        )
    return list(value)


def read_members(folder: Path, government: str) -> tuple[Member, ...]:
    """The members ``folder/members.toml`` lists for ``government``, in the order listed.

    Refused (DataError naming the file): no file, an unknown key, a slug that is no slug, a slug
    listed twice, the government itself, or no member at all.
    """
    path = folder / MEMBERS_FILE
    if not path.is_file():
        raise DataError.one(
            path,
            '找不到成员清单：请在该目录下写 members.toml，如 members = ["suqian-edu", "suqian-pub"]，'
            '或按 [groups] 分组（"市直部门" = [...]、"县区" = [...]）',
        )
    data = parse_toml(read_text(path), path)
    for key in data:
        if key not in MEMBERS_KEYS:
            raise DataError.one(path, f"未知的键「{key}」，{suggestion(key, MEMBERS_KEYS)}")
    listed = [Member(s) for s in _slug_list(data.get("members", []), "members", path)]
    groups = data.get("groups", {})
    if not isinstance(groups, dict):
        raise DataError.one(path, 'groups 应为分组表，如 [groups] 下写 "市直部门" = ["suqian-edu"]')
    for group, slugs in groups.items():
        listed += [Member(s, group) for s in _slug_list(slugs, f"groups.{group}", path)]
    seen: dict[str, Member] = {}
    for member in listed:
        if member.slug == government:
            raise DataError.one(path, f"「{government}」是汇总机关本身，不能列为自己的成员")
        if member.slug in seen:
            first = seen[member.slug].group or "members"
            raise DataError.one(
                path,
                f"成员「{member.slug}」列了两次（{first} 与 {member.group or 'members'}）："
                "重复计算会使汇总偏大",
            )
        seen[member.slug] = member
    if not listed:
        raise DataError.one(path, "成员清单为空：请在 members 或 [groups] 中列出成员机关的代号")
    return tuple(listed)


def member_folder(workspace: Workspace, slug: str, year: int) -> Path:
    """Where a member's data for ``year`` are: the folder its params file names, else the default."""
    params = workspace.params_file(slug, year)
    if params.is_file():
        return workspace.read_params(params).data
    return workspace.data_folder(slug, year)


def member_folders(workspace: Workspace, folder: Path, government: str, year: int) -> list[tuple[str, Path]]:
    """Each member a compiled government's ``folder`` names (in members.toml or compiled.toml) with
    its data folder for ``year``; empty for a body that is not compiled.

    What a render of the government reads besides its own data (rule COMPILE compares them): the
    batch fingerprints them and ships them to a cluster worker.  Files that cannot be read give
    what can be read; the render's own check names the problem.
    """
    if not ((folder / MEMBERS_FILE).is_file() or (folder / COMPILED_FILE).is_file()):
        return []
    slugs: set[str] = set()
    with contextlib.suppress(DataError):
        slugs |= {m.slug for m in read_members(folder, government)}
    with contextlib.suppress(DataError):
        if (provenance := read_provenance(folder)) is not None:
            slugs |= {m.slug for m in provenance.members if is_slug(m.slug)}
    found = []
    for slug in sorted(slugs):
        with contextlib.suppress(DataError, OSError):
            found.append((slug, member_folder(workspace, slug, year)))
    return found


def write_provenance(folder: Path, provenance: Provenance) -> Path:
    """Write ``compiled.toml`` into ``folder`` (atomically); returns its path."""
    data: dict[str, Any] = {
        "compiled_at": provenance.compiled_at,
        "tables": provenance.tables,
        "members": [
            {"slug": m.slug, "name": m.name, "group": m.group, "fingerprint": m.fingerprint, "draft": m.draft}
            for m in provenance.members
        ],
    }
    path = folder / COMPILED_FILE
    write_text(path, _COMPILED_HEADER + tomli_w.dumps(data))
    return path


def _text(entry: dict[str, Any], key: str, path: Path) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise DataError.one(path, f"members 中的 {key} 读到「{value}」，应为文字")
    return value


def read_provenance(folder: Path) -> Provenance | None:
    """What ``folder/compiled.toml`` records, or None when the bureau-year was not compiled."""
    path = folder / COMPILED_FILE
    if not path.is_file():
        return None
    data = parse_toml(read_text(path), path)
    compiled_at = data.get("compiled_at")
    if not isinstance(compiled_at, datetime):
        compiled_at = datetime.min.replace(tzinfo=UTC)
    entries = data.get("members", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise DataError.one(path, "members 应为成员表的数组（由 ogi-report compile 写出，请勿手改）")
    members = tuple(
        CompiledMember(
            _text(e, "slug", path),
            _text(e, "name", path),
            _text(e, "group", path),
            _text(e, "fingerprint", path),
            e.get("draft") is True,
        )
        for e in entries
    )
    tables = data.get("tables", "")
    return Provenance(compiled_at, members, tables if isinstance(tables, str) else "")
