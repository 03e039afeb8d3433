"""network.text: what typed text loses before it is stored (control characters), and what it keeps."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from network.text import clean_line, clean_text, length_errors


@pytest.mark.parametrize(
    "typed,stored",
    [
        ("Hello", "Hello"),
        ("  padded  \n", "padded"),
        ("a\x00b\x01c\x08d", "abcd"),
        ("bell\x07 escape\x1b[0m delete\x7f", "bell escape[0m delete"),
        ("vertical\x0btab form\x0cfeed", "verticaltab formfeed"),
        ("windows\r\nline\rbreaks\n", "windows\nline\nbreaks"),
        ("keeps\ttabs\nand\n\nblank lines", "keeps\ttabs\nand\n\nblank lines"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("émoji 😀 and ünïcödé", "émoji 😀 and ünïcödé"),
        ("", ""),
        (None, ""),
    ],
)
def test_clean_text(typed, stored):
    assert clean_text(typed) == stored


@pytest.mark.parametrize(
    "typed,stored",
    [
        ("Grace", "Grace"),
        ("Grace\nOkafor", "Grace Okafor"),
        ("Grace\r\n\tOkafor", "Grace Okafor"),
        ("Gr\x00ace\x1f", "Grace"),
        ("  \n ", ""),
        (None, ""),
    ],
)
def test_clean_line(typed, stored):
    assert clean_line(typed) == stored


def test_length_errors_name_each_field_over_its_limit_in_words():
    errors = length_errors({"name": ("x" * 101, 100), "note": ("y" * 20_001, 20_000), "ok": ("z" * 5, 5)})
    assert errors == {
        "name": "Use 100 characters or fewer (this has 101).",
        "note": "Use 20,000 characters or fewer (this has 20,001).",
    }


C0_CONTROLS = st.text(st.characters(max_codepoint=0x7F), max_size=100)


@given(C0_CONTROLS | st.text())
def test_no_ascii_control_character_survives_but_tab_and_newline(text):
    cleaned = clean_text(text)
    assert not any(ord(c) < 0x20 and c not in "\t\n" for c in cleaned)
    assert "\x7f" not in cleaned and "\r" not in cleaned
    assert cleaned == cleaned.strip()


@given(st.text())
def test_a_line_has_no_line_breaks(text):
    assert not set("\r\n\t") & set(clean_line(text))


@given(st.text())
def test_cleaning_twice_changes_nothing(text):
    assert clean_text(clean_text(text)) == clean_text(text)
    assert clean_line(clean_line(text)) == clean_line(text)


@given(st.text(st.characters(min_codepoint=0x80, max_codepoint=0x9F), min_size=1))
def test_no_c1_control_character_survives(text):
    cleaned = clean_text(text)
    assert not any(unicodedata.category(c) == "Cc" for c in cleaned)
