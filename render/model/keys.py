"""Plan data in the key language its author writes: English keys turned into the Chinese
aliases plan.py declares (the first spelling of each), model by model, so a generated plan
(`gongwen collect`) reads like the plan it came from."""

from __future__ import annotations

import typing
from typing import Any

from render.model.plan import _TYPE_VALUES, PLAN_CLASSES, PlanNode

# Values that have a Chinese spelling too (the model accepts both).
_VALUES_ZH = {
    "type": {en: zh for zh, en in reversed(_TYPE_VALUES.items()) if zh != en},
    "numbering": {"continuous": "连续", "per_section": "分部分"},
}


def chinese_keys(plan: dict[str, Any]) -> dict[str, Any]:
    """The plan dict (English keys, as the importers build it) with Chinese keys."""
    model = PLAN_CLASSES.get(str(plan.get("type", "")))
    if model is None:
        return plan
    return _node(plan, model)


def first_alias(model: type[PlanNode], field: str) -> str:
    extra = model.model_fields[field].json_schema_extra
    zh = extra.get("x-zh") if isinstance(extra, dict) else None
    return str(zh).split("/")[0] if zh else field


def _node(data: dict[str, Any], model: type[PlanNode]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in model.model_fields:
            out[key] = value
            continue
        inner = model_in(model.model_fields[key].annotation)
        if inner is not None and isinstance(value, dict):
            value = _node(value, inner)
        elif inner is not None and isinstance(value, list):
            value = [_node(v, inner) if isinstance(v, dict) else v for v in value]
        elif isinstance(value, str):
            value = _VALUES_ZH.get(key, {}).get(value, value)
        out[first_alias(model, key)] = value
    return out


def model_in(annotation: Any) -> type[PlanNode] | None:
    """The plan model class inside a field annotation (list[Item], Section | None, …)."""
    if isinstance(annotation, type) and issubclass(annotation, PlanNode):
        return annotation
    for arg in typing.get_args(annotation):
        found = model_in(arg)
        if found is not None:
            return found
    return None
