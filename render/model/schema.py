"""The JSON Schema of plans, for editors (VS Code's YAML extension) to autocomplete.

pydantic writes the English keys; each Chinese alias is added beside its English key, and a
required key may be given in either spelling.
"""

from __future__ import annotations

import json
from typing import Any, Union

from pydantic import TypeAdapter

from render.model.plan import _TYPE_VALUES, BulletinPlan, NoticePlan, SummaryPlan, WorkPointsPlan


def _add_aliases(node: dict[str, Any]) -> None:
    properties = node.get("properties")
    if not isinstance(properties, dict):
        return
    for name, prop in list(properties.items()):
        if name == "type" and "const" in prop:
            english = prop.pop("const")
            prop["enum"] = [english, *(zh for zh, en in _TYPE_VALUES.items() if en == english and zh != english)]
        for zh in str(prop.get("x-zh", "")).split("/"):
            if zh:
                properties[zh] = {**prop, "description": f"{name} 的中文写法"}
    required = node.pop("required", [])
    if required:
        node["allOf"] = [
            {"anyOf": [{"required": [key]}] + [{"required": [zh]} for zh in str(properties[key].get("x-zh", "")).split("/") if zh]}
            for key in required
        ]


def _visit(node: Any) -> None:
    if isinstance(node, dict):
        _add_aliases(node)
        for value in node.values():
            _visit(value)
    elif isinstance(node, list):
        for value in node:
            _visit(value)


def plan_schema() -> dict[str, Any]:
    # A plain union: pydantic's discriminator would not know the Chinese type values.
    adapter: TypeAdapter[Any] = TypeAdapter(Union[NoticePlan, WorkPointsPlan, BulletinPlan, SummaryPlan])
    schema = adapter.json_schema()
    _visit(schema)
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    schema["title"] = "gongwen plan"
    return schema


def plan_schema_json() -> str:
    return json.dumps(plan_schema(), ensure_ascii=False, indent=2, sort_keys=True)
