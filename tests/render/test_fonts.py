"""The font chains, the deployment override, and the glyph check (no typesetting)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fontkit import PRIVATE, RARE, renamed_font
from kit import REPO_ROOT
from ogi_report.errors import RenderError
from ogi_report.render import fonts
from ogi_report.render.fonts import Role


def missing_glyphs(role: Role, text: str) -> tuple[str, ...]:
    """The characters of ``text`` that no installed font of ``role``'s default chain has."""
    installed = fonts.default_setup().installed(role)
    assert installed, role
    return fonts.missing_in(installed, text)


@pytest.fixture
def dejavu() -> Path:
    faces = fonts._system_faces()
    hit = faces.get(("dejavu serif", "book"))
    if hit is None:
        pytest.skip("DejaVu Serif (fonts-dejavu-core) is not installed")
    return hit[0]


def test_every_role_has_an_installed_free_font() -> None:
    setup = fonts.default_setup()
    for role in Role:
        installed = setup.installed(role)
        assert installed, role
        assert installed[0].file.is_file()


def test_title_falls_back_to_bold_serif_and_headings_to_sans() -> None:
    setup = fonts.default_setup()
    assert "Bold" in setup.installed(Role.XIAOBIAOSONG)[-1].file.name
    assert "Sans" in setup.installed(Role.HEITI)[-1].file.name
    assert "Serif" in setup.installed(Role.FANGSONG)[-1].file.name


@pytest.fixture
def ukai() -> fonts.InstalledFace:
    installed = fonts.default_setup().installed(Role.KAITI)
    if not installed or installed[0].face.family != "AR PL UKai CN":
        pytest.skip("AR PL UKai CN (fonts-arphic-ukai, scripts/setup-system.sh) is not installed")
    return installed[0]


def test_kaiti_headings_take_ar_pl_ukai_first_among_the_free_fonts(ukai: fonts.InstalledFace) -> None:
    # UKai's only style is "Book": a chain entry without a style must still find it.
    assert ukai.file.name == "ukai.ttc" and ukai.index == 0
    kaiti = [f.family for f in fonts.DEFAULT_CHAINS[Role.KAITI]]
    assert kaiti.index("AR PL UKai CN") < kaiti.index("AR PL KaitiM GB") < kaiti.index("Noto Serif CJK SC")
    assert kaiti.index("AR PL UKai CN") > kaiti.index("楷体_GB2312")  # the licensed names still lead


def test_a_character_ukai_lacks_falls_back_along_the_kaiti_chain(ukai: fonts.InstalledFace) -> None:
    lacking = "呉"  # U+5449: in Noto Serif CJK SC, not in UKai
    assert fonts.missing_in([ukai], f"（一）加强{lacking}") == (lacking,)
    assert missing_glyphs(Role.KAITI, f"（一）加强{lacking}") == ()
    assert missing_glyphs(Role.KAITI, f"（一）{RARE}") == (RARE,)


def test_print_css_defaults_mirror_the_chains() -> None:
    print_css = (REPO_ROOT / "lib/ogi_report/templates/ogi_report/print.css").read_text("utf-8")
    declared = dict(re.findall(r"(--ogi-font-[a-z]+):\s*([^;]+);", print_css))
    setup = fonts.default_setup()
    assert declared == {role.css_variable: setup.css_stack(role) for role in Role}


def test_licensed_names_lead_the_free_fonts() -> None:
    stack = fonts.default_setup().css_stack(Role.FANGSONG)
    assert stack.index('"仿宋_GB2312"') < stack.index('"Noto Serif CJK SC"') < stack.index("serif")


def test_common_text_has_every_glyph() -> None:
    text = "海东市应急管理局2021年政府信息公开工作年度报告（一）“三安全一稳定”、12350 —— ABC"
    for role in Role:
        assert missing_glyphs(role, text) == ()


def test_rare_and_private_characters_are_found_missing() -> None:
    missing = missing_glyphs(Role.FANGSONG, f"正文{RARE}与{PRIVATE}。 \n")
    assert missing == tuple(sorted((RARE, PRIVATE)))


def test_refusal_names_characters_code_points_role_and_fonts() -> None:
    setup = fonts.default_setup()
    with pytest.raises(RenderError) as info:
        fonts.check_glyphs(setup, {Role.FANGSONG: f"正文{RARE}", Role.HEITI: "一、总体情况"})
    message = str(info.value)
    assert RARE in message and "U+20000" in message
    assert "Noto Serif CJK SC" in message and "仿宋（正文）" in message
    assert "黑体" not in message  # the heading text was fine


def test_a_chain_with_nothing_installed_vouches_for_nothing() -> None:
    setup = fonts.FontSetup({**fonts.DEFAULT_CHAINS, Role.HEITI: (fonts.Face("x", "No Such Font"),)})
    with pytest.raises(RenderError, match="均未安装"):
        fonts.check_glyphs(setup, {Role.HEITI: "报告"})


def test_override_from_fonts_dir_leads_its_chain(tmp_path: Path, dejavu: Path) -> None:
    renamed_font(dejavu, tmp_path / "fs.ttf", "OGI Test Fangsong")
    (tmp_path / "fonts.toml").write_text('fangsong = "fs.ttf"\n', encoding="utf-8")
    setup = fonts.load_setup({fonts.FONTS_DIR_ENV: str(tmp_path)})
    first = setup.installed(Role.FANGSONG)[0]
    assert first.face.css == "OGI Test Fangsong" and first.file == (tmp_path / "fs.ttf").resolve()
    assert setup.css_stack(Role.FANGSONG).startswith('"OGI Test Fangsong", "仿宋_GB2312"')
    assert setup.chains[Role.HEITI] == fonts.DEFAULT_CHAINS[Role.HEITI]
    # Latin in the override, Chinese from the free fonts behind it.
    assert fonts.missing_in(setup.installed(Role.FANGSONG), "Report 报告") == ()
    assert (tmp_path / "fs.ttf").resolve() in setup.font_files()


def test_no_override_without_the_variable() -> None:
    assert fonts.load_setup({}).chains == fonts.DEFAULT_CHAINS


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ('songti = "a.ttf"\n', "未知的键「songti」"),
        ('fangsong = "missing.ttf"\n', "missing.ttf"),
        ("fangsong = 3\n", "应为字体文件名"),
        ("fangsong = \n", "无法读取"),
    ],
)
def test_bad_fonts_config_is_refused(tmp_path: Path, config: str, expected: str) -> None:
    (tmp_path / "fonts.toml").write_text(config, encoding="utf-8")
    with pytest.raises(RenderError, match=expected):
        fonts.setup_from_dir(tmp_path)


def test_missing_fonts_toml_is_refused(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match=r"fonts\.toml"):
        fonts.load_setup({fonts.FONTS_DIR_ENV: str(tmp_path)})
