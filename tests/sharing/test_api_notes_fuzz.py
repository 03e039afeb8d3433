"""Any text at all posted as a note gives a 201 with the cleaned text or a 400, never a 500."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from network.text import clean_text
from sharing.models import Note
from sharing.services import NOTE_MAX_LENGTH
from tests.conftest import api_as

# st.text() alone rarely goes past a few hundred characters, so long texts are built from a repeated piece.
long_texts = st.builds(
    lambda head, piece, times, tail: head + piece * times + tail,
    st.text(max_size=20),
    st.text(min_size=1, max_size=2),
    st.integers(min_value=0, max_value=12_500),
    st.text(max_size=20),
)
near_the_limit = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(["x", " ", "\x01", "é", "\r\n", "\x00", "😀"]),
    st.integers(min_value=NOTE_MAX_LENGTH - 5, max_value=NOTE_MAX_LENGTH + 5),
)
control_heavy = st.text(st.characters(max_codepoint=0xA0), max_size=200)
any_text = st.one_of(st.text(), control_heavy, long_texts, near_the_limit)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(text=any_text)
def test_any_text_is_saved_cleaned_or_refused_in_words(alice, grace, text):
    api = api_as(alice)
    notes_before = Note.objects.count()

    response = api.post(f"/api/v1/clients/{grace.public_id}/notes/", {"text": text}, format="json")

    cleaned = clean_text(text)
    if response.status_code == 201:
        assert response.data["text"] == cleaned
        assert Note.objects.get(pk=response.data["id"]).text == cleaned
        assert 0 < len(cleaned) <= NOTE_MAX_LENGTH
        # An oracle of its own, not clean_text's: no ASCII control character but tab and newline is stored.
        assert not any((ord(c) < 0x20 and c not in "\t\n") or c == "\x7f" for c in response.data["text"])
    else:
        assert response.status_code == 400, response.status_code
        assert list(response.data) == ["text"] and response.data["text"], response.data
        assert Note.objects.count() == notes_before
        # Refused only for a reason: NUL, nothing left once cleaned, or too long.
        assert "\x00" in text or not cleaned or len(text.strip()) > NOTE_MAX_LENGTH, response.data
