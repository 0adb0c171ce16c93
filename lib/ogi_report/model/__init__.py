"""One bureau-year in memory: its meta, its three tables with their cell values, its narrative
(split into sections, placeholders filled), the figures the narrative quotes, and a table's values
in its printed grid.  Independent of files, notebooks and HTML.
"""

from ogi_report.model.bureau import (
    BureauYear,
    Contact,
    Meta,
    PublisherType,
    Table,
    complete_table,
    missing_cells,
    recompute,
    sum_values,
    zero_table,
)
from ogi_report.model.figures import Figure, Measure, narrative_figures
from ogi_report.model.narrative import (
    FILL_IN,
    Narrative,
    Section,
    fill,
    resolve,
    section_spec,
    split_sections,
)
from ogi_report.model.printed import printed_grid, table_grid
from ogi_report.model.values import Value, format_value, parse_value

__all__ = [
    "FILL_IN",
    "BureauYear",
    "Contact",
    "Figure",
    "Measure",
    "Meta",
    "Narrative",
    "PublisherType",
    "Section",
    "Table",
    "Value",
    "complete_table",
    "fill",
    "format_value",
    "missing_cells",
    "narrative_figures",
    "parse_value",
    "printed_grid",
    "recompute",
    "resolve",
    "section_spec",
    "split_sections",
    "sum_values",
    "table_grid",
    "zero_table",
]
