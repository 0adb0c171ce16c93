-- pandoc Lua filter used to make the corpus DOCX forms (pandoc -f html -t docx): the saved pages
-- link their images (site logos, icons) by absolute site paths that do not exist offline, and
-- pandoc's DOCX writer stops at the first image it cannot open.  Each image becomes its alt text,
-- as pandoc itself does for images it cannot fetch in other writers; text and tables are untouched.
function Image(el)
  return el.caption
end
