"""The plan model: every key of the plan-format contract, validated with pydantic.

Every field declares its Chinese alias once (`zh=`); a plan may use either spelling, and
`PlanNode` turns the Chinese spelling into the English one before validation. A mapping
that spells one key both ways keeps the Chinese key, which pydantic then reports as an
extra key; the loader turns that report into "both spellings" (E202).
"""

# No `from __future__ import annotations` here or in render/profile.py: pydantic would
# compile and evaluate every field's annotation string as each class is built, which is a
# tenth of what building these classes costs in every command.

import datetime as dt
import re
from functools import cache
from typing import Annotated, Any, ClassVar, Literal, Self, Union

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from render.model.dates import DateError, looks_like_date, parse_iso_date
from render.model.docnumber import DocNumber, DocNumberError, doc_number_from_parts, parse_doc_number


def zh_field(zh: str, default: Any = ..., description: str = "", **kwargs: Any) -> Any:
    """A model field with its Chinese key alias (kept in the JSON schema as x-zh)."""
    return Field(default, description=description or zh, json_schema_extra={"x-zh": zh}, **kwargs)


class PlanNode(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_default=False, defer_build=True)

    @classmethod
    @cache
    def zh_aliases(cls) -> dict[str, str]:
        """Chinese key → English field name for this model."""
        aliases: dict[str, str] = {}
        for name, info in cls.model_fields.items():
            extra = info.json_schema_extra
            if isinstance(extra, dict) and isinstance(extra.get("x-zh"), str):
                for zh in str(extra["x-zh"]).split("/"):
                    aliases[zh] = name
        return aliases

    @model_validator(mode="before")
    @classmethod
    def _english_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        aliases = cls.zh_aliases()
        result: dict[str, Any] = {}
        for key, value in data.items():
            english = aliases.get(key, key) if isinstance(key, str) else key
            if (english in data and english != key) or english in result:
                result[key] = value  # two spellings of one key: left for pydantic to reject
            else:
                result[english] = value
        return result


# --- scalar types -----------------------------------------------------------------------

def _as_name_list(value: Any) -> Any:
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        cleaned = []
        for name in value:
            if not isinstance(name, str) or not name.strip():
                raise PydanticCustomError("E204", "单位名称应为非空文字")
            cleaned.append(name.strip())
        return cleaned
    return value


def _as_text(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value.strip("\n").rstrip()
    return value


def _as_date(value: Any) -> dt.date:
    try:
        return parse_iso_date(value)
    except DateError as error:
        raise PydanticCustomError(error.code, error.message) from None


def _as_due(value: Any) -> dt.date | str:
    if isinstance(value, str) and not looks_like_date(value):
        if not value.strip():
            raise PydanticCustomError("E404", "完成时限不能为空")
        return value.strip()
    return _as_date(value)


_YES_NO = {"是": True, "否": False, "有": True, "无": False, "加盖": True, "不加盖": False}


def _as_flag(value: Any) -> Any:
    """是/否 where a plan written in Chinese says yes or no (YAML's true/false work too)."""
    if isinstance(value, str) and value.strip() in _YES_NO:
        return _YES_NO[value.strip()]
    return value


Names = Annotated[list[str], BeforeValidator(_as_name_list, json_schema_input_type=Union[str, list[str]])]
Flag = Annotated[bool, BeforeValidator(_as_flag, json_schema_input_type=Union[bool, Literal["是", "否"]])]
Text = Annotated[str, BeforeValidator(_as_text, json_schema_input_type=Union[str, int, float])]
IsoDate = Annotated[dt.date, BeforeValidator(_as_date)]
Due = Annotated[dt.date | str, BeforeValidator(_as_due)]


_TYPE_VALUES = {
    "notice": "notice", "通知": "notice", "公文": "notice",
    "work_points": "work_points", "工作要点": "work_points", "要点": "work_points",
    "bulletin": "bulletin", "简报": "bulletin", "工作简报": "bulletin",
    "summary": "summary", "总结": "summary",
}


def normalise_type(value: Any) -> Any:
    return _TYPE_VALUES.get(value, value) if isinstance(value, str) else value


_NUMBERED_TITLE = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+\s*[、.．]|[（(]\s*[一二三四五六七八九十百]+\s*[）)]"
    r"|\d+\s*[.．、]|[（(]\s*\d+\s*[）)])\s*"
)


# --- 发文字号 ---------------------------------------------------------------------------

def _string_or_mapping(schema: dict[str, Any]) -> None:
    """Editors should accept 南岸委办〔2022〕22号 as well as the mapping form."""
    mapping = dict(schema)
    schema.clear()
    schema["description"] = mapping.get("description", "")
    schema["anyOf"] = [{"type": "string", "pattern": "^.+〔[0-9]{4}〕[1-9][0-9]*号$"}, mapping]


def _auto_serial(value: Any) -> Any:
    return "auto" if isinstance(value, str) and value.strip() in ("自动", "auto") else value


class NumberSpec(PlanNode):
    """发文字号 as written in a plan: a string, or {code, year, serial}; serial may be auto."""

    model_config = ConfigDict(extra="forbid", defer_build=True, json_schema_extra=lambda schema: _string_or_mapping(schema))

    code: str = zh_field("机关代字/代字", description="机关代字，如 南岸委办")
    year: int = zh_field("年份", description="年份，4 位")
    serial: Annotated[int | Literal["auto"], BeforeValidator(
        _auto_serial, json_schema_input_type=Union[int, Literal["auto", "自动"]])] = zh_field(
        "序号", description="发文顺序号；auto（或“自动”）表示从发文字号登记簿取下一个号"
    )

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, str):
            try:
                parsed = parse_doc_number(data)
            except DocNumberError as error:
                raise PydanticCustomError(error.code, error.message) from None
            return {"code": parsed.code, "year": parsed.year, "serial": parsed.serial}
        return data

    @model_validator(mode="after")
    def _check_parts(self) -> Self:
        serial = 1 if self.serial == "auto" else self.serial
        try:
            doc_number_from_parts(self.code, self.year, serial)
        except DocNumberError as error:
            raise PydanticCustomError(error.code, error.message) from None
        return self

    @property
    def is_auto(self) -> bool:
        return self.serial == "auto"

    def resolved(self) -> DocNumber:
        if self.serial == "auto":
            raise ValueError("serial: auto must be resolved through the number registry first")
        return DocNumber(self.code, self.year, self.serial)


# --- the work-points body ----------------------------------------------------------------

class Numbered(PlanNode):
    """A heading or item whose number the renderer writes; a number in the title is stripped."""

    title: Text = zh_field("标题")
    _stripped_number: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _strip_number(self) -> Self:
        match = _NUMBERED_TITLE.match(self.title)
        if match and match.end() < len(self.title):
            self._stripped_number = match.group(0).strip()
            self.title = self.title[match.end():]
        return self

    @property
    def stripped_number(self) -> str | None:
        return self._stripped_number


class Item(Numbered):
    """A work point: lead sentence (title, without its 。), detail, units, due date."""

    title: Text = zh_field("标题", description="事项的领起句，不含句末“。”和编号")
    text: Text | None = zh_field("内容", None)
    points: list[Text] = zh_field("分项", [], description="第四层（1）（2）…的段落")
    lead: Names = zh_field("牵头单位", [])
    units: Names = zh_field("责任单位", [])
    due: Due | None = zh_field("完成时限", None)

    @field_validator("title")
    @classmethod
    def _no_final_stop(cls, value: str) -> str:
        return value.rstrip().rstrip("。.").rstrip()


class Section(Numbered):
    title: Text = zh_field("标题")
    text: Text | None = zh_field("正文/内容", None)
    run_in: Flag = zh_field("连排", False, description="标题与正文连排成一段，如“（一）加强组织保障。……”")
    sections: list["Section"] = zh_field("部分", [])
    items: list[Item] = zh_field("事项", [])


NumberingStyle = Literal["continuous", "per_section"]


def _numbering(value: Any) -> Any:
    return {"连续": "continuous", "分部分": "per_section", "按部分": "per_section"}.get(value, value)


class Body(PlanNode):
    """The work-points body shared by 工作要点, 总结 and the document a notice issues."""

    preamble: Text | None = zh_field("前言", None)
    sections: list[Section] = zh_field("部分", [])
    closing: Text | None = zh_field("结语", None)
    numbering: Annotated[NumberingStyle, BeforeValidator(
        _numbering, json_schema_input_type=Literal["continuous", "per_section", "连续", "分部分", "按部分"])] = zh_field(
        "编号", "continuous")


class IssuedDocument(Body):
    title: Text = zh_field("标题")
    subtitle: Text | None = zh_field("副标题", None)


class Attachment(PlanNode):
    title: Text = zh_field("标题")
    file: str | None = zh_field("文件", None)

    @field_validator("title")
    @classmethod
    def _no_final_punctuation(cls, value: str) -> str:
        # GB/T 9704 7.3.4: no punctuation after an attachment name.
        return value.rstrip("。.；;，,")


# --- the common keys ---------------------------------------------------------------------

_SECRECY = re.compile(r"^(绝密|机密|秘密)(★.*)?$")
_URGENCY = ("特急", "加急", "特提", "平急")


class DocumentBase(PlanNode):
    issuers: Names = zh_field("发文机关", [])
    header: Names | None = zh_field("版头", None, description="发文机关标志；默认为发文机关名称（通知加“文件”）")
    number: NumberSpec | None = zh_field("发文字号", None)
    signer: Names | None = zh_field("签发人", None)
    copy_no: Text | None = zh_field("份号", None)
    secrecy: Text | None = zh_field("密级", None)
    urgency: Text | None = zh_field("紧急程度", None)
    title: Text | None = zh_field("标题", None)
    to: Names = zh_field("主送机关/主送单位", [])
    body: Text | None = zh_field("正文", None)
    attachments: list[Attachment] = zh_field("附件", [])
    signature: Names | None = zh_field("署名", None)
    date: IsoDate | None = zh_field("成文日期", None)
    seal: Flag = zh_field("印章", False, description="加盖印章：true/false，或 是/否")
    note: Text | None = zh_field("附注", None)
    cc: Names = zh_field("抄送", [])
    printed_by: Text | None = zh_field("印发机关", None)
    printed_on: IsoDate | None = zh_field("印发日期", None)
    units_file: str | None = zh_field("单位表", None)

    @field_validator("copy_no")
    @classmethod
    def _copy_no(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"\d{1,6}", value):
            raise PydanticCustomError("E206", "份号应为 1–6 位阿拉伯数字（打印时补足 6 位）")
        return value

    @field_validator("secrecy")
    @classmethod
    def _secrecy(cls, value: str | None) -> str | None:
        if value is not None and not _SECRECY.match(value):
            raise PydanticCustomError("E207", "密级应为 绝密、机密 或 秘密，保密期限用★连接，如“秘密★1年”")
        return value

    @field_validator("urgency")
    @classmethod
    def _urgency(cls, value: str | None) -> str | None:
        if value is not None and value not in _URGENCY:
            raise PydanticCustomError("E208", "紧急程度应为 特急 或 加急（电报另有 特提、平急）")
        return value

    @property
    def signature_names(self) -> list[str]:
        return list(self.signature or self.issuers)

    @property
    def effective_printed_on(self) -> dt.date | None:
        return self.printed_on or self.date


class NoticePlan(DocumentBase):
    kind: ClassVar[str] = "notice"
    type: Annotated[Literal["notice"], BeforeValidator(normalise_type)] = zh_field("类型")
    title: Text = zh_field("标题")
    # The notice's own body may be structured like work points: 正文 leads in, the sections
    # follow (一、（一）1.（1）, numbered by the renderer), the 结语 closes it.
    sections: list[Section] = zh_field("部分", [])
    closing: Text | None = zh_field("结语", None)
    issued_document: IssuedDocument | None = zh_field("印发文件", None)


class WorkPointsPlan(DocumentBase, Body):
    kind: ClassVar[str] = "work_points"
    type: Annotated[Literal["work_points"], BeforeValidator(normalise_type)] = zh_field("类型")
    title: Text = zh_field("标题")


class SummaryPlan(DocumentBase, Body):
    kind: ClassVar[str] = "summary"
    type: Annotated[Literal["summary"], BeforeValidator(normalise_type)] = zh_field("类型")
    title: Text = zh_field("标题")
    data: dict[str, Any] | str | None = zh_field(
        "数据", None, description="模板数据：映射，或 YAML/JSON 文件路径；文字中可用 {{ data.xxx }}"
    )


class Image(PlanNode):
    file: str = zh_field("文件")
    caption: Text | None = zh_field("图注/说明", None)


class Article(PlanNode):
    title: Text = zh_field("标题")
    subtitle: Text | None = zh_field("副标题", None)
    byline: Text | None = zh_field("署名/作者", None)
    body: Text = zh_field("正文")
    images: list[Image] = zh_field("图片", [])


class Distribution(PlanNode):
    report: Names = zh_field("报", [])
    send: Names = zh_field("送", [])
    distribute: Names = zh_field("发", [])


class BulletinPlan(DocumentBase):
    kind: ClassVar[str] = "bulletin"
    type: Annotated[Literal["bulletin"], BeforeValidator(normalise_type)] = zh_field("类型")
    name: Text = zh_field("名称", description="报头名称，如 綦江教育简报")
    issue: int | None = zh_field("期号", None)
    total_issue: int | None = zh_field("总期号", None)
    editor: Text | None = zh_field("编印", None, description="编印单位")
    articles: list[Article] = zh_field("文章")
    distribution: Distribution | None = zh_field("报送", None)
    copies: int | None = zh_field("印数", None)


Plan = Union[NoticePlan, WorkPointsPlan, BulletinPlan, SummaryPlan]
PLAN_CLASSES: dict[str, type[DocumentBase]] = {
    cls.kind: cls for cls in (NoticePlan, WorkPointsPlan, BulletinPlan, SummaryPlan)  # type: ignore[attr-defined]
}
DOCUMENT_TYPES_ZH = {"notice": "通知", "work_points": "工作要点", "bulletin": "简报", "summary": "总结"}


def body_of(plan: DocumentBase) -> Body | None:
    """The work-points body of a plan: its own, or the document a notice issues."""
    if isinstance(plan, (WorkPointsPlan, SummaryPlan)):
        return plan
    if isinstance(plan, NoticePlan):
        return plan.issued_document
    return None
