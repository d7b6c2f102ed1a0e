"""Safe YAML that remembers where every value came from.

PyYAML's safe loader alone drops node marks, silently keeps the last of two equal keys and
expands aliases without bound (a "billion laughs" plan would hang the tool). We compose the
node graph with the safe loader, then build plain Python data ourselves, recording the
line and column of every key and value and counting nodes as aliases expand.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from msgspec import Struct, field
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from render.diagnostics import Diagnostic
from render.inputs import PLAN, InputRefused, Limit, read_bytes

MAX_NODES = 200_000
MAX_BYTES = PLAN.max_bytes
MAX_DEPTH = 200  # what the message says; Python's recursion limit is the real bound

_ALLOWED_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
}
_MAP_TAG = "tag:yaml.org,2002:map"
# libyaml's parser where PyYAML was built with it (its wheels are): the same nodes and
# marks, several times faster than the pure-Python scanner on a long plan. A file it
# refuses is read again by the pure-Python one, whose errors and positions we explain.
_FastLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SEQ_TAG = "tag:yaml.org,2002:seq"

Path_ = tuple[str | int, ...]


class Mark(Struct, frozen=True):
    line: int
    col: int


class SourceMap(Struct):
    """Where each value (and each mapping key) stands in the file, by data path."""

    values: dict[Path_, Mark] = field(default_factory=dict)
    keys: dict[Path_, Mark] = field(default_factory=dict)
    literal: set[Path_] = field(default_factory=set)  # `|` block scalars: their text starts a line below

    def mark(self, path: Path_, prefer_key: bool = False) -> Mark | None:
        """The closest recorded position: the path itself, else its nearest ancestor."""
        for end in range(len(path), -1, -1):
            sub = path[:end]
            table = (self.keys, self.values) if prefer_key or end < len(path) else (self.values, self.keys)
            for source in table:
                if sub in source:
                    return source[sub]
        return None


class YamlSourceError(Exception):
    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic
        super().__init__(diagnostic.format())


class _Builder(Struct):
    loader: yaml.SafeLoader
    path: str
    source_map: SourceMap = field(default_factory=SourceMap)
    count: int = 0

    def fail(self, code: str, message: str, node: Node) -> YamlSourceError:
        mark = node.start_mark
        return YamlSourceError(Diagnostic(code, message, self.path, mark.line + 1, mark.column + 1))

    def build(self, node: Node, at: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(
                "E103", f"YAML 内容展开后超过 {MAX_NODES} 个节点（别名 * 嵌套过深？），拒绝读取", node
            )
        self.source_map.values[at] = Mark(node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, MappingNode):
            return self.build_mapping(node, at)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ_TAG:
                raise self.fail("E102", f"不允许的 YAML 标签 {_short_tag(node.tag)}：计划文件只能包含普通数据", node)
            return [self.build(child, (*at, index)) for index, child in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        if node.style == "|":
            self.source_map.literal.add(at)
        if node.tag not in _ALLOWED_SCALAR_TAGS:
            raise self.fail("E102", f"不允许的 YAML 标签 {_short_tag(node.tag)}：计划文件只能包含普通数据", node)
        try:
            return self.loader.construct_object(node)
        except ValueError:
            # PyYAML resolves 2023-02-30 as a timestamp, then fails to build the date.
            raise self.fail("E402", f"“{node.value}”不是存在的日期", node) from None

    def build_mapping(self, node: MappingNode, at: Path_) -> dict[str, Any]:
        if node.tag != _MAP_TAG:
            raise self.fail("E102", f"不允许的 YAML 标签 {_short_tag(node.tag)}：计划文件只能包含普通数据", node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise self.fail("E105", "不支持 YAML 合并键“<<”，请把内容直接写出来", key_node)
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _ALLOWED_SCALAR_TAGS:
                raise self.fail("E104", "键必须是简单的文字", key_node)
            key = str(self.loader.construct_object(key_node))
            if key in result:
                raise self.fail("E106", f"键“{key}”在同一层里写了两次", key_node)
            self.source_map.keys[(*at, key)] = Mark(key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = self.build(value_node, (*at, key))
        return result


def _expanded_size(node: Node, memo: dict[int, int]) -> int:
    """How many nodes the document becomes once aliases expand, counted on the shared node
    graph (each node once), so a "billion laughs" is refused before any expansion."""
    known = memo.get(id(node))
    if known is not None:
        return known
    memo[id(node)] = MAX_NODES + 1  # a node reached again while being counted: a cycle
    if isinstance(node, MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    elif isinstance(node, SequenceNode):
        size = 1 + sum(_expanded_size(child, memo) for child in node.value)
    else:
        size = 1
    memo[id(node)] = min(size, MAX_NODES + 1)
    return memo[id(node)]


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def load_yaml_text(text: str, path: str = "<输入>") -> tuple[Any, SourceMap]:
    """Parse `text` as safe YAML, returning the data and where each value came from."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise YamlSourceError(Diagnostic("E107", f"文件超过 {MAX_BYTES // 1_000_000} MB，不像是计划文件", path))
    if _FastLoader is not yaml.SafeLoader:
        try:
            return _parse(_FastLoader, text, path)
        except (yaml.YAMLError, YamlSourceError, RecursionError):
            pass  # PyYAML's own scanner says what is wrong, and where, in the words we explain
    try:
        return _parse(yaml.SafeLoader, text, path)
    except yaml.reader.ReaderError as error:
        raise YamlSourceError(_reader_diagnostic(error, text, path)) from None
    except yaml.MarkedYAMLError as error:
        raise YamlSourceError(_syntax_diagnostic(error, path)) from None
    except yaml.YAMLError as error:
        raise YamlSourceError(Diagnostic("E101", f"YAML 语法错误：{error}", path)) from None
    except RecursionError:
        raise YamlSourceError(Diagnostic("E109", f"YAML 嵌套过深（超过 {MAX_DEPTH} 层左右的 [ ] 或 {{ }} 或缩进），"
                                                 "不像是计划文件，拒绝读取", path)) from None


def _parse(loader_class: type[yaml.SafeLoader], text: str, path: str) -> tuple[Any, SourceMap]:
    loader = None
    try:
        # Inside the try: the reader already refuses characters YAML cannot hold (a NUL).
        loader = loader_class(text)
        node = loader.get_single_node()
        if node is None:
            return None, SourceMap()
        builder = _Builder(loader, path)
        if _expanded_size(node, {}) > MAX_NODES:
            raise builder.fail(
                "E103", f"YAML 内容展开后超过 {MAX_NODES} 个节点（别名 * 嵌套过深？），拒绝读取", node
            )
        return builder.build(node, ()), builder.source_map
    finally:
        if loader is not None:
            loader.dispose()


def _reader_diagnostic(error: yaml.reader.ReaderError, text: str, path: str) -> Diagnostic:
    """A character YAML does not allow in a file (a NUL byte, other control characters)."""
    position = max(0, min(error.position, len(text)))
    line = text.count("\n", 0, position) + 1
    col = position - (text.rfind("\n", 0, position) + 1) + 1
    code = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "\0")
    return Diagnostic("E109", f"文件含有不能出现在计划里的控制字符 U+{code:04X}（文件可能已损坏，或不是文本文件）",
                      path, line, col)


def _syntax_diagnostic(error: yaml.MarkedYAMLError, path: str) -> Diagnostic:
    mark = error.problem_mark or error.context_mark
    problem = error.problem or error.context or "无法解析"
    explained = next((zh for en, zh in _SYNTAX_HINTS if en in problem), None)
    message = f"YAML 语法错误：{explained}（{problem}）" if explained else f"YAML 语法错误：{problem}"
    if mark is None:
        return Diagnostic("E101", message, path)
    return Diagnostic("E101", message, path, mark.line + 1, mark.column + 1)


# PyYAML's messages, in the words an office user understands.
_SYNTAX_HINTS: tuple[tuple[str, str], ...] = (
    ("mapping values are not allowed", "此处不能写“键: 值”：缩进不对，或文字里的冒号需要加引号"),
    ("could not find expected ':'", "缺少冒号“:”"),
    ("cannot start any token", "不能用 Tab 缩进，请改用空格"),
    ("expected <block end>", "缩进不一致"),
    ("did not find expected key", "缩进不一致，或列表项缺少“- ”"),
    ("did not find expected '-' indicator", "列表项缩进不一致"),
    ("found undefined alias", "使用了未定义的别名 *"),
    ("found unexpected end of stream", "引号没有闭合"),
    ("found unknown escape character", "双引号里的反斜杠需要写成 \\\\"),
)


def load_yaml_file(path: Path, limit: Limit = PLAN) -> tuple[Any, SourceMap]:
    """A YAML file (a plan, units or data file: `limit` says which), read with a bound."""
    shown = str(path)
    try:
        raw = read_bytes(path, limit)
    except InputRefused as refused:
        if not os.path.lexists(path):
            raise YamlSourceError(Diagnostic("E100", "文件不存在", shown)) from None
        raise YamlSourceError(Diagnostic(refused.code, refused.message, shown)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise YamlSourceError(
            Diagnostic("E108", f"文件不是 UTF-8 编码（第 {error.start} 字节），请另存为 UTF-8", shown)
        ) from None
    return load_yaml_text(text, shown)
