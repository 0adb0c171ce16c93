"""Fonts of the printed report: one fallback chain per typographic role, and a glyph check.

GB/T 9704 names four typefaces: 仿宋 for the body, 小标宋 for the title, 黑体 for 一、 headings and
楷体 for （一） headings.  仿宋_GB2312 and 方正小标宋 are not free, so each :class:`Role` has a chain:
the licensed names first (used when a deployment has them installed), then free fonts from Debian
packages (``fonts-noto-cjk``; AR PL from ``fonts-arphic-*`` when present).  The typesetter
(:mod:`ogi_report.render.pdf.typeset`) falls back along the chain glyph by glyph and never outside
it, so a character is printable when *some* installed font of its role's chain has it;
:func:`check_glyphs` checks that for the text of each role before a PDF is written, so no
character comes out as tofu.  The HTML page's print stylesheet declares the same chains
(:meth:`FontSetup.css_stack`).

Licensed fonts, per deployment
------------------------------
Either install them system-wide (fontconfig finds 仿宋_GB2312, 方正小标宋简体 … by name: they lead
the chains already), or put the files in a folder with a ``fonts.toml`` naming a file per role and
point ``OGI_REPORT_FONTS_DIR`` at the folder::

    # $OGI_REPORT_FONTS_DIR/fonts.toml — keys: fangsong, xiaobiaosong, heiti, kaiti
    fangsong = "仿宋_GB2312.ttf"
    xiaobiaosong = "方正小标宋简体.ttf"
    kaiti = "楷体_GB2312.ttf"

Each named file goes first in its role's chain under the family name read from the file; the
typesetter loads fonts from the folders of the chains' files only, so nothing is installed
system-wide.  ``fc-list`` must be on the PATH (``fontconfig``) to find the system's fonts; cmaps are
read with fontTools.
"""

from __future__ import annotations

import enum
import functools
import os
import subprocess
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

from ogi_report.errors import RenderError

FONTS_DIR_ENV = "OGI_REPORT_FONTS_DIR"
CONFIG_NAME = "fonts.toml"


class Role(enum.Enum):
    """A typographic role of GB/T 9704; the value is its key in ``fonts.toml``."""

    FANGSONG = "fangsong"  # 正文
    XIAOBIAOSONG = "xiaobiaosong"  # 标题
    HEITI = "heiti"  # 一级标题（一、）
    KAITI = "kaiti"  # 二级标题（（一））

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def css_variable(self) -> str:
        """The custom property print.css reads the role's font-family list from."""
        return f"--ogi-font-{self.value}"


_LABELS = {
    Role.FANGSONG: "仿宋（正文）",
    Role.XIAOBIAOSONG: "小标宋（标题）",
    Role.HEITI: "黑体（一级标题）",
    Role.KAITI: "楷体（二级标题）",
}


@dataclass(frozen=True)
class Face:
    """One entry of a chain: the name CSS uses, and the fontconfig family/style that provides it.

    ``css`` differs from ``family`` only for aliases print.css declares with ``@font-face`` (e.g.
    Noto Serif Bold standing in for 小标宋 at normal weight, so a real 小标宋 is never emboldened).
    """

    css: str
    family: str
    style: str = ""
    file: Path | None = None  # a deployment's file, outside fontconfig's configuration


def _faces(*families: str) -> tuple[Face, ...]:
    return tuple(Face(f, f) for f in families)


DEFAULT_CHAINS: Mapping[Role, tuple[Face, ...]] = {
    Role.FANGSONG: (
        *_faces("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong"),
        Face("Noto Serif CJK SC", "Noto Serif CJK SC", "Regular"),
    ),
    Role.XIAOBIAOSONG: (
        *_faces("方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "FZXiaoBiaoSong-B05"),
        Face("OGI Noto Serif CJK SC Bold", "Noto Serif CJK SC", "Bold"),
    ),
    Role.HEITI: (
        *_faces("黑体", "SimHei", "STHeiti"),
        Face("Noto Sans CJK SC", "Noto Sans CJK SC", "Regular"),
    ),
    Role.KAITI: (
        *_faces(
            "楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "AR PL UKai CN", "AR PL KaitiM GB"
        ),
        Face("Noto Serif CJK SC", "Noto Serif CJK SC", "Regular"),
    ),
}
GENERIC = {Role.FANGSONG: "serif", Role.XIAOBIAOSONG: "serif", Role.HEITI: "sans-serif", Role.KAITI: "serif"}
# The names fontconfig gives a family's upright, normal-weight face, most usual first.
UPRIGHT_STYLES = ("regular", "book", "normal", "roman", "medium", "w3")


@dataclass(frozen=True)
class InstalledFace:
    """A chain entry found on this machine: the file and face index holding its glyphs."""

    face: Face
    file: Path
    index: int

    def __str__(self) -> str:
        return f"{self.face.css}（{self.file}）"


@dataclass(frozen=True)
class FontSetup:
    """The chains in force: the defaults, with a deployment's files in front."""

    chains: Mapping[Role, tuple[Face, ...]]
    fonts_dir: Path | None = None

    def css_stack(self, role: Role) -> str:
        """The role's ``font-family`` value."""
        names = [_quote(f.css) for f in self.chains[role]]
        return ", ".join([*names, GENERIC[role]])

    def installed(self, role: Role) -> tuple[InstalledFace, ...]:
        """The role's chain entries present on this machine, in chain order."""
        return _installed(self.chains[role])

    def font_files(self) -> tuple[Path, ...]:
        """Every installed font file of every chain, once each, in chain order."""
        files = (face.file for role in Role for face in self.installed(role))
        return tuple(dict.fromkeys(files))


def _installed(faces: Iterable[Face]) -> tuple[InstalledFace, ...]:
    found: list[InstalledFace] = []
    for face in faces:
        if face.file is not None:
            found.append(InstalledFace(face, face.file, 0))
            continue
        hit = _system_faces().get((face.family.casefold(), face.style.casefold()))
        # A chain entry without a style means the family's upright face, whatever its foundry
        # calls it: AR PL UKai's only style is "Book", Noto's is "Regular".
        if hit is None and not face.style:
            upright = (_system_faces().get((face.family.casefold(), s)) for s in UPRIGHT_STYLES)
            hit = next((h for h in upright if h is not None), None)
        if hit is not None and InstalledFace(face, *hit) not in found:
            found.append(InstalledFace(face, *hit))
    return tuple(found)


def _quote(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def default_setup() -> FontSetup:
    """The free chains, with no deployment override."""
    return FontSetup(DEFAULT_CHAINS)


def load_setup(environ: Mapping[str, str] | None = None) -> FontSetup:
    """The chains in force: ``$OGI_REPORT_FONTS_DIR/fonts.toml`` files in front, when set."""
    env = os.environ if environ is None else environ
    folder = env.get(FONTS_DIR_ENV, "").strip()
    if not folder:
        return default_setup()
    return setup_from_dir(Path(folder))


def setup_from_dir(folder: Path) -> FontSetup:
    """Read ``folder/fonts.toml``; every named file must exist and be a readable font."""
    config = folder / CONFIG_NAME
    try:
        data = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RenderError(f"字体配置 {config} 无法读取（{exc}）：请检查 {FONTS_DIR_ENV} 指向的目录") from exc
    known = {r.value: r for r in Role}
    chains = dict(DEFAULT_CHAINS)
    for key, value in data.items():
        if key not in known:
            raise RenderError(f"字体配置 {config}：未知的键「{key}」，应为 {', '.join(known)} 之一")
        if not isinstance(value, str) or not value:
            raise RenderError(f"字体配置 {config}：「{key}」应为字体文件名（字符串）")
        path = (folder / value).resolve()
        family = font_family(path)
        chains[known[key]] = (Face(family, family, file=path), *DEFAULT_CHAINS[known[key]])
    return FontSetup(chains, folder.resolve())


def font_family(path: Path) -> str:
    """The family name a font file declares (typographic family first), for CSS to ask for it."""
    try:
        font = TTFont(path, lazy=True, fontNumber=0)
    except (OSError, Exception) as exc:  # fontTools raises bare TTLibError/AssertionError on bad files
        raise RenderError(f"字体文件 {path} 无法读取（{exc}）") from exc
    with font:
        name = font["name"]
        for name_id in (16, 1):
            record = name.getDebugName(name_id)
            if record:
                return str(record)
    raise RenderError(f"字体文件 {path} 没有字体名称（name 表）")


@functools.cache
def _system_faces() -> dict[tuple[str, str], tuple[Path, int]]:
    """Every face fontconfig knows, by (family, style) in each of their localized spellings."""
    try:
        out = subprocess.run(
            ["fc-list", "--format", "%{family}\t%{style}\t%{file}\t%{index}\n"],
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        raise RenderError(f"无法列出系统字体（fc-list：{exc}）：请安装 fontconfig") from exc
    faces: dict[tuple[str, str], tuple[Path, int]] = {}
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 4 or not parts[3].isdigit():
            continue
        families, styles, file, index = parts
        for family in families.split(","):
            for style in styles.split(","):
                faces.setdefault(
                    (family.strip().casefold(), style.strip().casefold()), (Path(file), int(index))
                )
    return faces


@functools.cache
def glyph_map(file: Path, index: int) -> Mapping[int, str]:
    """A face's cmap: each code point it maps, with its glyph's name (cached: a CJK cmap takes a
    moment to read).  Code points sharing a glyph are one character to the typesetter."""
    try:
        if file.suffix.lower() in (".ttc", ".otc"):
            with TTCollection(file, lazy=True) as collection:
                return dict(collection.fonts[index].getBestCmap() or {})
        with TTFont(file, lazy=True, fontNumber=index) as font:
            return dict(font.getBestCmap() or {})
    except Exception as exc:  # fontTools raises assorted errors on damaged files
        raise RenderError(f"字体文件 {file} 无法读取（{exc}）") from exc


@functools.cache
def _cmap(file: Path, index: int) -> frozenset[int]:
    """The code points a face maps to glyphs."""
    return frozenset(glyph_map(file, index))


def printable(char: str) -> bool:
    """Whether a character needs a glyph (spaces and control/format characters do not)."""
    return not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf")


def missing_in(faces: Sequence[InstalledFace], text: str) -> tuple[str, ...]:
    """The distinct characters of ``text`` that none of ``faces`` has a glyph for."""
    needed = {c for c in text if printable(c)}
    for face in faces:
        needed = {c for c in needed if ord(c) not in _cmap(face.file, face.index)}
        if not needed:
            return ()
    return tuple(sorted(needed))


def check_glyphs(setup: FontSetup, texts: Mapping[Role, str]) -> None:
    """Refuse (RenderError) a document with a character no installed font of its role's chain has.

    ``texts`` maps each role to the text printed in it.  The message names every missing character
    with its code point, the role and the fonts searched.
    """
    problems = []
    for role, text in texts.items():
        faces = setup.installed(role)
        missing = missing_in(faces, text)
        if missing:
            chars = "、".join(f"「{c}」(U+{ord(c):04X})" for c in missing)
            names = "、".join(f.family for f in setup.chains[role])
            fonts = "、".join(str(f) for f in faces) or f"（均未安装：{names}）"
            problems.append(f"{role.label}字体中没有这些字符的字形：{chars}；已查找字体：{fonts}")
    if problems:
        raise RenderError(
            "无法生成 PDF，否则这些字符会显示为空框：\n"
            + "\n".join(problems)
            + f"\n请改用常用字，或通过 {FONTS_DIR_ENV} 配置含这些字符的字体。"
        )
