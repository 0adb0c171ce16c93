"""Bureau-years on disk and in the interchange forms, read with every problem located.

- :mod:`.folder`: the bureau-year folder (``meta.toml``, ``table2–4.csv``, ``narrative.md``);
- :mod:`.jsonform`: the lossless JSON form (``export-json`` / ``import-json``), documented by
  :mod:`.jsondoc` (``docs/json.md``), both built on the mapping checks of :mod:`.mappings`;
- :mod:`.xlsx`: the Excel workbook in the official layout, and back (imports openpyxl, so it is
  imported by name, not from here);
- :mod:`.staging`: writing an imported folder atomically without clobbering an analyst's edits;
- :mod:`.provenance`: an import's record of each cell (``import.json``: read, computed, unread…),
  carried by the JSON form (key ``import``) and the workbook (hidden sheet 导入记录) too;
- :mod:`.textfiles`: bounded reads, the encodings Excel and WPS write, atomic writes;
- :mod:`.archives`: zip-packaged documents (.xlsx, .docx) refused before anything is unpacked;
- :mod:`.workspace`: the project — its root, ``data/`` and ``params/`` — and loading a bureau-year
  with last year's beside it; :mod:`.scaffold`: a new bureau-year's files (``ogi-report new``).

Importing this package imports no third-party reader (openpyxl, pdfplumber, python-docx).
"""

from ogi_report.storage import jsonform
from ogi_report.storage.archives import WORD_DOCUMENT, WORKBOOK, ZipDocument, check_archive
from ogi_report.storage.folder import (
    META_FILE,
    NARRATIVE_FILE,
    TABLE_FILES,
    load_bureau_year,
    meta_toml,
    read_meta,
    save_bureau_year,
    table_csv,
)
from ogi_report.storage.jsondoc import json_reference
from ogi_report.storage.mappings import CONTACT_KEYS, META_KEYS
from ogi_report.storage.staging import add_out_args, refuse_existing, write_imported
from ogi_report.storage.textfiles import (
    atomic_writer,
    decode_text,
    read_bytes,
    read_text,
    write_bytes,
    write_text,
)
from ogi_report.storage.workspace import Loaded, Workspace, load, load_for

__all__ = [
    "CONTACT_KEYS",
    "META_FILE",
    "META_KEYS",
    "NARRATIVE_FILE",
    "TABLE_FILES",
    "WORD_DOCUMENT",
    "WORKBOOK",
    "Loaded",
    "Workspace",
    "ZipDocument",
    "add_out_args",
    "atomic_writer",
    "check_archive",
    "decode_text",
    "json_reference",
    "jsonform",
    "load",
    "load_bureau_year",
    "load_for",
    "meta_toml",
    "read_bytes",
    "read_meta",
    "read_text",
    "refuse_existing",
    "save_bureau_year",
    "table_csv",
    "write_bytes",
    "write_imported",
    "write_text",
]
