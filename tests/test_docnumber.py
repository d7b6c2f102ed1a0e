"""发文字号: every malformed form gets its own code and shows the corrected form."""

from __future__ import annotations

import pytest

from render.model.docnumber import DocNumber, DocNumberError, doc_number_from_parts, parse_doc_number

CANONICAL = "南岸委办〔2022〕22号"


@pytest.mark.parametrize("text", [CANONICAL, "渝教基发〔2023〕3号", "国办发〔1949〕1号", "X〔2100〕999号"])
def test_valid_numbers_round_trip(text: str) -> None:
    assert str(parse_doc_number(text)) == text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("南岸委办(2022)22号", "E301"),
        ("南岸委办[2022]22号", "E301"),
        ("南岸委办【2022】22号", "E301"),
        ("南岸委办（2022）22号", "E301"),
        ("南岸委办﹝2022﹞22号", "E301"),
        ("南岸委办〔22〕22号", "E302"),
        ("南岸委办〔2022〕第22号", "E304"),
        ("南岸委办〔2022〕022号", "E305"),
        ("南岸委办〔2022〕22", "E306"),
        ("南岸委办 〔2022〕 22号", "E310"),
    ],
)
def test_each_malformed_form_shows_the_corrected_number(text: str, code: str) -> None:
    with pytest.raises(DocNumberError) as caught:
        parse_doc_number(text)
    assert caught.value.code == code
    assert caught.value.corrected == CANONICAL
    assert f"应写作“{CANONICAL}”" in caught.value.message


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("南岸委办〔2022〕22号、南岸委办〔2022〕23号", "E307"),
        ("南岸委办〔2022〕22号23号", "E307"),
        ("〔2022〕22号", "E308"),
        ("南岸委办〔1948〕2号", "E303"),
        ("南岸委办〔2101〕2号", "E303"),
        ("南岸委办〔2022〕0号", "E309"),
        ("二十二号", "E300"),
    ],
)
def test_numbers_that_cannot_be_corrected(text: str, code: str) -> None:
    with pytest.raises(DocNumberError) as caught:
        parse_doc_number(text)
    assert caught.value.code == code


def test_mapping_form_formats_canonically() -> None:
    assert str(doc_number_from_parts("南岸委办", 2022, 22)) == CANONICAL
    assert DocNumber("渝教基发", 2023, 3).__str__() == "渝教基发〔2023〕3号"


@pytest.mark.parametrize(("year", "code"), [(22, "E302"), (1900, "E303"), (True, "E302")])
def test_mapping_form_checks_the_year(year: object, code: str) -> None:
    with pytest.raises(DocNumberError) as caught:
        doc_number_from_parts("南岸委办", year, 1)
    assert caught.value.code == code
