import pytest
from hypothesis import given
from hypothesis import strategies as st

from circles import public_id


def test_generated_ids_are_valid_and_formatted():
    for _ in range(200):
        pid = public_id.generate()
        assert len(pid) == 9 and pid[4] == "-"
        assert public_id.normalise(pid) == pid


def test_it_reads_forgivingly():
    pid = public_id.generate()
    typed = f"  {pid.lower().replace('-', ' ')} "
    assert public_id.normalise(typed) == pid


def test_it_reads_o_as_zero_and_i_l_as_one():
    payload = "1000000"
    pid = public_id.display(payload + public_id.check_symbol(payload))
    assert public_id.normalise(pid.replace("0", "O").replace("1", "l")) == pid


@given(st.integers(min_value=0, max_value=7), st.sampled_from(public_id.ALPHABET))
def test_every_single_mistyped_symbol_is_rejected(position, replacement):
    pid = public_id.generate().replace("-", "")
    if pid[position] == replacement:
        return
    typo = pid[:position] + replacement + pid[position + 1 :]
    with pytest.raises(public_id.InvalidPublicId):
        public_id.normalise(typo)


@pytest.mark.parametrize("text", ["", "ABC", "7KM3-QXP4-EXTRA", "UUUU-UUUU", "<script>", "7KM3_QXP4"])
def test_malformed_ids_are_rejected(text):
    with pytest.raises(public_id.InvalidPublicId):
        public_id.normalise(text)
