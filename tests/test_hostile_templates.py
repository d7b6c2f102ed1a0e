"""Templates whose cost the sandbox's `*` limit never covered: every one ends, quickly and
within memory, with a Chinese error at the template's line (E705)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hostile import assert_clean, gongwen

COSTLY = {
    "nested-range": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "center": "{{ 'x' | center(10**9) }}",
    "percent-format": "{{ '%0999999999d' | format(1) }}",
    "percent-operator": "{{ '%0999999999d' % 1 }}",
    "brace-format": "{{ '{:>999999999}'.format('a') }}",
    "brace-nested-width": "{{ '{:>{}}'.format('a', 999999999) }}",
    "lipsum": "{{ lipsum(n=10**7) }}",
    "squaring-namespace": "{% set ns = namespace(s='xx') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
                          "{% endfor %}{{ ns.s | length }}",
    "squaring-macro": "{% macro grow(s) %}{{ grow(s ~ s) }}{% endmacro %}{{ grow('xx') }}",
    "replace": "{{ ('x' * 100000) | replace('x', 'x' * 100000) }}",
    "join": "{{ range(100000) | join('x' * 100000) }}",
    "string-loops": "{% for a in 'x' * 100000 %}{% for b in 'x' * 100000 %}{{ b }}{% endfor %}{% endfor %}",
    "indent": "{{ 'a\\nb' | indent(10**9) }}",
    "power": "{{ ((10 ** 60) ** 60) ** 60 }}",
}


def test_costly_templates_are_refused_at_their_line(tmp_path: Path) -> None:
    names = []
    for name, template in COSTLY.items():
        text = (f"type: summary\nissuers: [某某县第三中学]\ntitle: 某某县第三中学工作总结\ndate: 2025-01-10\n"
                f"data: {{school: 某某县第三中学}}\npreamble: |\n  本年度工作总结如下。\n  {template}\n")
        (tmp_path / f"{name}.yaml").write_text(text, encoding="utf-8")
        names.append(f"{name}.yaml")
    run = gongwen("validate", *names, cwd=tmp_path)
    assert_clean(run, "E705")
    for name in names:
        # The plan file's line of the template's second line (the block scalar starts on 7);
        # output that grows too large is stopped outside any one line.
        where = f"{name}:7:" if name.startswith("string-loops") else f"{name}:8:"
        assert any(line.startswith(where) and "E705" in line for line in run.text.splitlines()), f"{name}:\n{run.text}"


def test_a_costly_template_fails_render_alone(tmp_path: Path) -> None:
    good = ("type: summary\nissuers: [某某县第三中学]\ntitle: '{{ data.school }}工作总结'\ndate: 2025-01-10\n"
            "data: {school: 某某县第三中学}\npreamble: |\n  {% for i in range(3) %}第{{ i + 1 }}项。{% endfor %}\n")
    (tmp_path / "good.yaml").write_text(good, encoding="utf-8")
    nested = "{% for i in range(100000) %}{% for j in range(100000) %}第{{ j }}项。{% endfor %}{% endfor %}"
    (tmp_path / "bad.yaml").write_text(good.split("preamble:")[0] + f"preamble: |\n  {nested}\n", encoding="utf-8")
    run = gongwen("render", "good.yaml", "bad.yaml", "-o", "out", cwd=tmp_path)
    assert_clean(run, "E705")
    assert (tmp_path / "out" / "good.docx").is_file() and not (tmp_path / "out" / "bad.docx").exists()


def test_the_time_budget_ends_a_loop_no_other_bound_sees(monkeypatch: pytest.MonkeyPatch) -> None:
    # Loops over strings draw on no range() budget and produce no output: only the clock ends them.
    # (In-process, with the budget shortened: the command's own is 10 s.)
    from render.diagnostics import PlanError
    from render.reading import sandbox
    from render.reading.templatetext import render_templates

    monkeypatch.setattr(sandbox, "TIME_BUDGET_SECONDS", 0.3)
    raw = {"type": "summary", "title": "{% for a in 'x' * 100000 %}{% for b in 'x' * 100000 %}{% endfor %}{% endfor %}"}
    with pytest.raises(PlanError) as raised:
        render_templates(raw, {}, "d.yaml", "p.yaml")
    [problem] = raised.value.diagnostics
    assert problem.code == "E705" and "秒" in problem.message
