import datetime as dt

import pytest

from commontable.core.numbers import NumberError, parse_date, parse_decimal, parse_int


def test_ascii_integer_parses_without_conversion():
    parsed = parse_int(" 1,234 ")
    assert parsed.value == 1234 and parsed.converted_from is None


@pytest.mark.parametrize("text", ["١٢٣", "１２３", "१२३"])
def test_non_ascii_digits_are_converted_visibly(text):
    parsed = parse_int(text)
    assert parsed.value == 123
    assert parsed.converted_from == text


@pytest.mark.parametrize("text", ["١٢٣", "１２３"])
def test_non_ascii_digits_are_refused_when_conversion_is_off(text):
    with pytest.raises(NumberError):
        parse_int(text, allow_conversion=False)


@pytest.mark.parametrize("text", ["12a", "", "1.5", "--1", "½"])
def test_garbage_is_not_an_integer(text):
    with pytest.raises(NumberError):
        parse_int(text)


def test_decimal_accepts_dollars():
    assert str(parse_decimal("$1,250.50").value) == "1250.50"


@pytest.mark.parametrize("text,expected", [("2024-03-05", dt.date(2024, 3, 5)), ("3/5/2024", dt.date(2024, 3, 5))])
def test_dates_iso_and_us(text, expected):
    assert parse_date(text).value == expected


@pytest.mark.parametrize("text", ["2024-02-30", "13/45/2024", "yesterday", "0001-01-01"])
def test_bad_dates_are_refused(text):
    with pytest.raises(NumberError):
        parse_date(text)
