"""The PDF's text layer: what a reader copies or searches, repaired after the browser prints.

Chromium embeds CFF-based CJK fonts (Noto CJK) as Type 3 fonts and writes each glyph's
``/ToUnicode`` entry from the font's cmap.  Where the cmap maps a radical and a unified ideograph
to one glyph, it picks the radical: 一 reads back as ⼀ (U+2F00, Kangxi Radicals), 民 as ⺠ (U+2EA0,
CJK Radicals Supplement), 门 as ⻔ …, so "人民政府" copied or searched in a viewer is not found.

:func:`repair_text_layer` rewrites every font's ToUnicode CMap so that such a radical maps to the
ideograph sharing its glyph.  The pairs come from the fonts the page printed in (radical → glyph →
unified ideograph on the same glyph), with NFKC as the fallback for Kangxi radicals.  A radical
that occurs in the printed text itself was meant, and is left alone.  Glyphs and layout are not
touched: only the ToUnicode streams that map a radical are rewritten.
"""

from __future__ import annotations

import functools
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pikepdf

from ogi_report.errors import RenderError
from ogi_report.render.fonts import glyph_map

# Kangxi Radicals and CJK Radicals Supplement: never what the report's prose means.
RADICAL_BLOCKS = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF))
KANGXI = (0x2F00, 0x2FDF)
# CJK Unified Ideographs and their extensions A–H: what a shared glyph stands for.
UNIFIED_BLOCKS = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x20000, 0x323AF))
CMAP_BLOCK = 100  # entries per bfchar/bfrange block, the CMap format's limit

_SECTION = re.compile(rb"\d+\s+begin(bfchar|bfrange)\s(.*?)end\1", re.DOTALL)
_HEX = re.compile(rb"<([0-9A-Fa-f\s]*)>")
_RANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f\s]*>|\[[^\]]*\])")


def is_radical(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in RADICAL_BLOCKS)


def is_unified(cp: int) -> bool:
    return any(lo <= cp <= hi for lo, hi in UNIFIED_BLOCKS)


@functools.cache
def _face_radicals(file: Path, index: int) -> Mapping[int, int]:
    """The radicals one face draws with a unified ideograph's glyph, each with that ideograph."""
    cmap = glyph_map(file, index)
    glyphs = {glyph: cp for cp, glyph in cmap.items() if is_radical(cp)}
    if not glyphs:
        return {}
    sharing: dict[int, list[int]] = {}
    for cp, glyph in cmap.items():
        radical = glyphs.get(glyph)
        if radical is not None and is_unified(cp):
            sharing.setdefault(radical, []).append(cp)
    # Several ideographs on one glyph is unheard of; the lowest (the commonest block) is the one.
    return {radical: min(cps) for radical, cps in sharing.items()}


@functools.cache
def radical_map(faces: tuple[tuple[Path, int], ...]) -> Mapping[int, int]:
    """Radical → ideograph for text printed in ``faces`` (file, face index), in priority order.

    The first face that shares a radical's glyph with an ideograph decides; a Kangxi radical no
    face decides falls back to its NFKC form.  Cached per process: reading CJK cmaps takes a while.
    """
    pairs: dict[int, int] = {}
    for file, index in faces:
        for radical, ideograph in _face_radicals(file, index).items():
            pairs.setdefault(radical, ideograph)
    for radical in range(KANGXI[0], KANGXI[1] + 1):
        nfkc = unicodedata.normalize("NFKC", chr(radical))
        if radical not in pairs and len(nfkc) == 1 and is_unified(ord(nfkc)):
            pairs[radical] = ord(nfkc)
    return pairs


def _decode(hex_text: bytes) -> str:
    data = bytes.fromhex(re.sub(rb"\s", b"", hex_text).decode("ascii"))
    return data.decode("utf-16-be", errors="surrogatepass")


def _encode(text: str) -> bytes:
    return b"<" + text.encode("utf-16-be", errors="surrogatepass").hex().upper().encode("ascii") + b">"


def _step(text: str, k: int) -> str:
    """A bfrange destination ``k`` codes on: its last UTF-16 unit increments."""
    units = text.encode("utf-16-be", errors="surrogatepass")
    last = int.from_bytes(units[-2:], "big") + k
    return (units[:-2] + last.to_bytes(2, "big")).decode("utf-16-be", errors="surrogatepass")


def _blocks(kind: str, entries: Sequence[bytes]) -> bytes:
    out = b""
    for i in range(0, len(entries), CMAP_BLOCK):
        chunk = entries[i : i + CMAP_BLOCK]
        out += f"{len(chunk)} begin{kind}\n".encode() + b"\n".join(chunk) + f"\nend{kind}\n".encode()
    return out


def repair_cmap(cmap: bytes, pairs: Mapping[int, int], keep: frozenset[str]) -> bytes | None:
    """The ToUnicode CMap with radicals remapped to their ideographs, or None when none was.

    ``keep`` holds radicals the report really contains: those stay as they are.
    """

    def fix(text: str) -> str:
        return "".join(chr(pairs[ord(c)]) if ord(c) in pairs and c not in keep else c for c in text)

    sections = list(_SECTION.finditer(cmap))
    if not sections:
        return None
    chars: list[tuple[bytes, str]] = []
    ranges: list[bytes] = []
    changed = False
    for section in sections:
        body = section.group(2)
        if section.group(1) == b"bfchar":
            hexes = _HEX.findall(body)
            for src, dst in zip(hexes[0::2], hexes[1::2], strict=True):
                text = _decode(dst)
                changed |= fix(text) != text
                chars.append((src, fix(text)))
            continue
        for match in _RANGE.finditer(body):
            lo, hi, dst = match.groups()
            n = int(hi, 16) - int(lo, 16) + 1
            width = len(lo)
            codes = [f"{int(lo, 16) + k:0{width}X}".encode() for k in range(n)]
            if dst.startswith(b"["):
                texts = [_decode(h) for h in _HEX.findall(dst)]
            else:
                start = _decode(dst[1:-1])
                texts = [_step(start, k) for k in range(n)]
            if all(fix(t) == t for t in texts):
                ranges.append(match.group(0))
                continue
            changed = True  # a range reaching a radical is written out code by code
            chars.extend((code, fix(text)) for code, text in zip(codes, texts, strict=True))
    if not changed:
        return None
    head = cmap[: sections[0].start()]
    tail = cmap[sections[-1].end() :]
    entries = [b"<" + src + b"> " + _encode(text) for src, text in chars]
    return head + _blocks("bfchar", entries) + _blocks("bfrange", ranges) + tail.lstrip(b"\n")


def _to_unicode_streams(pdf: pikepdf.Pdf) -> Iterable[pikepdf.Stream]:
    seen: set[tuple[int, int]] = set()
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != pikepdf.Name.Font:
            continue
        stream = obj.get("/ToUnicode")
        if isinstance(stream, pikepdf.Stream) and stream.objgen not in seen:
            seen.add(stream.objgen)
            yield stream


def repair_text_layer(data: bytes, printed_text: str, faces: Sequence[tuple[Path, int]]) -> bytes:
    """The PDF with every font's ToUnicode mapping radicals back to the ideographs printed.

    ``printed_text`` is all the text the page printed (a radical in it is kept); ``faces`` the
    fonts (file, face index) it printed in, in priority order.  Returns ``data`` itself when no
    font maps a radical.
    """
    keep = frozenset(c for c in printed_text if is_radical(ord(c)))
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            pairs: Mapping[int, int] | None = None
            changed = False
            for stream in _to_unicode_streams(pdf):
                cmap = stream.read_bytes()
                if pairs is None:
                    pairs = radical_map(tuple(faces))
                fixed = repair_cmap(cmap, pairs, keep)
                if fixed is not None:
                    stream.write(fixed)
                    changed = True
            if not changed:
                return data
            out = io.BytesIO()
            pdf.save(out, compress_streams=True)
            return out.getvalue()
    except (pikepdf.PdfError, ValueError, UnicodeError) as exc:  # a PDF or CMap it cannot read
        raise RenderError(f"PDF 文字层修复失败（{exc}）") from exc
