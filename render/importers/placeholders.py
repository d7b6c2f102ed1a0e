"""Template placeholders: what a blank 公文 template prints where the real text goes.

Word templates ship lines such as `[此处输入文件标题]`, `XX发〔20XX〕XX号`,
`20XX年XX月XX日`, `XXXX人民政府`, `发文机关二`, `签发人：□□□` or `{{BODY_PLACEHOLDER}}`. None of
them is a fact of the document: taken for a title or a heading they make the importer
guess the document type wrong. A line made only of placeholders is dropped (and reported);
a placeholder inside a line (`（联系人：[联系人]）`) is left for the user to fill in.
"""

from __future__ import annotations

import re

# One placeholder token: a bracketed prompt ([此处输入正文], ［主送单位］, {{X}}), runs of X
# or □ standing for letters and digits, and the stock labels of Word's 公文 templates.
_TOKEN = re.compile(
    r"[\[［【][^\[\]［］【】]{0,24}[\]］】]"
    r"|\{\{[^{}]{0,40}\}\}"
    r"|[XＸ×]{2,}|□+"
    r"|发文机关[一二三四五六七八九十]|(?:通知|文件|公文)?标题|正文内容|[（(]?[签印]章[）)]?"
)
# What may stand between placeholders on a placeholder line: punctuation, spaces, the
# fixed words of a 发文字号 or a date, and the endings of an organ's name.
_FILLER = re.compile(
    r"[\s：:，,、。．.〔〕()（）\-—~～|｜*]|"
    r"签发人|发|号|第|年|月|日|印发|文件|人民政府|政府|委员会|办公室|局|市长|县长|区长"
)


def is_placeholder_line(text: str) -> bool:
    """Whether the line holds nothing but template placeholders (and the words around them)."""
    if not _TOKEN.search(text):
        return False
    rest = _TOKEN.sub("", text)
    rest = _FILLER.sub("", rest)
    return not re.sub(r"\d", "", rest)


def is_body_prompt(text: str) -> bool:
    """`[此处输入正文内容]`, `{{BODY_PLACEHOLDER}}`: where a template's body goes. Kept as the
    body (so a blank template imports as a plan to fill in), never taken for a heading.
    A `{{…}}` prompt is not kept: in a summary it would be read as a template expression."""
    return is_placeholder_line(text) and "{{" not in text and bool(re.search(r"正文|BODY", text))


def has_placeholder(text: str) -> bool:
    return bool(_TOKEN.search(text))
