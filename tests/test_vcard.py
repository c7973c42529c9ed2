"""policycli.contacts.vcard: escaping, structured values, names, and folding at 75 octets."""
from __future__ import annotations

import pytest
import vobject
from hypothesis import given
from hypothesis import strategies as st

from policycli.contacts import vcard


def test_escape_backslash_comma_semicolon_and_line_breaks():
    assert vcard.escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    assert vcard.escape("核实提示：区号为0352，青岛为0532。") == "核实提示：区号为0352，青岛为0532。"


def test_structured_escapes_each_component():
    assert vcard.structured("A;B", "C,D") == "A\\;B;C\\,D"


def test_split_name():
    assert vcard.split_name("陈辉平") == ("陈", "辉平")
    assert vcard.split_name("刘琦") == ("刘", "琦")
    assert vcard.split_name("欧阳明") == ("欧阳", "明")
    assert vcard.split_name("欧阳") == ("欧", "阳")


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=300))
def test_fold_keeps_lines_within_75_octets_and_whole_characters(value):
    folded = vcard.fold("NOTE:" + value)
    for line in folded.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    assert unfold(folded) == "NOTE:" + value


def test_fold_never_splits_a_chinese_character():
    folded = vcard.fold("NOTE:" + "核实提示" * 40)
    lines = folded.encode("utf-8").split(b"\r\n")
    assert len(lines) > 2
    for line in lines:
        line.decode("utf-8")  # raises if a character was cut
        assert len(line) <= 75
    assert all(line.startswith(b" ") for line in lines[1:])


def test_a_card_with_every_special_character_parses_back():
    text = vcard.card([
        ("N", vcard.structured(*vcard.split_name("欧阳明"), "", "", "")),
        ("FN", vcard.escape("欧阳明")),
        ("ORG", vcard.structured("某局;总部", "一科,二科\\三科")),
        ("TEL;TYPE=WORK,VOICE", "0532-12345678"),
        ("NOTE", vcard.escape("第一行\n第二行；含 , ; \\ 与“引号”" + "很长的说明" * 30)),
    ])
    assert text.endswith("END:VCARD\r\n") and "\n" not in text.replace("\r\n", "")
    card = vobject.readOne(text)
    assert card.fn.value == "欧阳明"
    assert (card.n.value.family, card.n.value.given) == ("欧阳", "明")
    assert card.org.value == ["某局;总部", "一科,二科\\三科"]
    assert card.note.value.startswith("第一行\n第二行；含 , ; \\ 与“引号”")


@pytest.mark.parametrize("lead", range(12))
def test_fold_never_splits_an_escape_from_its_backslash(lead):
    """Phones that read escapes line by line would show a stray backslash and a lone 'n'."""
    value = vcard.escape("政" * 20 + "x" * lead + "\n牵头单位；区工信局,区财政局\\" * 4)
    folded = vcard.fold("NOTE:" + value)
    for line in folded.split("\r\n"):
        body = line.rstrip("\\")
        assert (len(line) - len(body)) % 2 == 0, line  # no line ends in half an escape
        assert len(line.encode("utf-8")) <= 75
    assert unfold(folded) == "NOTE:" + value
