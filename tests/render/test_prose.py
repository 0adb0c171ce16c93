"""The narrative read once into blocks and spans: what the Word document (and any non-HTML output) prints."""

from __future__ import annotations

from ogi_report.render.markdown import markdown_html
from ogi_report.render.prose import (
    LINE_BREAK,
    Block,
    CodeBlock,
    Heading,
    ListBlock,
    ListItem,
    Paragraph,
    Quote,
    Rule,
    Span,
    parse_prose,
)


def only(markdown: str) -> Paragraph:
    (block,) = parse_prose(markdown).blocks
    assert isinstance(block, Paragraph)
    return block


def described(block: Block) -> tuple[str, int, str]:
    """A paragraph or heading as (kind, level, text)."""
    assert isinstance(block, Paragraph | Heading), block
    return type(block).__name__, block.level if isinstance(block, Heading) else 0, block.text


def test_paragraphs_and_subheads_of_every_level() -> None:
    blocks = parse_prose(
        "# 一级\n\n## 二级\n\n### （一）三级\n\n#### 1.四级\n\n##### 五级\n\n###### 六级\n\n正文。"
    ).blocks
    # A stray # or ## inside a body is shown at the （一） level, as on the page.
    assert [described(b) for b in blocks] == [
        ("Heading", 3, "一级"),
        ("Heading", 3, "二级"),
        ("Heading", 3, "（一）三级"),
        ("Heading", 4, "1.四级"),
        ("Heading", 5, "五级"),
        ("Heading", 6, "六级"),
        ("Paragraph", 0, "正文。"),
    ]


def test_lists_are_numbered_as_the_page_numbers_them() -> None:
    (numbered, bullets) = parse_prose("3. 甲\n1. 乙\n   - 丙\n\n- 丁\n- 戊").blocks
    assert numbered == ListBlock(
        True,
        (
            ListItem(3, (Paragraph((Span("甲"),)),)),
            ListItem(
                4,
                (Paragraph((Span("乙"),)), ListBlock(False, (ListItem(None, (Paragraph((Span("丙"),)),)),))),
            ),
        ),
    )
    assert bullets == ListBlock(
        False, (ListItem(None, (Paragraph((Span("丁"),)),)), ListItem(None, (Paragraph((Span("戊"),)),)))
    )


def test_quote_rule_and_fenced_block() -> None:
    blocks = parse_prose("> 引用一\n> 引用二\n\n---\n\n```\n第一行  **不是粗体**\n  第二行\n```").blocks
    assert blocks == (
        Quote((Paragraph((Span("引用一引用二"),)),)),
        Rule(),
        CodeBlock("第一行  **不是粗体**\n  第二行"),
    )


def test_emphasis_code_and_links_are_spans() -> None:
    paragraph = only(
        "**加粗** *斜体* ***两者*** `代码` [网站](https://www.example.gov.cn/) <mailto:a@example.org>"
    )
    assert paragraph.spans == (
        Span("加粗", strong=True),
        Span(" "),
        Span("斜体", em=True),
        Span(" "),
        Span("两者", strong=True, em=True),
        Span(" "),
        Span("代码", code=True),
        Span(" "),
        Span("网站", href="https://www.example.gov.cn/"),
        Span(" "),
        Span("mailto:a@example.org", href="mailto:a@example.org"),
    )


def test_wrapped_lines_join_as_chinese_prose_and_hard_breaks_stay() -> None:
    assert only("第一行\n第二行").text == "第一行第二行"
    assert only("Open\nGovernment 2021\n年").text == "Open Government 2021年"
    assert only("word\n**bold**").text == "word bold"
    assert only("第一行  \n第二行\\\n第三行").text == f"第一行{LINE_BREAK}第二行{LINE_BREAK}第三行"


def test_escapes_and_entities_are_decoded() -> None:
    assert only("\\*不是斜体\\* &amp; &lt;b&gt;").text == "*不是斜体* & <b>"


def test_what_the_page_shows_as_text_is_text() -> None:
    """Raw HTML is off and javascript: links are refused: the page shows them as typed."""
    typed = "<script>alert(1)</script> [x](javascript:alert(1)) <!-- 注释 --> <b>粗</b>"
    paragraph = only(typed)
    assert paragraph.spans == (Span(typed),)
    # Images are off: the alt text is an ordinary link, after the "!".
    assert only("![图](https://example.com/a.png)").spans == (
        Span("!"),
        Span("图", href="https://example.com/a.png"),
    )


def test_indented_text_is_a_paragraph_not_code() -> None:
    assert parse_prose("\t下一步，我局将继续加强。\n\n    二是加强培训。").blocks == (
        Paragraph((Span("下一步，我局将继续加强。"),)),
        Paragraph((Span("二是加强培训。"),)),
    )


def test_tokens_and_blocks_come_from_one_parse() -> None:
    prose = parse_prose("### （一）小标题\n\n正文 **要点**。")
    assert markdown_html(prose.tokens) == "<h3>（一）小标题</h3>\n<p>正文 <strong>要点</strong>。</p>\n"
    assert [described(b) for b in prose.blocks] == [
        ("Heading", 3, "（一）小标题"),
        ("Paragraph", 0, "正文 要点。"),
    ]
    empty = parse_prose("")
    assert not empty and empty.blocks == () and empty.tokens == ()
