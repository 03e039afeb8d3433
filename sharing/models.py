"""What the circle knows: progress notes (plans and assessments arrive with their issues)."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from circles.models import Client, Visibility
from coedit.fields import CHOICE, DATE, TEXT, YES_NO, VersionedField, VersionedFields
from coedit.models import FieldChange
from network.models import Organisation


class Note(models.Model):
    class Kind(models.TextChoices):
        UPDATE = "update", "Update"
        VISIT = "visit", "Visit"
        PHONE_CALL = "phone_call", "Phone call"
        MEETING = "meeting", "Meeting"
        OBSERVATION = "observation", "Observation"
        CONCERN = "concern", "Concern"

    Visibility = Visibility  # the circle's one set of choices, shared with assessments

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notes")
    # The author's organisation when they wrote it: "my organisation only" means this one, for good.
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.UPDATE)
    text = models.TextField()
    visibility = models.CharField(max_length=20, choices=Visibility.choices, default=Visibility.CIRCLE)
    # For "named people only": who, besides the author.
    named_people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    # Progress notes and the plan point at each other.
    goals: "models.ManyToManyField[Goal, Any]" = models.ManyToManyField(
        "Goal", blank=True, related_name="notes"
    )
    actions: "models.ManyToManyField[Action, Any]" = models.ManyToManyField(
        "Action", blank=True, related_name="notes"
    )
    # A note can be about an assessment (the assessment lists the notes that refer to it).
    assessment = models.ForeignKey(
        "assessments.Assessment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["client", "-created_at", "-id"], name="note_client_recent_idx"),
            # The notes rule (sharing.access.notes_visible_filter) is "mine, or my organisation's (if it
            # may see them)": a client's notes by author and by organisation, so that PostgreSQL finds the
            # few a reader may see among the client's own, not among everything an organisation wrote
            # (measured: the client page's notes 2.1 ms → 0.2 ms on the large set, docs/performance.md).
            models.Index(fields=["client", "author"], name="note_client_author_idx"),
            models.Index(fields=["client", "organisation"], name="note_client_org_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.author_id} on {self.created_at:%d %b %Y}"


class Plan(models.Model):
    """A client's plan: goals in their own words, each with actions. One per client, made when first used."""

    client = models.OneToOneField(Client, on_delete=models.PROTECT, related_name="plan")
    # Bumped by every structural change (goals or actions added, removed or reordered).
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Plan for {self.client_id}"


class Goal(models.Model):
    """A goal in the client's own words. Fields are co-edited: `version` counts every saved change."""

    # The co-edited fields, what people call them, and how their values read: for the edit form, the API,
    # the history, the timeline and the comparison with an agreed version alike.
    EDITABLE = VersionedFields(
        VersionedField("in_own_words", "Goal", kind=TEXT),
        VersionedField("success_looks_like", "What success looks like", kind=TEXT),
        VersionedField("review_on", "Review date", kind=DATE),
        VersionedField(
            "shared_with_client", "Shared with the client", noun="sharing with the client", kind=YES_NO
        ),
    )

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="goals")
    position = models.PositiveIntegerField(default=0)
    in_own_words = models.CharField(max_length=500)
    success_looks_like = models.TextField(blank=True)
    review_on = models.DateField(null=True, blank=True)
    shared_with_client = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    # The assessment area the goal addresses: an instrument and one of its items (empty: its total).
    addresses_instrument = models.ForeignKey(
        "assessments.Instrument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    addresses_item = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.in_own_words


def _owner_value(action: "Action") -> str | int | None:
    return "client" if action.owner_is_client else action.owner_id


def _owner_set(action: "Action", owner) -> tuple[str, ...]:
    action.owner = None if owner == "client" else owner
    action.owner_is_client = owner == "client"
    return ("owner", "owner_is_client")


def _owner_choice(action: "Action") -> str:
    return "client" if action.owner_is_client else (str(action.owner_id) if action.owner_id else "")


class Action(models.Model):
    """Something to do towards a goal: what, who, by when, and how it is going."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    EDITABLE = VersionedFields(
        VersionedField("what", "What", kind=TEXT),
        # A circle member, or the client themself: kept as "client" or the member's id.
        VersionedField(
            "owner", "Who", noun="owner", read=_owner_value, write=_owner_set, initial=_owner_choice
        ),
        VersionedField("due_on", "By when", noun="date", kind=DATE),
        VersionedField("status", "Status", kind=CHOICE, choices=tuple(Status.choices)),
        VersionedField("dropped_reason", "Why dropped", noun="reason for dropping", kind=TEXT),
        VersionedField(
            "shared_with_client", "Shared with the client", noun="sharing with the client", kind=YES_NO
        ),
    )

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="actions")
    position = models.PositiveIntegerField(default=0)
    what = models.CharField(max_length=500)
    # Who does it: any current member of the circle (professional or family), or the client themself.
    owner = models.ForeignKey(
        "circles.CircleMember", null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    owner_is_client = models.BooleanField(default=False)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    dropped_reason = models.CharField(max_length=500, blank=True)
    shared_with_client = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_on"], name="action_owner_status_idx")]

    def __str__(self) -> str:
        return self.what

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.NOT_STARTED, self.Status.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()


class PlanChange(FieldChange):
    """One field of one goal or action changed: old value, new value, who, when. The plan's history.

    Besides the co-edited fields, `field` can be "created", "removed" or "position" (a move).
    """

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="changes")
    goal = models.ForeignKey(Goal, null=True, on_delete=models.PROTECT, related_name="changes")
    action = models.ForeignKey(Action, null=True, on_delete=models.PROTECT, related_name="changes")

    class Meta(FieldChange.Meta):
        indexes = [
            models.Index(fields=["goal", "version"], name="planchange_goal_idx"),
            models.Index(fields=["action", "version"], name="planchange_action_idx"),
            models.Index(fields=["plan", "-at"], name="planchange_plan_recent_idx"),  # the timeline
            # The dashboard's status moves and review dates in a period (reporting.figures).
            models.Index(fields=["field", "at"], name="planchange_field_at_idx"),
        ]


class PlanAgreement(models.Model):
    """The plan as agreed at a moment, kept whole so anyone can compare today's plan with it."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="agreements")
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField(default=timezone.now)
    participants = models.JSONField(default=list)  # names of who took part, as they were then
    note = models.CharField(max_length=500, blank=True)
    snapshot = models.JSONField()

    class Meta:
        ordering = ["-agreed_at", "-pk"]

    def __str__(self) -> str:
        return f"Plan agreed {self.agreed_at:%d %b %Y}"


class GoalComment(models.Model):
    """The client's own words about a goal, written in the portal ("In my words")."""

    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"In their words, on goal {self.goal_id}"


class PlanTemplate(models.Model):
    """A named set of goals and actions a lead can start a plan from ("Team Around the Family plan").

    Kept by an organisation (its agency admins bring it in with a pack), or shipped with Alongside
    (organisation empty). `goals` is written as sharing.plan_templates.template_normalised writes it.
    Starting a plan from a template copies its goals and actions: a later change to the template never
    reaches a plan already started from it.
    """

    name = models.CharField(max_length=100)
    description = models.CharField(max_length=500, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    goals = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="one_plan_template_name_per_organisation"
            ),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(organisation=None), name="one_shipped_plan_template_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def action_count(self) -> int:
        return sum(len(goal["actions"]) for goal in self.goals)
