"""The report's PDF, typeset by Typst in this process: PDF/A-2b, tagged, with bookmarks and CID fonts.

A :class:`Typesetter` holds one Typst compiler with the template (``report.typ``, beside this
module) and the fonts of the role chains (:mod:`ogi_report.render.fonts`) loaded once; a batch
worker, the nbconvert exporter and ``ogi-report render --format pdf`` each keep one and typeset
report after report with it (Typst compiles incrementally: after the first report, fonts and the
template are reused).  The report reaches the template as JSON in ``sys.inputs``
(:mod:`ogi_report.render.pdf.data`), never as markup.

Before compiling, every character is checked against its role's chain
(:func:`~ogi_report.render.fonts.check_glyphs`): Typst is told to fall back within the chain only,
so a character the check passes has a real glyph and one it refuses would have printed as tofu.

The PDF's creation date is the report's publish date (else the last day of the year reported
on), so the same data give the same bytes.
Typst's text layer maps every glyph to the character typeset (no repair step is needed).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Final

import typst

from ogi_report.errors import RenderError
from ogi_report.render.fonts import FontSetup, Role, check_glyphs, load_setup
from ogi_report.render.model import Edition, Report
from ogi_report.render.pdf.data import document_date, report_data, role_texts
from ogi_report.storage.textfiles import write_bytes

TEMPLATE = Path(__file__).with_name("report.typ")
PDF_STANDARD: Final = "a-2b"
CHINA = timezone(timedelta(hours=8))
REGULAR, BOLD = 400, 700


class Typesetter:
    """One Typst compiler, its template and fonts, typesetting many reports (built lazily)."""

    def __init__(self, fonts: FontSetup | None = None) -> None:
        self.fonts = fonts if fonts is not None else load_setup()
        self._compiler: typst.Compiler | None = None
        self._roles: dict[str, dict[str, Any]] = {}

    def _start(self) -> typst.Compiler:
        if self._compiler is None:
            dirs = sorted({str(file.parent) for file in self.fonts.font_files()})
            self._roles = self._role_fonts(dirs)
            self._compiler = typst.Compiler(
                str(TEMPLATE), root=str(TEMPLATE.parent), font_paths=dirs, ignore_system_fonts=True
            )
        return self._compiler

    def _role_fonts(self, dirs: list[str]) -> dict[str, dict[str, Any]]:
        """Each role's chain as Typst names the installed fonts, and the weight of its first font."""
        found = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=dirs)
        names = {(Path(f.path), f.index): (f.family, f.weight) for f in found.fonts() if f.path}
        roles: dict[str, dict[str, Any]] = {}
        for role in Role:
            chain = [
                names[(f.file, f.index)] for f in self.fonts.installed(role) if (f.file, f.index) in names
            ]
            if not chain:
                raise RenderError(
                    f"没有可用的{role.label}字体：请安装 fonts-noto-cjk（scripts/setup-system.sh），"
                    "或通过 OGI_REPORT_FONTS_DIR 配置字体"
                )
            weight = BOLD if chain[0][1] >= BOLD else REGULAR
            roles[role.value] = {
                "families": list(dict.fromkeys(family for family, _w in chain)),
                "weight": weight,
            }
        return roles

    def pdf(self, report: Report, edition: Edition = Edition.PUBLISHED) -> bytes:
        """The PDF of ``report`` as ``edition`` prints it.

        RenderError when a character has no glyph in its role's fonts (naming them), or when
        Typst fails; the typesetter serves the next report either way.
        """
        compiler = self._start()
        data = report_data(report.edition(edition), self._roles)
        check_glyphs(self.fonts, role_texts(data))
        day = document_date(report)
        stamp = datetime(day.year, day.month, day.day, tzinfo=CHINA)
        try:
            out = compiler.compile(
                format="pdf",
                sys_inputs={"report": json.dumps(data, ensure_ascii=False)},
                pdf_standards=PDF_STANDARD,
                timestamp=stamp,
                pdf_tags=True,
            )
        except typst.TypstError as exc:
            hints = "；".join(getattr(exc, "hints", None) or ())
            raise RenderError(f"PDF 排版失败（Typst）：{exc.message}{'；' + hints if hints else ''}") from exc
        if not isinstance(out, bytes):
            raise RenderError("PDF 排版失败（Typst）：没有得到 PDF")
        return out


def write_pdf(report: Report, path: Path, edition: Edition = Edition.PUBLISHED) -> None:
    """Typeset ``report`` and write it to ``path`` atomically (a one-off typesetter)."""
    write_bytes(path, Typesetter().pdf(report, edition))
