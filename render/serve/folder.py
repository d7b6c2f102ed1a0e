"""A folder of plans as the web page sees it: list, check, save with a version check, render.

Checking uses the loader and the registry's read-only check, as `gongwen validate` does, so
the page shows the same codes and texts. Rendering uses the same writers as `gongwen render`,
into a temporary folder; nothing is written beside the plans but the plans themselves.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
import threading
from collections import OrderedDict
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from msgspec import Struct

from render.atomic import write_bytes_atomic
from render.diagnostics import Diagnostic, PlanError
from render.inputs import PLAN, InputRefused, read_bytes
from render.reading.loader import LoadResult, load_plan, load_plan_text
from render.reading.planfiles import plan_files
from render.reading.templating import data_override, template_of
from render.registry import RegistryPlace
from render.registry.claims import RegistryCheck

if TYPE_CHECKING:
    from render.document.source import RenderInput
    from render.profile import Profile
    from render.serve.form_body import BodyView

KIND_NAMES = {"notice": "通知", "work_points": "工作要点", "summary": "总结", "bulletin": "简报"}
FORMAT_NAMES = {"docx": "Word", "pdf": "PDF", "xlsx": "Excel"}
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ofd": "application/ofd",
}
STALE = ("保存被拒绝：这个计划在您打开之后已被修改（可能在另一个窗口或由其他人修改）。"
         "您的修改没有写入；请复制您的修改，重新打开计划后再保存。")
_NEW_NAME = re.compile(r"[\w\u4e00-\u9fff][\w\u4e00-\u9fff-]{0,80}")
_COMMON = "发文机关:\n标题:\n主送机关:\n正文: |\n  \n成文日期:\n"
# A new plan: its type and the common keys, in Chinese, empty for the form to fill in.
NEW_PLANS = {
    "通知": "# 新建的通知：在网页的“常用项”或这里填写\n类型: 通知\n" + _COMMON,
    "工作要点": ("# 新建的工作要点：部分和事项在这里填写\n类型: 工作要点\n" + _COMMON.replace("正文: |\n  \n", "")
                 + "部分:\n  - 标题:\n    事项:\n      - 标题:\n        内容:\n"),
    "简报": ("# 新建的简报：文章在这里填写\n类型: 简报\n名称:\n期号:\n编印:\n成文日期:\n"
             "文章:\n  - 标题:\n    正文: |\n      \n"),
    "总结": "# 新建的总结\n类型: 总结\n" + _COMMON,
}
# Rendered files kept in memory, keyed by the plan's content: a preview's pages and a
# download right after it cost one render.
_CACHED_RENDERS = 16


class ServeError(Exception):
    """A request the folder refuses; `message` is for the page, `status` the HTTP status."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


class PlanState(Struct, frozen=True):
    name: str
    kind: str           # 通知, 工作要点, … ("" when the plan cannot be read)
    title: str
    number: str
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> int:
        return sum(1 for d in self.diagnostics if d.is_error)

    @property
    def warnings(self) -> int:
        return len(self.diagnostics) - self.errors

    @property
    def state(self) -> str:
        """`valid`, `warnings` or `errors`."""
        return "errors" if self.errors else "warnings" if self.warnings else "valid"


def version_of(data: bytes) -> str:
    """What a form carries to prove it edited the file as it is now."""
    return hashlib.sha256(data).hexdigest()


def normalise_text(text: str) -> str:
    """A browser sends a textarea's lines ending in CR LF; plans are stored with LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class PlanFolder:
    def __init__(self, root: Path, registry: RegistryPlace | None = None):
        self.root = root.resolve()
        self.registry = registry
        self._lock = threading.Lock()  # writers share caches (fonts, layout); one render at a time
        self._renders: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        # Unsaved drafts' PDFs, by the draft's content hash: the live preview's pages.
        self._drafts: OrderedDict[str, bytes] = OrderedDict()

    # --- which plans -----------------------------------------------------------------

    def names(self) -> list[str]:
        return [path.name for path in plan_files([str(self.root)])]

    def path(self, name: str) -> Path:
        """Only a plan directly in the folder: a name is never a path."""
        if name not in self.names():
            raise ServeError(f"没有名为“{name}”的计划", 404)
        return self.root / name

    # --- reading and checking --------------------------------------------------------

    def read(self, name: str) -> tuple[str, str]:
        """The plan's text and its version."""
        path = self.path(name)
        try:
            data = read_bytes(path, PLAN)
        except InputRefused as error:
            raise ServeError(error.format()) from None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ServeError(f"{name} 不是 UTF-8 编码的文本文件") from None
        return text, version_of(data)

    def load(self, name: str) -> LoadResult:
        path = self.path(name)
        template = template_of(path)
        with data_override(path if template else None):
            return load_plan(template or path)

    def check(self, name: str) -> PlanState:
        path = self.path(name)
        template = template_of(path)
        result = self.load(name)
        found = [*result.diagnostics, *self._registry_check(result, template or path, path if template else None)]
        return _state(name, result, found)

    def check_text(self, text: str) -> list[Diagnostic]:
        """A plan sent to the API, read as if it were a file in the folder."""
        result = load_plan_text(normalise_text(text), self.root / "<输入>.yaml")
        return [*result.diagnostics, *self._registry_check(result, result.path, None)]

    def _registry_check(self, result: LoadResult, plan: Path, data: Path | None) -> list[Diagnostic]:
        if self.registry is None:
            return []
        checker = RegistryCheck(self.registry)
        try:
            return checker.check(result, plan, data)
        finally:
            checker.close()

    def states(self) -> list[PlanState]:
        return [self.check(name) for name in self.names()]

    def create(self, kind: str, name: str) -> str:
        """A new plan of a type (通知, 工作要点, 简报, 总结), with the keys the form fills in;
        an existing file is never replaced. Returns the file's name."""
        if kind not in NEW_PLANS:
            raise ServeError(f"不能新建“{kind}”；可选：{'、'.join(NEW_PLANS)}")
        stem = name.strip().removesuffix(".yaml").removesuffix(".yml")
        if not _NEW_NAME.fullmatch(stem):
            raise ServeError("文件名只能由汉字、字母、数字、“-”和“_”组成（不含“/”），不以“.”开头")
        filename = f"{stem}.yaml"
        target = self.root / filename
        with self._lock:
            if target.exists():
                raise ServeError(f"已有名为“{filename}”的文件，请换一个文件名", 409)
            write_bytes_atomic(target, NEW_PLANS[kind].encode("utf-8"))
        return filename

    # --- saving ----------------------------------------------------------------------

    def save(self, name: str, text: str, version: str) -> str:
        """Write the plan atomically, unless it changed since the form read it (another tab,
        another colleague, an editor): then nothing is written. Returns the new version."""
        path = self.path(name)
        data = normalise_text(text).encode("utf-8")
        with self._lock:
            self._refuse_stale(name, version)
            write_bytes_atomic(path, data)
        return version_of(data)

    def _refuse_stale(self, name: str, version: str) -> None:
        _, current = self.read(name)
        if version != current:
            raise ServeError(STALE, 409)

    def save_form(self, name: str, values: dict[str, str], version: str, action: str = "") -> str:
        """The form's changed values, then its body action (add/remove/move a section, item or
        attachment), put into the plan's text as it is now (render/serve/form.py)."""
        from render.serve.form import FormError, apply_form

        text, current = self.read(name)
        if version != current:  # the text the form's values go into is the one it showed
            raise ServeError(STALE, 409)
        try:
            new = apply_form(text, values, action)
        except FormError as error:
            raise ServeError(error.message) from None
        return self.save(name, new, version) if new != text else version

    def unit_names(self, name: str, body: BodyView | None) -> list[str]:
        """What 牵头单位 and 责任单位 complete from: the plan's 单位表 (short and full names)
        and the units its items already name."""
        names: set[str] = set()
        units = self.load(name).units
        if units is not None:
            names.update(units.full_names)
            names.update(units.full_names.values())
        for section in body.sections if body is not None else ():
            for item in section.items:
                for field in ("lead", "units"):
                    names.update(line.strip() for line in item.values[field].splitlines() if line.strip())
        return sorted(names)

    def take_number(self, name: str, code: str, year: str, version: str) -> str:
        """取号: the plan's 发文字号 from the registry, written into the plan. The registry
        keeps one live number per plan and (代字, 年份), so a second click gives the same."""
        from render.model.docnumber import DocNumberError, doc_number_from_parts
        from render.registry import RegistryError, open_store

        if self.registry is None:
            raise ServeError("没有发文字号登记簿，不能取号")
        code = code.strip()
        if not code:
            raise ServeError("取号需要填写机关代字（如“南岸委办”）")
        if not re.fullmatch(r"\d{4}", year.strip()):
            raise ServeError(f"年份应为 4 位数字，而不是“{year}”")
        try:
            doc_number_from_parts(code, int(year), 1)
        except DocNumberError as error:
            raise ServeError(error.message) from None
        self._refuse_stale(name, version)
        result = self.load(name)
        title = (result.plan.title or "") if result.plan is not None else ""
        try:
            store = open_store(self.registry)
            try:
                entry = store.reserve_for_plan(code, int(year), self.registry.plan_key(self.path(name)), title)
            finally:
                store.close()
        except RegistryError as error:
            raise ServeError(error.message) from None
        number = str(entry.number)
        self.save_form(name, {"number": number}, version)
        return number

    # --- rendering -------------------------------------------------------------------

    def render(self, name: str, fmt: str) -> bytes:
        _, version = self.read(name)
        key = (version, f"{name}.{fmt}")
        with self._lock:
            if key in self._renders:
                self._renders.move_to_end(key)
                return self._renders[key]
        data = self.render_result(self.load(name), fmt)
        with self._lock:
            self._renders[key] = data
            while len(self._renders) > _CACHED_RENDERS:
                self._renders.popitem(last=False)
        return data

    def render_text(self, text: str, fmt: str) -> bytes:
        return self.render_result(load_plan_text(normalise_text(text), self.root / "<输入>.yaml"), fmt)

    def draft_pdf(self, text: str) -> tuple[str, bytes]:
        """An unsaved draft's PDF and its content hash (the preview's page addresses); nothing
        is written to disk. A bad draft raises PlanError."""
        key = version_of(normalise_text(text).encode("utf-8"))
        with self._lock:
            if key in self._drafts:
                self._drafts.move_to_end(key)
                return key, self._drafts[key]
        data = self.render_text(text, "pdf")
        with self._lock:
            self._drafts[key] = data
            while len(self._drafts) > _CACHED_RENDERS:
                self._drafts.popitem(last=False)
        return key, data

    def draft(self, key: str) -> bytes:
        """A draft's PDF rendered before; ServeError 404 once it left the cache."""
        with self._lock:
            if key not in self._drafts:
                raise ServeError("这个草稿的预览已过期，请再编辑一下以刷新", 404)
            return self._drafts[key]

    def render_result(self, result: LoadResult, fmt: str) -> bytes:
        """One format of a loaded plan, by the writers `gongwen render` uses; a bad plan
        raises PlanError with its diagnostics."""
        from render.writers import FORMATS, wants, writer_for

        if fmt not in FORMATS:
            raise ServeError(f"不支持的格式“{fmt}”；可用：{'、'.join(FORMATS)}")
        with self._lock:
            source = _prepare(result)
            if not wants(source, fmt):
                kind = KIND_NAMES.get(type(source.plan).kind, "")  # type: ignore[attr-defined]
                raise ServeError(f"这份{kind}不生成 {FORMAT_NAMES.get(fmt, fmt)} 文件"
                                 + ("（责任分工表需要有工作事项）" if fmt == "xlsx" else ""))
            with tempfile.TemporaryDirectory(prefix="gongwen-serve-") as scratch:
                target = Path(scratch) / f"plan.{fmt}"
                writer_for(fmt)(source, target)
                return target.read_bytes()

    def formats(self, name: str) -> list[str]:
        """The page's downloads: the formats this plan makes (a 简报 has no Word file, a
        plan without work items no matrix)."""
        from render.writers import wants

        with self._lock:
            source = _prepare(self.load(name))
            return [fmt for fmt in FORMAT_NAMES if wants(source, fmt)]


def _prepare(result: LoadResult) -> RenderInput:
    from render.document.source import prepare

    return prepare(result, _profile())


@cache
def _profile() -> Profile:
    from render.profile import load_profile

    return load_profile(None)


def _state(name: str, result: LoadResult, diagnostics: list[Diagnostic]) -> PlanState:
    plan = result.plan
    if plan is None:
        return PlanState(name, "", "", "", tuple(diagnostics))
    number = ""
    if plan.number is not None:
        number = (f"{plan.number.code}〔{plan.number.year}〕（自动取号）" if plan.number.is_auto
                  else str(plan.number.resolved()))
    return PlanState(name, KIND_NAMES.get(type(plan).kind, ""), plan.title or "", number,  # type: ignore[attr-defined]
                     tuple(diagnostics))


__all__ = ["CONTENT_TYPES", "PlanError", "PlanFolder", "PlanState", "ServeError", "version_of"]
