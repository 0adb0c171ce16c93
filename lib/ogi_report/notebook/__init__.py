"""The report notebook's side of the kit: what it calls, what it carries, how it runs and exports.

- :mod:`~ogi_report.notebook.report`: what ``notebooks/annual_report.ipynb`` calls (load, check, render);
- :mod:`~ogi_report.notebook.payload`: the bureau-year and findings an executed notebook carries;
- :mod:`~ogi_report.notebook.kernels` and :mod:`~ogi_report.notebook.engine`: warm kernels and the
  papermill engine ``ogi_warm`` running a report on them;
- :mod:`~ogi_report.notebook.export_html`, :mod:`~ogi_report.notebook.export_pdf`,
  :mod:`~ogi_report.notebook.export_docx`: the nbconvert exporters ``ogi_report_html|pdf|docx``;
- :mod:`~ogi_report.notebook.template`: the template notebook kept without outputs (the pre-save
  hook) and fingerprinted by its code and parameters;
- :mod:`~ogi_report.notebook.lab`: the Jupyter server extension that labels the export entries in
  Chinese and names downloads ``<slug>-<year>.<ext>``.

Only the first two are imported here: the others pull in papermill, nbconvert or jupyter_client,
which a report's kernel never needs.
"""

from ogi_report.notebook import payload, report

__all__ = ["payload", "report"]
