"""The report as a Word document (DOCX) in the GB/T 9704 layout, editable in Word and WPS.

:mod:`.document` walks the render model (:mod:`ogi_report.render.model`) into the document;
:mod:`.styles` holds its page, type and paragraph styles and :mod:`.tables` its tables 二/三/四 with
the official merged cells.
"""

from ogi_report.render.docx.document import DOCX_MIMETYPE, render_docx, write_docx
from ogi_report.render.docx.styles import FONTS, FontRole

__all__ = ["DOCX_MIMETYPE", "FONTS", "FontRole", "render_docx", "write_docx"]
