"""Every declared rule, by id, in the order the rules run and the 数据校验 appendix lists them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

from ogi_report.checks import cause, compiled, copying, crossyear, draft, imported, meta, narrative, tables
from ogi_report.checks.declaration import Rule
from ogi_report.spec.ids import RuleId

DECLARED: tuple[Rule, ...] = (
    *tables.RULES,
    *imported.RULES,
    *cause.RULES,
    *meta.RULES,
    *crossyear.RULES,
    *narrative.RULES,
    *draft.RULES,
    *copying.RULES,
    *compiled.RULES,
)


def by_id(declared: Sequence[Rule]) -> Mapping[RuleId, Rule]:
    """The declarations in :class:`RuleId` order; every id must be declared exactly once."""
    ids = [r.id for r in declared]
    wrong = sorted({i for i in ids if ids.count(i) != 1} | (set(RuleId) - set(ids)))
    if wrong:
        raise ValueError(f"rules not declared exactly once: {', '.join(wrong)}")
    return MappingProxyType({rule_id: next(r for r in declared if r.id == rule_id) for rule_id in RuleId})


RULES = by_id(DECLARED)
