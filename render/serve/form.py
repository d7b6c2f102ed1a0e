"""The page's form for the common keys, editing the plan's own YAML text.

The text is read and written with ruamel.yaml's round trip, so the comments, the order and
the spelling of keys (English or Chinese), and the layout of everything the form did not
change come back as the user wrote them. Only keys whose value the form changed are touched.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Mapping
from typing import Any

from msgspec import Struct
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import LiteralScalarString

from render.model.plan import Body, BulletinPlan, DocumentBase, normalise_type
from render.serve.form_body import BodyError, BodyView, apply_body, body_view


class FormField(Struct, frozen=True):
    name: str       # the model's field
    label: str
    kind: str       # names (one a line), text, long, date, flag (a checkbox), count (a number)
    only: str = ""  # shown only for this document type (简报), else for every type


FIELDS = (
    FormField("name", "简报名称", "text", only="简报"),
    FormField("issue", "期号", "count", only="简报"),
    FormField("total_issue", "总期号", "count", only="简报"),
    FormField("editor", "编印单位", "text", only="简报"),
    FormField("copies", "印数", "count", only="简报"),
    FormField("issuers", "发文机关", "names"),
    FormField("title", "标题", "text"),
    FormField("to", "主送机关", "names"),
    FormField("body", "正文", "long"),
    FormField("date", "成文日期", "date"),
    FormField("signer", "签发人", "text"),
    FormField("copy_no", "份号", "text"),
    FormField("secrecy", "密级", "text"),
    FormField("urgency", "紧急程度", "text"),
    FormField("seal", "印章", "flag"),
    FormField("note", "附注", "long"),
    FormField("cc", "抄送", "names"),
    FormField("printed_by", "印发机关", "text"),
    FormField("printed_on", "印发日期", "date"),
    FormField("header", "版头（发文机关标志，默认为发文机关名称）", "names"),
    FormField("signature", "署名（默认为发文机关）", "names"),
    FormField("units_file", "单位表（文件名）", "text"),
    FormField("numbering", "事项编号（continuous 连续，或 per_section 按部分）", "text", only="工作要点"),
)
NUMBER = FormField("number", "发文字号", "text")


class FormError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _yaml(text: str) -> YAML:
    yaml = YAML()  # round trip
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long Chinese line the user wrote on one line
    offset = _sequence_offset(text)
    yaml.indent(mapping=2, sequence=offset + 2, offset=offset)
    return yaml


def _sequence_offset(text: str) -> int:
    """How far the user indents a list's dashes under its key (`key:\\n  - a` is 2)."""
    match = re.search(r"^[^\s#][^\n]*:[ \t]*\n([ \t]*)- ", text, re.M)
    return len(match.group(1)) if match else 0


def _load(text: str) -> tuple[YAML, CommentedMap]:
    yaml = _yaml(text)
    try:
        data = yaml.load(text)
    except YAMLError:
        raise FormError("YAML 有误，表单无法读取；请在下方的 YAML 中改正") from None
    except ValueError:  # a date that does not exist: ruamel.yaml makes dates while reading
        raise FormError("计划中有表单无法读取的值（如不存在的日期）；请先在下方的 YAML 中改正") from None
    if not isinstance(data, CommentedMap):
        raise FormError("计划应为“键: 值”的映射；请在下方的 YAML 中改正")
    return yaml, data


def _spellings(field: str) -> list[str]:
    aliases = {**DocumentBase.zh_aliases(), **BulletinPlan.zh_aliases(), **Body.zh_aliases()}
    return [field, *(zh for zh, name in aliases.items() if name == field)]


def _key_of(data: CommentedMap, field: str) -> str | None:
    return next((key for key in _spellings(field) if key in data), None)


def _shown(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "flag":
        return "true" if value is True else ""
    if kind == "names":
        items = value if isinstance(value, list) else [value]
        return "\n".join(str(item) for item in items)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).rstrip("\n") if kind == "long" else str(value)


def form_values(text: str) -> dict[str, str]:
    """What the form shows: each common key's value as text (empty when absent)."""
    _, data = _load(text)
    values = {}
    for field in (*FIELDS, NUMBER):
        key = _key_of(data, field.name)
        values[field.name] = _shown(data[key], field.kind) if key is not None else ""
    return values


def _node(value: str, field: FormField, old: Any) -> Any:
    if field.kind == "flag":
        return True
    if field.kind == "names":
        names = [line.strip() for line in value.splitlines() if line.strip()]
        if len(names) == 1 and not isinstance(old, list):
            return names[0]
        return CommentedSeq(names)
    if field.kind == "long" and "\n" in value.strip():
        return LiteralScalarString(value.strip("\n") + "\n")
    if field.kind == "count" and value.strip().isdigit():
        return int(value.strip())
    if field.kind == "date":
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return value.strip()  # the loader reports it at its line
    return value.strip()


def _kind(data: CommentedMap) -> str:
    # The loader's own two spellings of the type key (it is not a model field).
    key = next((key for key in ("type", "类型") if key in data), None)
    kind = normalise_type(data[key]) if key is not None else ""
    return kind if isinstance(kind, str) else ""


def form_body(text: str) -> BodyView:
    """What the body editor shows (render/serve/form_body.py)."""
    _, data = _load(text)
    return body_view(data, _kind(data))


def apply_form(text: str, values: Mapping[str, str], action: str = "") -> str:
    """The plan's text with the form's changed values put in, then the body editor's action
    (add, remove or move a section, item or attachment): an existing key keeps its
    spelling and place; a new one is spelled in the plan's language, at the end."""
    yaml, data = _load(text)
    current = form_values(text)
    chinese = any(isinstance(key, str) and not key.isascii() for key in data)
    try:
        changed = apply_body(data, _kind(data), values, action, chinese)
    except BodyError as error:
        raise FormError(error.message) from None
    for field in (*FIELDS, NUMBER):
        if field.name not in values:
            continue
        value = values[field.name].replace("\r\n", "\n")
        if value.strip() == current[field.name].strip():
            continue
        changed = True
        key = _key_of(data, field.name)
        if not value.strip():
            if key is not None:
                del data[key]
            continue
        if key is None:
            key = _spellings(field.name)[1] if chinese and len(_spellings(field.name)) > 1 else field.name
            data[key] = _node(value, field, None)
        else:
            data[key] = _node(value, field, data[key])
    if not changed:
        return text
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()
