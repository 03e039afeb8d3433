import pytest

from tests.factories import NoteFactory


@pytest.fixture
def circle_note(grace, bob):
    """A note the whole circle may read."""
    return NoteFactory(client=grace, author=bob, text="Home visit: Grace is settling in well.")


@pytest.fixture
def early_help_note(grace, alice):
    """A note kept to Early Help (Alice and Bob's organisation): Carol, from Health, may not read it."""
    return NoteFactory(
        client=grace,
        author=alice,
        visibility="organisation",
        text="Early Help only: safeguarding discussion.",
    )
