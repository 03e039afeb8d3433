"""The sense-making board: what the circle is worried about, what is working well, what needs to happen,
and each person's judgement on a scale of 0 to 10.

Cards are co-edited like the plan's goals (`coedit`): a `version` raised by every saved change, and one
`CardChange` row per changed field.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from circles.models import Client
from coedit.fields import CHOICE, TEXT, VersionedField, VersionedFields
from coedit.models import FieldChange
from network.models import Organisation


class Column(models.TextChoices):
    WORRY = "worry", "What are we worried about?"
    WORKING_WELL = "working_well", "What's working well?"
    NEXT_STEP = "next_step", "What needs to happen?"


class WorryKind(models.TextChoices):
    HARM = "harm", "Harm: what has happened"
    DANGER = "danger", "Danger: what we fear may happen"
    COMPLICATING = "complicating", "Complicating factor"


class Visibility(models.TextChoices):
    """As for notes, without "named people only"."""

    CIRCLE = "circle", "Whole circle"
    ORGANISATION = "organisation", "My organisation only"
    CLIENT = "client", "Whole circle, and shared with the client"


class Card(models.Model):
    EDITABLE = VersionedFields(
        VersionedField("text", "What it says", noun="words", kind=TEXT),
        VersionedField("kind", "Kind of worry", kind=CHOICE, choices=tuple(WorryKind.choices)),
        VersionedField("column", "Column", kind=CHOICE, choices=tuple(Column.choices)),
        VersionedField("visibility", "Who can see it", kind=CHOICE, choices=tuple(Visibility.choices)),
    )

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="board_cards")
    column = models.CharField(max_length=20, choices=Column.choices)
    kind = models.CharField(max_length=20, choices=WorryKind.choices, blank=True)  # worries only
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The author's organisation when they wrote it ("my organisation only" means this one, for good);
    # None for the client or family, who write from the portal.
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    by_client = models.BooleanField(default=False)  # written in the portal by the client or family
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.CIRCLE)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=500, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # From sense to plan: what a "needs to happen" card became; the plan finds its cards the other way.
    goal = models.ForeignKey(
        "sharing.Goal", null=True, blank=True, on_delete=models.PROTECT, related_name="board_cards"
    )
    action = models.ForeignKey(
        "sharing.Action", null=True, blank=True, on_delete=models.PROTECT, related_name="board_cards"
    )
    # A worry: the goal that addresses it, and the notes that evidence it.
    addressed_by = models.ForeignKey(
        "sharing.Goal", null=True, blank=True, on_delete=models.PROTECT, related_name="worries"
    )
    evidence = models.ManyToManyField("sharing.Note", blank=True, related_name="board_cards")

    # Set by board.selectors: the author as this reader may see them (a hidden member is not named).
    author_shown: str = ""
    is_new: bool = False  # set by the overview: changed since this reader last looked

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["client", "closed_at", "column"], name="card_client_open_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(column="worry") | models.Q(kind=""), name="card_kind_only_for_worries"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_column_display()} card {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def short_kind(self) -> str:
        return {"harm": "Harm", "danger": "Danger", "complicating": "Complicating factor"}.get(self.kind, "")

    @property
    def in_a_phrase(self) -> str:
        """What a card is, for "Tom is editing …"."""
        phrases: dict[str, str] = {
            Column.WORRY: "a worry",
            Column.WORKING_WELL: "something working well",
            Column.NEXT_STEP: "something that needs to happen",
        }
        return phrases.get(self.column, "a card")


class CardChange(FieldChange):
    """One field of one card changed. Besides the co-edited fields, `field` can be "created", "closed",
    "position" or "linked"."""

    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="changes")
    actor_shown: str = ""  # set by board.selectors, as for Card.author_shown

    class Meta(FieldChange.Meta):
        indexes = [models.Index(fields=["card", "version"], name="cardchange_card_idx")]


class Scale(models.Model):
    """One person's judgement, 0 to 10, with one line on why. Kept over time: the latest per person counts."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="scales")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    by_client = models.BooleanField(default=False)  # the client or family, from the portal
    score = models.PositiveSmallIntegerField()
    why = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["client", "-at"], name="scale_client_recent_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(score__lte=10), name="scale_zero_to_ten")]

    def __str__(self) -> str:
        return f"{self.score}/10 by {self.person_id}"
