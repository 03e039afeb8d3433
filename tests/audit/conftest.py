import pytest

from tests.factories import NoteFactory


@pytest.fixture
def circle_note(grace, bob):
    return NoteFactory(client=grace, author=bob, text="Home visit.")


@pytest.fixture
def early_help_note(grace, alice):
    return NoteFactory(client=grace, author=alice, visibility="organisation", text="Early Help only.")
