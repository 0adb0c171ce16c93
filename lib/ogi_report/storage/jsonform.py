"""The JSON form of a bureau-year (``export-json`` / ``import-json``): lossless, stable English keys.

An imported bureau-year carries its import record (:mod:`ogi_report.storage.provenance`) under the
optional top-level key ``import``, the content of its ``import.json``: read back, it is attached
to the bureau-year, so ``check`` still tells cells the import could not read from cells the report
printed blank.  A form without the key is data typed in by hand, as before.
"""

from __future__ import annotations

import json
from typing import Any

from ogi_report.errors import DataError
from ogi_report.model.bureau import BureauYear, Table
from ogi_report.spec.formats import TABLE_IDS, find_format, format_for_year
from ogi_report.spec.labels import suggestion
from ogi_report.storage.mappings import (
    Collector,
    meta_from_mapping,
    meta_to_mapping,
    table_from_json,
    table_to_json,
)
from ogi_report.storage.parsing import parse_json
from ogi_report.storage.provenance import Provenance, attach, provenance_from_data, provenance_to_data

IMPORT_KEY = "import"  # the import record, as in import.json; optional
TOP_KEYS = ("format", "meta", *TABLE_IDS, "narrative", IMPORT_KEY)
MAX_JSON_BYTES = 5 * 1024 * 1024


def to_data(by: BureauYear, provenance: Provenance | None = None) -> dict[str, Any]:
    """The JSON-ready mapping of a bureau-year, with its import record when it has one."""
    data: dict[str, Any] = {
        "format": by.meta.format_id,
        "meta": meta_to_mapping(by.meta, dates_as_text=True),
        **{table_id: table_to_json(by.tables[table_id]) for table_id in TABLE_IDS},
        "narrative": by.narrative,
    }
    if provenance is not None:
        data[IMPORT_KEY] = provenance_to_data(provenance.within(by.format))
    return data


def dumps(by: BureauYear, provenance: Provenance | None = None) -> str:
    """The JSON form's text (see :func:`to_data`)."""
    return json.dumps(to_data(by, provenance), ensure_ascii=False, indent=2) + "\n"


def loads(text: str, source: str) -> BureauYear:
    """Parse the JSON form; every problem is collected into one :class:`DataError`."""
    return from_data(parse_json(text, source), source)


def loads_with_provenance(text: str, source: str) -> tuple[BureauYear, Provenance | None]:
    """:func:`loads`, and the import record the form carries (None without the ``import`` key)."""
    return _read(parse_json(text, source), source)


def from_data(data: Any, source: str) -> BureauYear:
    """Build a bureau-year from the parsed JSON form (decimals may be Decimal, str or int); an
    import record it carries is attached to it (:func:`~ogi_report.storage.provenance.attach`)."""
    return _read(data, source)[0]


def _read(data: Any, source: str) -> tuple[BureauYear, Provenance | None]:
    out = Collector(source)
    if not isinstance(data, dict):
        raise DataError.one(source, "JSON 顶层应为对象")
    for key in data:
        if key not in TOP_KEYS:
            out.add(f"未知的键「{key}」，{suggestion(key, TOP_KEYS)}")
    meta_raw = data.get("meta")
    if not isinstance(meta_raw, dict):
        raise DataError.one(source, "缺少「meta」对象")
    meta_raw = dict(meta_raw)
    if "format" in data:
        if "format" in meta_raw and str(meta_raw["format"]) != str(data["format"]):
            out.add(f"「format」为 {data['format']}，但 meta.format 为 {meta_raw['format']}")
        meta_raw["format"] = str(data["format"])
    meta = meta_from_mapping(meta_raw, out)
    narrative = data.get("narrative", "")
    if not isinstance(narrative, str):
        out.add("「narrative」应为 Markdown 文字")
        narrative = ""
    tables: dict[str, Table] = {}
    # Even when meta has problems, the tables are checked too, so every problem is reported at once.
    fmt = find_format(meta.format_id if meta else str(meta_raw.get("format", "")))
    if fmt is None and meta is None and isinstance(meta_raw.get("year"), int):
        fmt = format_for_year(meta_raw["year"])
    if fmt is not None:
        for spec in fmt.tables:
            if spec.id not in data:
                out.add(f"缺少「{spec.id}」（{spec.name}）")
                continue
            table = table_from_json(spec, data[spec.id], out)
            if table is not None:
                tables[spec.id] = table
    provenance = None
    if IMPORT_KEY in data:
        provenance = provenance_from_data(data[IMPORT_KEY], fmt, out, IMPORT_KEY)
    if out.problems or meta is None:
        raise DataError(out.problems)
    by = BureauYear(meta, tables, narrative, source=source)
    if provenance is not None:
        attach(by, provenance)
    return by, provenance
