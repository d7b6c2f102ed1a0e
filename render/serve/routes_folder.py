"""The folder-wide endpoints: import an uploaded document, render the whole folder with live
progress, and the registry's list of numbers. `FolderRoutes.routes` is added to the
application's routes by app.py; its `context` gives the templates what these pages show.

    POST /import                 a .docx/.txt/.md upload → a new plan (303 to its page)
    GET  /batch                  the batch page (the last batch's state; script follows it live)
    POST /batch                  start the batch (or see the one running), 303 to /batch
    GET  /batch/events           server-sent events: `progress` with the state as JSON, then `end`
    GET  /api/batch              the state as JSON; POST starts it (202, or 200 when one runs)
    GET  /outputs/{name}         a file the batch wrote
    GET  /registry?code=&year=   the 发文字号 registry's entries
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from render.serve.batchjobs import BatchJobs, BatchState
from render.serve.folder import CONTENT_TYPES, PlanFolder, ServeError
from render.serve.uploads import IMPORT_KINDS, MAX_UPLOAD, Importer, too_large

Page = Callable[..., Response]
# How long one wait for news of the batch lasts before the stream sends a keep-alive comment
# (and notices a browser that went away).
EVENT_WAIT = 5.0


class FolderRoutes:
    def __init__(self, folder: PlanFolder, outputs: Path | None = None):
        self.folder = folder
        self.importer = Importer(folder)
        self.batch = BatchJobs(folder, outputs if outputs is not None else folder.root / "outputs")

    def context(self, request: Request) -> dict[str, Any]:
        """What base.html and index.html show beside the first slice's pages: the import
        form's types, and the importer's warnings on the page of the plan just imported."""
        extra: dict[str, Any] = {"import_kinds": IMPORT_KINDS, "batch_state": self.batch.snapshot()}
        name = request.path_params.get("name") if request.url.path.startswith("/plans/") else None
        if name and request.query_params.get("imported") == "1":
            extra["imported"] = self.importer.result(name)
        return extra

    def routes(self, page: Page, index: Callable[..., Response],
               _same_origin: Callable[[Request], None]) -> list[Route]:
        """`page` renders a template, `index` the plans page with a message; `_same_origin`
        refuses a form another web site posts (app.py's, passed in: app.py imports this module)."""

        async def import_plan(request: Request) -> Response:
            _same_origin(request)
            try:
                form = await _bounded_form(request)
            except ServeError as error:
                return await run_in_threadpool(index, request, error.status, error.message)
            try:
                upload = form.get("file")
                if not isinstance(upload, UploadFile) or not upload.filename:
                    raise ServeError("请选择要导入的文件（.docx、.txt 或 .md）")
                imported = await run_in_threadpool(
                    self.importer.import_upload, upload.filename, upload.file,
                    str(form.get("kind", "")), str(form.get("name", "")))
            except ServeError as error:
                return await run_in_threadpool(index, request, error.status, error.message)
            finally:
                await form.close()
            return RedirectResponse(f"/plans/{quote(imported.name)}?imported=1", status_code=303)

        def batch_page(request: Request) -> Response:
            return page(request, "batch.html", state=self.batch.snapshot(), outputs_shown=self._outputs_shown())

        def start_batch(request: Request) -> Response:
            _same_origin(request)
            self.batch.start()
            return RedirectResponse("/batch", status_code=303)

        def batch_json(request: Request) -> Response:
            return JSONResponse(_state_json(self.batch.snapshot()))

        def start_batch_json(request: Request) -> Response:
            _same_origin(request)
            started, state = self.batch.start()
            return JSONResponse({"started": started, **_state_json(state)}, status_code=202 if started else 200)

        async def batch_events(request: Request) -> Response:
            return StreamingResponse(self._events(request), media_type="text/event-stream",
                                     headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

        def output(request: Request) -> Response:
            path = self.batch.output_file(request.path_params["key"])
            return FileResponse(path, media_type=CONTENT_TYPES[path.suffix.lstrip(".")], filename=path.name)

        def registry_page(request: Request) -> Response:
            code = request.query_params.get("code", "").strip()
            year = request.query_params.get("year", "").strip()
            try:
                entries, message = self._entries(code, year)
            except ServeError as error:
                return page(request, "registry.html", error.status, entries=[], message=error.message,
                            code=code, year=year, place=self._place())
            return page(request, "registry.html", entries=entries, message=message, code=code, year=year,
                        place=self._place())

        return [
            Route("/import", import_plan, methods=["POST"]),
            Route("/batch", batch_page, methods=["GET"]),
            Route("/batch", start_batch, methods=["POST"]),
            Route("/batch/events", batch_events, methods=["GET"]),
            Route("/api/batch", batch_json, methods=["GET"]),
            Route("/api/batch", start_batch_json, methods=["POST"]),
            Route("/outputs/{key:path}", output, methods=["GET"]),
            Route("/registry", registry_page, methods=["GET"]),
        ]

    async def _events(self, request: Request) -> AsyncIterator[str]:
        """The batch's state as it changes, then `end` once it finished (or when none runs)."""
        version = -1
        while True:
            state = await run_in_threadpool(self.batch.wait_change, version, EVENT_WAIT)
            changed = state.version != version
            if changed:
                version = state.version
                yield _event("progress", _state_json(state))
            if state.state != "running":
                yield _event("end", _state_json(state))
                return
            if not changed:  # a comment keeps proxies and the browser from closing a quiet stream
                yield ": 等待中\n\n"

    def _outputs_shown(self) -> str:
        """The output folder as the page names it: inside the plans' folder, by its name there."""
        outputs = self.batch.outputs
        if outputs.is_relative_to(self.folder.root):
            return f"{outputs.relative_to(self.folder.root).as_posix()}/（在计划文件夹中）"
        return str(outputs)

    def _place(self) -> str:
        return self.folder.registry.shown() if self.folder.registry is not None else ""

    def _entries(self, code: str, year: str) -> tuple[list[dict[str, str]], str]:
        """The registry's entries (filtered), as `gongwen number list` shows them."""
        from render.registry import RegistryError, open_store
        from render.registry.listing import local_time

        if year and not re.fullmatch(r"\d{4}", year):
            raise ServeError(f"年份应为 4 位数字，而不是“{year}”")
        place = self.folder.registry
        if place is None:
            return [], "没有发文字号登记簿：这个网页启动时没有指定登记簿（gongwen serve --registry 位置）。"
        if not place.exists():  # listing only reads: it must not create an empty registry
            return [], f"发文字号登记簿（{place.shown()}）还没有建立：第一次取号时建立。"
        try:
            store = open_store(place)
            try:
                entries = store.list(code or None, int(year) if year else None)
            finally:
                store.close()
        except RegistryError as error:
            raise ServeError(error.message, 500) from None
        rows = [{"number": str(e.number), "code": e.number.code, "year": str(e.number.year),
                 "serial": str(e.number.serial), "state": e.state.value, "state_label": e.state.label,
                 "title": e.title, "plan": e.plan or "", "reason": e.reason or "",
                 "updated": local_time(e.updated_at)} for e in entries]
        if not rows:
            return [], "登记簿中没有符合条件的发文字号。" if code or year else "登记簿中还没有发文字号。"
        return rows, ""


async def _bounded_form(request: Request) -> Any:
    """The upload form, never read past MAX_UPLOAD bytes however the body is sent."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_UPLOAD:
        raise too_large(int(length))
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ServeError("导入需要以 multipart/form-data 上传文件")

    async def bounded() -> AsyncIterator[bytes]:
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > MAX_UPLOAD:
                raise too_large(received)
            yield chunk

    parser = MultiPartParser(request.headers, bounded(), max_files=1, max_fields=4, max_part_size=4096)  # type: ignore[arg-type]
    try:
        return await parser.parse()
    except MultiPartException as error:
        raise ServeError(f"上传的表单有误：{error.message}") from None


def _state_json(state: BatchState) -> dict[str, Any]:
    data = state.as_json()
    for plan in data["plans"]:
        plan["links"] = [f"/outputs/{quote(key)}" for key in plan["files"]]
    return data


def _event(name: str, data: dict[str, Any]) -> str:
    return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
