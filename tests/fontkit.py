"""Font helpers for the font and PDF tests: rare characters and renamed copies of system fonts."""

from __future__ import annotations

from pathlib import Path

from fontTools.ttLib import TTFont

RARE = "\U00020000"  # 𠀀, CJK Extension B: not in Noto CJK SC
PRIVATE = "\ue000"  # private use area


def renamed_font(source: Path, target: Path, family: str) -> Path:
    """A copy of a TrueType font under another family name (stands in for a licensed font)."""
    font = TTFont(source)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = family
        elif record.nameID == 6:
            record.string = family.replace(" ", "")
    font.save(target)
    return target
