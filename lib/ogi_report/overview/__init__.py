"""The year at a glance, for the office that coordinates a year's reports, and the data as DataFrames.

- :mod:`.collect`: every bureau-year of a project, read once (unreadable folders kept, with why);
- :mod:`.frames`: bureau-years as pandas DataFrames (the long form with cell states, wide 三/四, findings);
- :mod:`.totals`: tables summed across bodies, key figures per body-year and per year;
- :mod:`.model`: the overview of one year (statuses, deadlines, totals, history);
- :mod:`.document` and :mod:`.sections`: what the overview says, as blocks (:mod:`.blocks`);
- :mod:`.charts` (matplotlib SVG), :mod:`.page` (HTML), :mod:`.pdf` (Typst), :mod:`.docx` (Word);
- :mod:`.view`: what ``notebooks/year_overview.ipynb`` calls.

This layer sits between ``notebook`` and ``render``: it uses the render layer's fonts and table
HTML, and the batch and the notebook use it.
"""
