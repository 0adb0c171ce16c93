"""The kit's jupyter_server extension: JupyterLab as the analyst's report workbench.

Enabled by the project's Jupyter configuration (``jupyter_config/``, which ``make lab`` puts on
``JUPYTER_CONFIG_PATH``), never in the user's own settings.  It adds what plain JupyterLab lacks:

- the export entries under 「文件 › 保存并导出笔记本为…」 read 「年报网页（HTML）」「年报 PDF」
  「年报 Word」 (:class:`~ogi_report.notebook.lab.handlers.LabelledTranslationsHandler`), and
  only them (:class:`~ogi_report.notebook.lab.handlers.ReportFormatsHandler`);
- an export runs the saved notebook and downloads ``<slug>-<year>.<ext>``
  (:class:`~ogi_report.notebook.lab.handlers.ReportExportHandler`);
- a template notebook is saved without outputs (:func:`ogi_report.notebook.template.pre_save_hook`).
"""

from __future__ import annotations

from typing import Any

from jupyter_server.base.handlers import path_regex
from jupyter_server.utils import url_path_join

from ogi_report.notebook.lab.handlers import (
    REPORT_FORMATS,
    LabelledTranslationsHandler,
    ReportExportHandler,
    ReportFormatsHandler,
)
from ogi_report.notebook.template import pre_save_hook


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """jupyter_server finds the extension's loader in this module."""
    return [{"module": "ogi_report.notebook.lab"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """Add the handlers, ahead of the server's and JupyterLab's, and the pre-save hook."""
    base = serverapp.web_app.settings["base_url"]
    formats = "|".join(REPORT_FORMATS)
    handlers = [
        (url_path_join(base, r"/api/nbconvert/?"), ReportFormatsHandler),
        (url_path_join(base, rf"/nbconvert/(?P<format>{formats}){path_regex}"), ReportExportHandler),
        (url_path_join(base, r"/lab/api/translations/(?P<locale>[A-Za-z_-]+)"), LabelledTranslationsHandler),
    ]
    web_app = serverapp.web_app
    web_app.add_handlers(".*$", handlers)
    # Tornado tries its host rules in order and puts a new rule after the extensions loaded before
    # this one; JupyterLab answers the translations URL itself, so the kit's rule goes first.
    rules = web_app.default_router.rules
    rules.insert(0, rules.pop(-2))
    serverapp.contents_manager.register_pre_save_hook(pre_save_hook)
    serverapp.log.info("ogi-report：JupyterLab 导出项与模板保存规则已启用")
