#!/bin/sh
# Make the DOCX form of two real corpus pages with pandoc (Debian's pandoc 2.17; a tool for making
# these fixtures only, not a dependency of the kit): what a person gets converting a saved report
# page to Word with `pandoc -f html -t docx`.  Run by hand from the repository root; never by tests.
#
# The saved pages link site images by absolute paths that do not exist offline, and pandoc 2.17's
# html -> docx stops at the first one it cannot open (it gathers images before filters run), so the
# conversion goes through pandoc's own document model: read the HTML, turn each image into its alt
# text (drop_images.lua), write DOCX.  Text and tables are pandoc's reading of the HTML, unchanged.
set -eu
corpus=tests/fixtures/corpus
for id in shuyang-fgj-2023 sh-office-2019; do
  pandoc -f html -t native --lua-filter scripts/corpus/drop_images.lua "$corpus/$id.html" \
    | pandoc -f native -t docx -o "$corpus/$id-pandoc.docx"
  echo "$corpus/$id-pandoc.docx"
done
