"""Case conferences: panels, meetings, agendas (a client each, with a lawful basis), invitations and answers,
contributions for the pack, attendance, live minutes per item, decisions, sign-off and the family summary."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from coedit.fields import TEXT, VersionedField, VersionedFields
from coedit.models import FieldChange


class MeetingType(models.Model):
    """A kind of meeting, with its own defaults (made by a data migration; an agency admin may bring more
    in with a configuration pack: conferences.types)."""

    name = models.CharField(max_length=100, unique=True)
    # The agency that keeps it (it came in with their pack); empty for the types Alongside ships. Every
    # chair may use any type; only its keeper changes it.
    organisation = models.ForeignKey(
        "network.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    family_invited = models.BooleanField(default=True)
    minutes_due_working_days = models.PositiveSmallIntegerField(default=5)
    # The standard agenda for each client's item, one heading a line.
    standard_agenda = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def agenda_headings(self) -> list[str]:
        return [line.strip() for line in self.standard_agenda.splitlines() if line.strip()]


class Panel(models.Model):
    """A standing group that meets (e.g. "Northbridge Risk Panel"), with chairs and standing members."""

    name = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PanelMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", "Chair"
        STANDING = "standing", "Standing member"

    panel = models.ForeignKey(Panel, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="panel_seats")
    role = models.CharField(max_length=20, choices=Role.choices)
    since = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["panel", "role", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "user"], condition=models.Q(until=None), name="one_current_seat_per_panel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} on {self.panel_id} ({self.role})"


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Upcoming"
        IN_PROGRESS = "in_progress", "In progress"
        ENDED = "ended", "Ended"

    class Minutes(models.TextChoices):
        DRAFT = "draft", "Draft"
        SIGNED = "signed", "Signed off"

    panel = models.ForeignKey(Panel, null=True, blank=True, on_delete=models.PROTECT, related_name="meetings")
    type = models.ForeignKey(MeetingType, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=90)
    place = models.CharField(max_length=300, blank=True)
    video_link = models.URLField(blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meetings_chaired"
    )
    minute_taker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings_minuted",
    )
    family_invited = models.BooleanField(default=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    current_item = models.ForeignKey(
        "AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    item_started_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    minutes_status = models.CharField(max_length=20, choices=Minutes.choices, default=Minutes.DRAFT)
    minutes_due_on = models.DateField(null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    family_summary = models.TextField(blank=True)
    family_summary_at = models.DateTimeField(null=True, blank=True)
    next_meeting_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["chair", "starts_at"], name="meeting_chair_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def stream(self) -> str:
        """The meeting's own stream in the outbox (following the chair, attendance, minutes, decisions)."""
        return f"meeting-{self.pk}"

    @property
    def minutes_locked(self) -> bool:
        return self.minutes_status == self.Minutes.SIGNED

    @property
    def minutes_overdue(self) -> bool:
        return (
            self.minutes_status == self.Minutes.DRAFT
            and self.minutes_due_on is not None
            and self.minutes_due_on < timezone.localdate()
        )


class AgendaItem(models.Model):
    """One client on a meeting's agenda, with the lawful basis for discussing them, and its live minutes."""

    class Basis(models.TextChoices):
        CONSENT = "consent", "The client's consent to discussion at a case conference"
        WITHOUT_CONSENT = "without_consent", "Proceeding without consent"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    EDITABLE = VersionedFields(VersionedField("minutes", "Minutes", kind=TEXT))

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    client = models.ForeignKey("circles.Client", on_delete=models.PROTECT, related_name="agenda_items")
    position = models.PositiveIntegerField(default=0)
    reason = models.CharField(max_length=500)
    slot_minutes = models.PositiveSmallIntegerField(default=20)
    basis = models.CharField(max_length=20, choices=Basis.choices)
    consent = models.ForeignKey(
        "circles.Consent", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    without_consent_reason = models.TextField(blank=True)
    minutes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    next_review_on = models.DateField(null=True, blank=True)
    close_case = models.BooleanField(default=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "client"], name="one_item_per_client_per_meeting"),
            models.CheckConstraint(
                condition=models.Q(basis="consent", consent__isnull=False)
                | (models.Q(basis="without_consent") & ~models.Q(without_consent_reason="")),
                name="agenda_item_has_a_lawful_basis",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} at {self.meeting_id}"


class MinutesChange(FieldChange):
    """One change to an item's minutes: the co-editing history."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="changes")

    class Meta(FieldChange.Meta):
        indexes = [models.Index(fields=["item", "version"], name="minuteschange_item_idx")]


class Invitation(models.Model):
    class Kind(models.TextChoices):
        CIRCLE = "circle", "In the circle"
        STANDING = "standing", "Standing member of the panel"
        CLIENT = "client", "The client"
        FAMILY = "family", "Family"

    class Answer(models.TextChoices):
        NONE = "", "Not answered yet"
        ATTENDING = "attending", "Attending"
        APOLOGIES = "apologies", "Apologies"
        DEPUTY = "deputy", "Sending someone else"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="invitations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    # For the client and family (who may have no account yet): their circle entry and an email address.
    member = models.ForeignKey(
        "circles.CircleMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    client = models.ForeignKey(
        "circles.Client", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(max_length=200)
    organisation_name = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    answer = models.CharField(max_length=20, choices=Answer.choices, blank=True, default=Answer.NONE)
    deputy_name = models.CharField(max_length=200, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="one_invitation_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} to {self.meeting_id}"


class InvitationAnswer(models.Model):
    """Every answer given, in order: the latest stands on the invitation, the rest is history."""

    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, related_name="answers")
    answer = models.CharField(max_length=20, choices=Invitation.Answer.choices)
    deputy_name = models.CharField(max_length=200, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.answer} for {self.invitation_id}"


class Contribution(models.Model):
    """Something written for an item's pack before the meeting."""

    class Kind(models.TextChoices):
        AGENCY_REPORT = "agency_report", "Pre-meeting report"
        ABSENT_REPORT = "absent_report", "Written contribution (cannot attend)"
        CLIENT_VIEW = "client_view", "What I want the meeting to know"

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="contributions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_name = models.CharField(max_length=200)
    organisation_name = models.CharField(max_length=200, blank=True)
    facts = models.TextField()  # what is known, kept apart from what the writer thinks
    opinion = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} for {self.item_id}"


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendance")
    invitation = models.ForeignKey(Invitation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices)
    for_family = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "invitation"], name="one_attendance_each")]

    def __str__(self) -> str:
        return f"{self.invitation_id}: {self.status}"


class Decision(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="decisions")
    text = models.TextField()
    agreed_by = models.JSONField(default=list)  # names, as they were then
    dissent = models.JSONField(default=list)  # [{"name": …, "reason": …}]
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["item", "recorded_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class DecisionAction(models.Model):
    """An action agreed at the meeting, made on the client's plan at once: the link that attributes it."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="plan_actions")
    action = models.OneToOneField("sharing.Action", on_delete=models.PROTECT, related_name="agreed_at")

    def __str__(self) -> str:
        return f"{self.action_id} from {self.decision_id}"


class MinutesVersion(models.Model):
    """The minutes as signed off (version 1) or amended (2, 3…, each with a reason): kept, never changed."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="minutes_versions")
    number = models.PositiveIntegerField()
    reason = models.CharField(max_length=500, blank=True)
    snapshot = models.JSONField()  # {item id: {"minutes": …, "decisions": […]}}
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="one_minutes_version_number")
        ]

    def __str__(self) -> str:
        return f"Minutes v{self.number} of {self.meeting_id}"


class PackNote(models.Model):
    """A note a circle member marked to go into their client's pack for one meeting (an agenda item).

    The mark is the meeting's, not the note's: sharing knows nothing of conferences. Who may read the note
    in the pack is still the note's own rule (conferences.access.pack_notes_filter over sharing.access).
    A mark taken back keeps its row (`removed_at`); the audit trail has both.
    """

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="pack_notes")
    note = models.ForeignKey("sharing.Note", on_delete=models.PROTECT, related_name="+")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["item", "marked_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "note"], condition=models.Q(removed_at=None), name="one_current_mark_per_note"
            )
        ]

    def __str__(self) -> str:
        return f"Note {self.note_id} in the pack of {self.item_id}"
