"""The Starlette application: server-rendered pages (Jinja2) and a small JSON API.

Every page action is a plain form or link, so the page works without script; the JSON API
(`/api/validate`, `/api/render`) is for other office systems. Requests are served in
Starlette's thread pool (the endpoints are plain functions): rendering is CPU work.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from render.diagnostics import Diagnostic, PlanError
from render.registry import RegistryPlace
from render.serve.folder import CONTENT_TYPES, FORMAT_NAMES, NEW_PLANS, PlanFolder, ServeError, normalise_text
from render.serve.form import FIELDS, FormError, form_body, form_values
from render.serve.form_body import ITEM_FIELDS
from render.serve.form_places import PLACED_FIELDS, place
from render.serve.pages import page_count, page_png

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]", "::1"]
# A plan sent to the API is at most what a plan file may be (render/inputs.py's PLAN).
MAX_BODY = 5 * 1024 * 1024
# The form's fields: the common keys and, for a long 工作要点, every section's and item's.
MAX_FORM_FIELDS = 5000


def create_app(root: Path, registry: RegistryPlace | None = None, loopback: bool = True,
               outputs: Path | None = None) -> Starlette:
    """The application over the plans in `root`. `loopback`: served on 127.0.0.1 only, so
    requests must name a loopback host (a web page elsewhere cannot reach it by DNS tricks).
    `outputs`: where the batch writes (default: the folder's outputs/)."""
    from render.serve.routes_folder import FolderRoutes

    folder = PlanFolder(root, registry)
    more = FolderRoutes(folder, outputs)
    templates = Jinja2Templates(directory=str(TEMPLATES), context_processors=[more.context])

    def page(request: Request, template: str, status: int = 200, **context: Any) -> Response:
        return templates.TemplateResponse(request, template, {"folder": folder.root, **context}, status_code=status)

    def index(request: Request, status: int = 200, message: str = "") -> Response:
        return page(request, "index.html", status, plans=folder.states(), kinds=list(NEW_PLANS), message=message)

    async def new_plan(request: Request) -> Response:
        _same_origin(request)
        form = await request.form(max_files=0, max_fields=4, max_part_size=4096)
        try:
            name = await run_in_threadpool(folder.create, str(form.get("kind", "")), str(form.get("name", "")))
        except ServeError as error:
            return await run_in_threadpool(index, request, error.status, error.message)
        return RedirectResponse(f"/plans/{quote(name)}", status_code=303)

    def plan_page(request: Request, name: str, status: int = 200, text: str | None = None,
                  version: str | None = None, message: str = "", saved: bool = False,
                  taken: str = "") -> Response:
        current_text, current_version = folder.read(name)
        try:
            values, form_error = form_values(current_text), ""
            body = form_body(current_text)
        except FormError as error:
            values, form_error, body = {}, error.message, None
        number_code, number_year = _number_parts(values.get("number", ""), values.get("date", ""))
        state = folder.check(name)
        by_field, rest = place(state.diagnostics, current_text, form_shown=not form_error)
        preview_error = ""
        pages = 0
        formats: list[str] = []
        if state.errors:
            preview_error = "计划有错误，改正后才能预览和下载。"
        else:
            try:
                formats = folder.formats(name)
                pages = page_count(folder.render(name, "pdf"))
            except (PlanError, ServeError) as error:
                preview_error = _message_of(error)
        return page(request, "plan.html", status, name=name, state=state,
                    text=current_text if text is None else text,
                    version=current_version if version is None else version,
                    message=message, saved=saved, pages=pages, version_now=current_version, taken=taken,
                    fields=FIELDS, values=values, form_error=form_error, number_code=number_code,
                    number_year=number_year, registry=folder.registry is not None,
                    preview_error=preview_error, by_field=by_field, rest=rest,
                    placed=any(by_field.values()), placed_fields=PLACED_FIELDS,
                    formats={fmt: FORMAT_NAMES[fmt] for fmt in formats},
                    body=body, item_fields=ITEM_FIELDS, unit_names=folder.unit_names(name, body))

    def show_plan(request: Request) -> Response:
        taken = request.query_params.get("number", "")
        return plan_page(request, request.path_params["name"], saved=request.query_params.get("saved") == "1",
                         taken=taken)

    async def save_plan(request: Request) -> Response:
        _same_origin(request)
        name = request.path_params["name"]
        form = await request.form(max_files=0, max_fields=8, max_part_size=MAX_BODY)
        text, version = str(form.get("yaml", "")), str(form.get("version", ""))
        try:
            folder.save(name, text, version)
        except ServeError as error:
            if error.status != 409:
                raise
            # The user's text stays in the editor, with the version they had: nothing is lost.
            return plan_page(request, name, 409, text=text, version=version, message=error.message)
        return RedirectResponse(f"/plans/{quote(name)}?saved=1", status_code=303)

    async def save_form(request: Request) -> Response:
        _same_origin(request)
        name = request.path_params["name"]
        form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_BODY)
        values = _form_values(form)
        version, action = str(form.get("version", "")), str(form.get("action", ""))
        try:
            await run_in_threadpool(folder.save_form, name, values, version, action)
        except ServeError as error:
            if error.status != 409:
                raise
            return await run_in_threadpool(plan_page, request, name, 409, message=error.message)
        anchor = "#body" if action else ""
        return RedirectResponse(f"/plans/{quote(name)}?saved=1{anchor}", status_code=303)

    async def take_number(request: Request) -> Response:
        _same_origin(request)
        name = request.path_params["name"]
        form = await request.form(max_files=0, max_fields=8, max_part_size=4096)
        try:
            number = await run_in_threadpool(folder.take_number, name, str(form.get("code", "")),
                                             str(form.get("year", "")), str(form.get("version", "")))
        except ServeError as error:
            return await run_in_threadpool(plan_page, request, name, error.status, message=error.message)
        return RedirectResponse(f"/plans/{quote(name)}?number={quote(number)}", status_code=303)

    async def draft_check(request: Request) -> Response:
        """The live check: an unsaved draft (the YAML textarea, or the form's values put into
        the file's text) checked and previewed; the messages fragment, with the preview
        swapped in beside it (htmx out-of-band). Nothing is written."""
        _same_origin(request)
        name = request.path_params["name"]
        form = await request.form(max_files=0, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_BODY)
        if "yaml" in form:
            text = str(form["yaml"])
        else:
            from render.serve.form import apply_form

            current, _ = await run_in_threadpool(folder.read, name)
            values = _form_values(form)
            try:
                text = apply_form(current, values)
            except FormError as error:
                return page(request, "draft.html", name=name, rest=[], by_field={n: [] for n in PLACED_FIELDS},
                            placed=False, placed_fields=PLACED_FIELDS, preview_error=error.message,
                            draft="", pages=0)
        return await run_in_threadpool(_draft_fragment, request, name, text)

    def _draft_fragment(request: Request, name: str, text: str) -> Response:
        diagnostics = folder.check_text(text)
        draft, pages, preview_error = "", 0, ""
        if any(d.is_error for d in diagnostics):
            preview_error = "草稿有错误，改正后才能预览。"
        else:
            try:
                draft, pdf = folder.draft_pdf(text)
                pages = page_count(pdf)
            except (PlanError, ServeError) as error:
                preview_error = _message_of(error)
        by_field, rest = place(diagnostics, normalise_text(text))
        return page(request, "draft.html", name=name, rest=rest, by_field=by_field,
                    placed=any(by_field.values()), placed_fields=PLACED_FIELDS,
                    preview_error=preview_error, draft=draft, pages=pages)

    def draft_page(request: Request) -> Response:
        key, number = request.path_params["key"], request.path_params["number"]
        if not re.fullmatch(r"[0-9a-f]{64}", key):
            raise ServeError("草稿编号有误", 404)
        try:
            png = page_png(folder.draft(key), number - 1)
        except IndexError:
            raise ServeError(f"预览没有第 {number} 页", 404) from None
        # A draft's address names its content: the picture never changes.
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})

    def download(request: Request) -> Response:
        name, fmt = request.path_params["name"], request.path_params["fmt"]
        data = folder.render(name, fmt)
        filename = f"{Path(name).stem}.{fmt}"
        return Response(data, media_type=CONTENT_TYPES[fmt], headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"})

    def preview_page(request: Request) -> Response:
        name, number = request.path_params["name"], request.path_params["number"]
        try:
            png = page_png(folder.render(name, "pdf"), number - 1)
        except IndexError:
            raise ServeError(f"预览没有第 {number} 页", 404) from None
        return Response(png, media_type="image/png", headers={"Cache-Control": "no-store"})

    async def api_validate(request: Request) -> Response:
        text = await _body_text(request)
        return JSONResponse({"diagnostics": [_diagnostic_json(d) for d in folder.check_text(text)]})

    async def api_render(request: Request) -> Response:
        fmt = request.query_params.get("to", "pdf")
        text = await _body_text(request)
        data = await run_in_threadpool(folder.render_text, text, fmt)
        return Response(data, media_type=CONTENT_TYPES.get(fmt, "application/octet-stream"))

    def failed(request: Request, exc: Exception) -> Response:
        status = exc.status if isinstance(exc, ServeError) else 400
        diagnostics = exc.diagnostics if isinstance(exc, PlanError) else []
        message = _message_of(exc)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": message, "diagnostics": [_diagnostic_json(d) for d in diagnostics]},
                                status_code=status)
        return page(request, "error.html", status, message=message, diagnostics=diagnostics)

    def not_found(request: Request, exc: Exception) -> Response:
        return failed(request, ServeError("没有这个网页（地址有误，或计划不在这个文件夹中）", 404))

    def not_allowed(request: Request, exc: Exception) -> Response:
        return failed(request, ServeError("这个网页不接受这种请求", 405))

    routes = [
        Route("/", index),
        Route("/new", new_plan, methods=["POST"]),
        Route("/plans/{name}", show_plan, methods=["GET"]),
        Route("/plans/{name}", save_plan, methods=["POST"]),
        Route("/plans/{name}/form", save_form, methods=["POST"]),
        Route("/plans/{name}/number", take_number, methods=["POST"]),
        Route("/plans/{name}/draft", draft_check, methods=["POST"]),
        Route("/draft/{key}/page/{number:int}.png", draft_page),
        Route("/plans/{name}/download/{fmt}", download),
        Route("/plans/{name}/page/{number:int}.png", preview_page),
        Route("/api/validate", api_validate, methods=["POST"]),
        Route("/api/render", api_render, methods=["POST"]),
        *more.routes(page, index, _same_origin),
        Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
    ]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=LOOPBACK_NAMES)] if loopback else []
    app = Starlette(routes=routes, middleware=middleware,
                    exception_handlers={ServeError: failed, PlanError: failed, 404: not_found,
                                        405: not_allowed})
    app.state.folder_routes = more  # the batch and the importer, for whoever holds the app (tests)
    return app


def _form_values(form: Any) -> dict[str, str]:
    """The common keys' and the body editor's values a form posted."""
    from render.serve.form_body import PREFIX

    values = {field.name: str(form[field.name]) for field in FIELDS if field.name in form}
    values.update({key: str(value) for key, value in form.items() if key.startswith(PREFIX)})
    return values


def _number_parts(number: str, date: str) -> tuple[str, str]:
    """The 取号 form's 代字 and 年份: the plan's own, else the year of its 成文日期."""
    match = re.match(r"^\s*(.+?)\s*[〔［\[(（]\s*(\d{4})", number)
    if match:
        return match.group(1), match.group(2)
    year = re.match(r"^\s*(\d{4})-", date)
    return "", year.group(1) if year else ""


def _same_origin(request: Request) -> None:
    """A form another web site's page posts to this server is refused: the browser names
    that site in Origin. (Tools that send no Origin, like curl, are the user's own.)"""
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc != request.headers.get("host"):
        raise ServeError("拒绝来自其他网站的请求", 403)


async def _body_text(request: Request) -> str:
    _same_origin(request)
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise ServeError("计划太大（超过 5 MB）", 413)
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServeError("计划应为 UTF-8 编码的文本") from None


def _message_of(error: Exception) -> str:
    if isinstance(error, PlanError):
        return "计划有误：" + "；".join(_where(d) + d.message for d in error.errors or error.diagnostics)
    if isinstance(error, ServeError):
        return error.message
    return str(error)


def _where(diagnostic: Diagnostic) -> str:
    return f"第 {diagnostic.line} 行 {diagnostic.code} " if diagnostic.line else f"{diagnostic.code} "


def _diagnostic_json(diagnostic: Diagnostic) -> dict[str, Any]:
    return {"code": diagnostic.code, "severity": diagnostic.severity.value, "line": diagnostic.line,
            "col": diagnostic.col, "message": diagnostic.message}
