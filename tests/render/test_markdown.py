"""The narrative's Markdown: rendered, with every kind of typed HTML or script made harmless."""

from __future__ import annotations

import lxml.html
import pytest
from ogi_report.render.markdown import markdown_html, parse_markdown, sanitize


def render_markdown(text: str) -> str:
    """Markdown → the sanitized HTML the page shows."""
    return markdown_html(parse_markdown(text))


def parse(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fragment_fromstring(html, create_parent="div")


def live_danger(root: lxml.html.HtmlElement) -> list[str]:
    """Every element or attribute of ``root`` that a browser would act on."""
    found = [
        el.tag for el in root.iter() if el.tag in ("script", "img", "iframe", "object", "embed", "style")
    ]
    for el in root.iter():
        for name, value in el.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{el.tag}@{name}")
            if name.lower() in ("href", "src") and value.strip().lower().startswith(("javascript:", "data:")):
                found.append(f"{el.tag}@{name}={value}")
    return found


ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    '<iframe src="https://example.com"></iframe>',
    "<p onmouseover=alert(1)>hover</p>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_typed_html_and_script_never_become_live(attack: str) -> None:
    html = render_markdown(f"正文{attack}正文\n\n{attack}\n")
    assert live_danger(parse(html)) == []


def test_raw_html_is_shown_as_text_not_dropped_silently() -> None:
    root = parse(render_markdown("见<script>alert(1)</script>。"))
    assert "<script>alert(1)</script>" in root.text_content()


def test_sanitizer_alone_removes_what_markdown_would_never_produce() -> None:
    dirty = '<p onclick="x()">a</p><script>b()</script><a href="javascript:c()">c</a><img src="http://x/y">'
    clean = parse(sanitize(dirty))
    assert live_danger(clean) == []
    assert clean.text_content() == "ac"


def test_subheads_links_and_emphasis() -> None:
    root = parse(
        render_markdown(
            "### （一）主动公开\n\n#### 1.细项\n\n**要点**见[网站](https://www.example.gov.cn/)。"
        )
    )
    assert [h.text_content() for h in root.iter("h3")] == ["（一）主动公开"]
    assert [h.text_content() for h in root.iter("h4")] == ["1.细项"]
    assert root.find(".//strong").text_content() == "要点"
    link = root.find(".//a")
    assert link.get("href") == "https://www.example.gov.cn/"
    assert "noopener" in link.get("rel", "")


def test_stray_top_level_headings_are_demoted_below_the_section_headings() -> None:
    root = parse(render_markdown("# 标题\n\n## 小节\n\n正文"))
    assert root.find(".//h1") is None and root.find(".//h2") is None
    assert [h.text_content() for h in root.iter("h3")] == ["标题", "小节"]


def test_images_are_not_loaded_from_the_network() -> None:
    root = parse(render_markdown("![图](https://example.com/a.png)"))
    assert root.find(".//img") is None


def test_indented_paragraphs_pasted_from_word_stay_paragraphs() -> None:
    html = render_markdown("\t下一步，我局将继续加强政务公开工作。\n\n    二是加强培训。")
    assert "<pre" not in html and "<code" not in html
    assert html.count("<p>") == 2 and "下一步，我局将继续加强政务公开工作。" in html
