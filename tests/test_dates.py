from __future__ import annotations

import datetime as dt

import pytest

from render.model.dates import DateError, format_cn_date, parse_cn_date, parse_iso_date


@pytest.mark.parametrize(
    ("value", "printed"),
    [(dt.date(2022, 11, 4), "2022年11月4日"), (dt.date(2023, 1, 1), "2023年1月1日"), (dt.date(2022, 12, 31), "2022年12月31日")],
)
def test_dates_print_without_zero_padding(value: dt.date, printed: str) -> None:
    assert format_cn_date(value) == printed


@pytest.mark.parametrize("value", ["2022-11-04", "2022-11-4", dt.date(2022, 11, 4), dt.datetime(2022, 11, 4, 9, 30)])
def test_iso_dates_parse(value: object) -> None:
    assert parse_iso_date(value) == dt.date(2022, 11, 4)


@pytest.mark.parametrize(
    ("value", "code"),
    [("2022-02-30", "E402"), ("2022年11月4日", "E403"), ("二〇二二年十一月四日", "E403"), ("下周", "E401"), (20221104, "E401")],
)
def test_bad_dates_explain_themselves(value: object, code: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_iso_date(value)
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("二〇二二年十一月四日", dt.date(2022, 11, 4)),
        ("二〇二三年四月十二日印发", dt.date(2023, 4, 12)),
        ("二○二二年二月二十二日", dt.date(2022, 2, 22)),
        ("2022年01月04日", dt.date(2022, 1, 4)),
        ("没有日期", None),
    ],
)
def test_chinese_dates_are_recognised(text: str, expected: dt.date | None) -> None:
    assert parse_cn_date(text) == expected
