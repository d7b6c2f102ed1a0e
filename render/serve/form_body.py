"""The form's body editor: 前言, 部分 → 事项 (with 牵头单位, 责任单位, 完成时限), 结语 and 附件,
read from and written into the plan's ruamel.yaml round-trip data (render/serve/form.py).

Form fields are named by place: `b.preamble`, `b.s0.title`, `b.s0.i1.lead`, `b.a0.title`.
A structure button posts an action (`add_item:0`, `up_section:2`, `remove_attachment:0`);
the typed values go in first, then the action, so nothing typed is lost. Only values the
form changed are written; a new key is spelled in the plan's language. Level-2 sections
(a section's own 部分) stay in the YAML editor.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from msgspec import Struct, field
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from render.model.plan import Attachment, Body, DocumentBase, Item, PlanNode, Section

PREFIX = "b."
ITEM_FIELDS = (("title", "标题", "text"), ("text", "内容", "long"), ("lead", "牵头单位", "names"),
               ("units", "责任单位", "names"), ("due", "完成时限", "text"))
# Which document types have sections and items in their own body (a notice's issued
# document is nested one level deeper and stays in the YAML editor).
SECTIONED = frozenset({"work_points", "summary"})


class BodyError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class ItemView(Struct):
    values: dict[str, str]


class SectionView(Struct):
    title: str
    items: list[ItemView] = field(default_factory=list)
    nested: bool = False  # has level-2 sections (edited in the YAML)


class BodyView(Struct):
    sectioned: bool
    preamble: str = ""
    closing: str = ""
    sections: list[SectionView] = field(default_factory=list)
    attachments: list[tuple[str, str]] = field(default_factory=list)


def _key(node: Mapping[str, Any], model: type[PlanNode], name: str) -> str | None:
    spellings = [name, *(zh for zh, english in model.zh_aliases().items() if english == name)]
    return next((key for key in spellings if key in node), None)


def _get(node: Any, model: type[PlanNode], name: str) -> Any:
    if not isinstance(node, Mapping):
        return None
    key = _key(node, model, name)
    return node[key] if key is not None else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value).rstrip("\n")


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def body_view(data: CommentedMap, kind: str) -> BodyView:
    view = BodyView(sectioned=kind in SECTIONED)
    if view.sectioned:
        view.preamble = _text(_get(data, Body, "preamble"))
        view.closing = _text(_get(data, Body, "closing"))
        for section in _list(_get(data, Body, "sections")):
            items = [ItemView({name: _text(_get(item, Item, name)) for name, _, _ in ITEM_FIELDS})
                     for item in _list(_get(section, Section, "items"))]
            view.sections.append(SectionView(_text(_get(section, Section, "title")), items,
                                             bool(_get(section, Section, "sections"))))
    for attachment in _list(_get(data, DocumentBase, "attachments")):
        if isinstance(attachment, Mapping):
            view.attachments.append((_text(_get(attachment, Attachment, "title")),
                                     _text(_get(attachment, Attachment, "file"))))
        else:
            view.attachments.append((_text(attachment), ""))
    return view


class _Writer:
    """Puts values into the round-trip data, keeping keys' spelling; new keys in the plan's language."""

    def __init__(self, chinese: bool):
        self.chinese = chinese
        self.changed = False

    def spelling(self, model: type[PlanNode], name: str) -> str:
        chinese = [zh for zh, english in model.zh_aliases().items() if english == name]
        return chinese[0] if self.chinese and chinese else name

    def put(self, node: CommentedMap, model: type[PlanNode], name: str, value: str, kind: str) -> None:
        value = value.replace("\r\n", "\n")
        key = _key(node, model, name)
        old = node[key] if key is not None else None
        if value.strip() == _text(old).strip():
            return
        self.changed = True
        if not value.strip():
            if key is not None:
                del node[key]
            return
        node[key if key is not None else self.spelling(model, name)] = _node(value, kind, old)

    def seq(self, node: CommentedMap, model: type[PlanNode], name: str) -> CommentedSeq:
        """The list under `name`, made when the plan has none."""
        key = _key(node, model, name)
        if key is None or not isinstance(node[key], list):
            key = key or self.spelling(model, name)
            node[key] = CommentedSeq()
            self.changed = True
        found: CommentedSeq = node[key]
        return found


def _node(value: str, kind: str, old: Any) -> Any:
    if kind == "names":
        names = [line.strip() for line in value.splitlines() if line.strip()]
        return names[0] if len(names) == 1 and isinstance(old, str) else CommentedSeq(names)
    if kind == "long" and "\n" in value.strip():
        return LiteralScalarString(value.strip("\n") + "\n")
    return value.strip()


def _maps(seq: Any) -> list[CommentedMap]:
    return [node for node in _list(seq) if isinstance(node, CommentedMap)]


def apply_body(data: CommentedMap, kind: str, values: Mapping[str, str], action: str, chinese: bool) -> bool:
    """The form's body values, then its action, into `data`. Returns whether it changed."""
    writer = _Writer(chinese)
    if kind in SECTIONED:
        for name in ("preamble", "closing"):
            if PREFIX + name in values:
                writer.put(data, Body, name, values[PREFIX + name], "long")
        sections = _maps(_get(data, Body, "sections"))
        for i, section in enumerate(sections):
            if f"{PREFIX}s{i}.title" in values:
                writer.put(section, Section, "title", values[f"{PREFIX}s{i}.title"], "text")
            for j, item in enumerate(_maps(_get(section, Section, "items"))):
                for name, _, field_kind in ITEM_FIELDS:
                    if (got := values.get(f"{PREFIX}s{i}.i{j}.{name}")) is not None:
                        writer.put(item, Item, name, got, field_kind)
    for k, attachment in enumerate(_maps(_get(data, DocumentBase, "attachments"))):
        for name in ("title", "file"):
            if (got := values.get(f"{PREFIX}a{k}.{name}")) is not None:
                writer.put(attachment, Attachment, name, got, "text")
    if action:
        _act(data, kind, action, writer)
    return writer.changed


_ACTION = re.compile(r"^(add|remove|up|down)_(section|item|attachment)(?::(\d+))?(?::(\d+))?$")


def _act(data: CommentedMap, kind: str, action: str, writer: _Writer) -> None:
    match = _ACTION.match(action)
    if match is None:
        raise BodyError(f"不认识的操作“{action}”")
    verb, what, first, second = match.groups()
    if what == "attachment":
        _change(writer.seq(data, DocumentBase, "attachments"), verb, first,
                lambda: CommentedMap([(writer.spelling(Attachment, "title"), "")]), writer)
        return
    if kind not in SECTIONED:
        raise BodyError("这类文件的部分和事项请在 YAML 中编辑")
    sections = writer.seq(data, Body, "sections")
    if what == "section":
        def new_section() -> CommentedMap:
            return CommentedMap([(writer.spelling(Section, "title"), ""),
                                 (writer.spelling(Section, "items"), CommentedSeq([_new_item(writer)]))])
        _change(sections, verb, first, new_section, writer)
        return
    index = int(first) if first is not None else -1
    if not 0 <= index < len(sections) or not isinstance(sections[index], CommentedMap):
        raise BodyError(f"没有第 {index + 1} 部分")
    items = writer.seq(sections[index], Section, "items")
    _change(items, verb, second, lambda: _new_item(writer), writer)


def _new_item(writer: _Writer) -> CommentedMap:
    return CommentedMap([(writer.spelling(Item, "title"), ""), (writer.spelling(Item, "text"), "")])


def _change(seq: CommentedSeq, verb: str, position: str | None, make: Any, writer: _Writer) -> None:
    if verb == "add":
        seq.append(make())
        writer.changed = True
        return
    index = int(position) if position is not None else -1
    if not 0 <= index < len(seq):
        raise BodyError(f"没有第 {index + 1} 项")
    if verb == "remove":
        del seq[index]
    else:
        other = index - 1 if verb == "up" else index + 1
        if not 0 <= other < len(seq):
            return  # the first cannot go up, the last cannot go down
        seq[index], seq[other] = seq[other], seq[index]
    writer.changed = True
