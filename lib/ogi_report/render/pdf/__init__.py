"""The report as PDF: the render model typeset by Typst in this process.

:mod:`.data` turns the model into the JSON the template (``report.typ``) reads; :mod:`.typeset`
holds the compiler and fonts for many reports and checks every glyph before compiling.
"""
