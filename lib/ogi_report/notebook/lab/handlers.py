"""The HTTP handlers the kit puts ahead of JupyterLab's: the report exports, their list and labels.

JupyterLab 4 lists the exporters from ``/api/nbconvert`` and labels each export entry with its
name, capitalised and passed through the ``jupyterlab`` translation domain (``Ogi_report_pdf``);
it ignores nbconvert's ``export_from_notebook``.  :class:`LabelledTranslationsHandler` serves the
installed language pack with one entry more per kit exporter, translating that name into the
exporter's ``export_from_notebook`` (「年报 PDF」).  Language packs cannot carry them: a package's
strings are merged into the ``jupyterlab`` domain only when its version is newer than the pack's,
and the zh-CN pack's version is not a version number.

JupyterLab exports the notebook as saved, and the kit saves template notebooks without outputs
(:mod:`ogi_report.notebook.template`): :class:`ReportExportHandler` runs the saved notebook
(nbconvert's ``--execute``) before exporting it, and names the download ``<slug>-<year>.<ext>``
where jupyter_server would name it after the notebook (``annual_report.pdf``).
:class:`ReportFormatsHandler` lists only the kit's exporters, so the menu holds the three reports.
"""

from __future__ import annotations

import json
import os
import traceback
from functools import partial
from importlib.metadata import entry_points
from typing import Any

from anyio.to_thread import run_sync
from jupyter_core.utils import ensure_async
from jupyter_server.auth.decorator import authorized
from jupyter_server.base.handlers import APIHandler, FilesRedirectHandler, JupyterHandler
from jupyter_server.nbconvert.handlers import NbconvertFileHandler, get_exporter
from jupyterlab_server.translation_utils import SYS_LOCALE, get_language_pack, is_valid_locale, translator
from nbclient.exceptions import CellExecutionError
from tornado import web
from tornado.ioloop import IOLoop
from traitlets.config import Config

from ogi_report.errors import OgiError

# The kit's exporters as nbconvert lists them (the entry points declared in pyproject.toml).
REPORT_FORMATS = tuple(
    sorted(ep.name for ep in entry_points(group="nbconvert.exporters") if ep.module.startswith("ogi_report."))
)
# The export menu's entries, in this order: the web page, the PDF, the Word document.
MENU_ORDER = tuple(sorted(REPORT_FORMATS, key=lambda name: ("html" not in name, "pdf" not in name, name)))
TRANSLATION_DOMAIN = "jupyterlab"


def lab_msgid(format_name: str) -> str:
    """The text JupyterLab translates into an export entry's label: the format's name, capitalised."""
    return format_name[:1].upper() + format_name[1:]


def export_labels() -> dict[str, list[str]]:
    """The translations of the kit's export entries, in a language pack's form (msgid → [text])."""
    labels: dict[str, list[str]] = {}
    for name in REPORT_FORMATS:
        label = getattr(get_exporter_class(name), "export_from_notebook", None)
        if isinstance(label, str) and label:
            labels[lab_msgid(name)] = [label]
    return labels


def get_exporter_class(name: str) -> Any:
    """The exporter class nbconvert finds under ``name``."""
    from nbconvert.exporters.base import get_exporter as exporter_class

    return exporter_class(name)  # type: ignore[no-untyped-call]


class LabelledTranslationsHandler(JupyterHandler):
    """``/lab/api/translations/<locale>``: the installed language pack, as JupyterLab serves it,
    with the kit's export labels added to the ``jupyterlab`` domain."""

    @web.authenticated
    async def get(self, locale: str) -> None:
        """The locale's translations and a message (empty when all went well), as JSON."""
        locale = SYS_LOCALE if locale == "default" else locale
        data: dict[str, Any] = {}
        message = ""
        try:
            data, message = await IOLoop.current().run_in_executor(None, partial(get_language_pack, locale))
            if data == {} and not message:
                state = "installed" if is_valid_locale(locale) else "valid"
                message = f"Language pack '{locale}' not {state}!"
            elif is_valid_locale(locale):
                translator.set_locale(locale)  # as JupyterLab's handler does, for the server's own text
            domain = data.get(TRANSLATION_DOMAIN)
            if isinstance(domain, dict):
                for msgid, text in export_labels().items():
                    domain.setdefault(msgid, text)
        except Exception:
            message = traceback.format_exc()
        self.set_status(200)
        self.finish(json.dumps({"data": data, "message": message}))


class ReportFormatsHandler(APIHandler):
    """``/api/nbconvert``: only the kit's exporters, so the export menu offers the report and not
    nbconvert's own formats (its PDF goes through LaTeX, which drops the Chinese text)."""

    auth_resource = "nbconvert"

    @web.authenticated
    @authorized
    async def get(self) -> None:
        """The kit's exporters and their mime types, as jupyter_server lists exporters."""
        formats = {name: {"output_mimetype": get_exporter_class(name).output_mimetype} for name in MENU_ORDER}
        self.finish(json.dumps(formats))


class ReportExportHandler(NbconvertFileHandler):
    """``/nbconvert/ogi_report_<format>/<path>``: the saved notebook run, exported as the report,
    downloaded as ``<slug>-<year>.<ext>``.  Failures come back as a Chinese message, not a traceback."""

    @web.authenticated
    @authorized
    async def get(self, format: str, path: str) -> None:
        """Run the notebook at ``path``, export it in ``format`` and send the file."""
        self.check_xsrf_cookie()
        path = path.strip("/")
        model = await ensure_async(self.contents_manager.get(path=path))  # type: ignore[no-untyped-call]
        if model["type"] != "notebook":
            await FilesRedirectHandler.redirect_to_files(self, path)
            return
        config = Config(self.config)
        config.ExecutePreprocessor.enabled = True  # the saved template carries no outputs
        exporter = get_exporter(format, config=config, log=self.log)  # type: ignore[no-untyped-call]
        stem = os.path.splitext(model["name"])[0]
        modified = model["last_modified"].strftime("%B %d, %Y")
        metadata: dict[str, Any] = {"name": stem, "modified_date": modified}
        if hasattr(self.contents_manager, "_get_os_path"):
            # The kernel runs in the notebook's folder, as in JupyterLab (data_root "" finds the project).
            metadata["path"] = os.path.dirname(self.contents_manager._get_os_path(path))
        resources = {"metadata": metadata, "config_dir": self.application.settings["config_dir"]}
        try:
            output, resources = await run_sync(
                lambda: exporter.from_notebook_node(model["content"], resources=resources)
            )
        except CellExecutionError as exc:
            raise web.HTTPError(422, _escaped(f"报告未能导出：运行笔记本时出错。{exc.evalue}")) from exc
        except OgiError as exc:
            raise web.HTTPError(422, _escaped(f"报告未能导出：{exc}")) from exc
        if self.get_argument("download", "false").lower() == "true":
            named = resources.get("ogi_report", {}).get("download_name")
            self.set_attachment_header(named or stem + resources["output_extension"])
        if exporter.output_mimetype:
            self.set_header("Content-Type", f"{exporter.output_mimetype}; charset=utf-8")
        self.set_header("Cache-Control", "no-store, no-cache, must-revalidate, max-age=0")
        self.finish(output)


def _escaped(message: str) -> str:
    """``message`` as an HTTPError's log message (a %-format string)."""
    return message.replace("%", "%%")
