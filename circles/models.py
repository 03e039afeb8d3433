"""The client record and the circle of people around them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from network.models import Organisation


class Visibility(models.TextChoices):
    """Who may read something the circle writes (a note, an assessment): one set of choices, one rule
    (circles.access.shared_visible_filter)."""

    CIRCLE = "circle", "Whole circle"
    ORGANISATION = "organisation", "My organisation only"
    NAMED = "named", "Named people only"
    CLIENT = "client", "Whole circle, and shared with the client"


class Client(models.Model):
    """A person being supported. Never deleted: the public ID is theirs for good."""

    class Stage(models.TextChoices):
        INTAKE = "intake", "Intake"
        ASSESSMENT = "assessment", "Assessment"
        PLANNING = "planning", "Planning"
        SUPPORT = "support", "Support"
        REVIEW = "review", "Review"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        """How a case ended, recorded when it closes."""

        GOALS_MET = "goals_met", "Goals met"
        PARTLY_MET = "partly_met", "Goals partly met"
        NOT_MET = "not_met", "Goals not met"
        MOVED_AWAY = "moved_away", "Moved away"
        NO_LONGER_WANTED = "no_longer_wanted", "No longer wanted help"
        TRANSFERRED = "transferred", "Transferred to another service"
        UNKNOWN = "unknown", "Not recorded (closed before outcomes were kept)"

    public_id = models.CharField(max_length=9, unique=True, editable=False)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    pronouns = models.CharField(max_length=40, blank=True)
    language = models.CharField(max_length=60, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    accessibility_needs = models.TextField(blank=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.INTAKE)
    stage_since = models.DateTimeField(default=timezone.now)
    # Set while the case is closed: how it ended.
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # The realtime outbox numbers each client's events 1, 2, 3…; writers lock this row to take the next one.
    last_event_seq = models.PositiveBigIntegerField(default=0, editable=False)
    last_activity_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["family_name", "given_name"]
        indexes = [
            models.Index(fields=["family_name", "given_name"], name="client_name_idx"),
            models.Index(fields=["given_name"], name="client_given_name_idx"),
            models.Index(fields=["date_of_birth"], name="client_dob_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.public_id})"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_closed(self) -> bool:
        return self.stage == self.Stage.CLOSED

    @property
    def age(self) -> int | None:
        if not self.date_of_birth:
            return None
        today = timezone.localdate()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def display_name(self) -> str:
        if self.preferred_name and self.preferred_name != self.given_name:
            return f"{self.full_name} ({self.preferred_name})"
        return self.full_name


class CircleMember(models.Model):
    """One person's place in a client's circle, from `since` until `until` (empty while current).

    Professionals are users of Alongside; family members and other informal supports are contacts
    (a name and how to reach them) until the portal gives them an account.
    """

    class Kind(models.TextChoices):
        PROFESSIONAL = "professional", "Professional"
        FAMILY = "family", "Family or friend"

    class Role(models.TextChoices):
        LEAD_PROFESSIONAL = "lead_professional", "Lead professional"
        KEY_WORKER = "key_worker", "Key worker"
        SOCIAL_WORKER = "social_worker", "Social worker"
        FAMILY_SUPPORT = "family_support", "Family support worker"
        HEALTH_VISITOR = "health_visitor", "Health visitor"
        NURSE = "nurse", "Nurse"
        GP = "gp", "GP"
        OCCUPATIONAL_THERAPIST = "occupational_therapist", "Occupational therapist"
        TEACHER = "teacher", "Teacher or pastoral lead"
        HOUSING_OFFICER = "housing_officer", "Housing officer"
        POLICE_OFFICER = "police_officer", "Police officer"
        PERSONAL_ADVISER = "personal_adviser", "Personal adviser"
        YOUTH_WORKER = "youth_worker", "Youth worker"
        ADVOCATE = "advocate", "Advocate"
        SUPPORT_WORKER = "support_worker", "Support worker"
        FAMILY_MEMBER = "family_member", "Family member"
        CARER = "carer", "Carer"
        FRIEND = "friend", "Friend or neighbour"
        OTHER = "other", "Other"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="members")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PROFESSIONAL)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="circle_memberships",
    )
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # For family and friends (no account): who they are and how to reach them.
    name = models.CharField(max_length=200, blank=True)
    relationship = models.CharField(max_length=100, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    role = models.CharField(max_length=30, choices=Role.choices)
    is_lead = models.BooleanField(default=False)
    # A sensitive role (e.g. a domestic-abuse adviser): never shown to anyone outside the circle.
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=500, blank=True)  # why, for the circle (who alone sees it)
    since = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-is_lead", "kind", "since"]
        indexes = [
            models.Index(fields=["user", "client"], name="member_user_client_idx", condition=Q(until=None)),
            models.Index(fields=["client", "until"], name="member_client_until_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "user"], condition=Q(until=None), name="one_current_membership_per_person"
            ),
            models.UniqueConstraint(
                fields=["client"], condition=Q(until=None, is_lead=True), name="one_current_lead_per_client"
            ),
            models.CheckConstraint(
                condition=Q(kind="family") | Q(user__isnull=False), name="professional_member_has_account"
            ),
            models.CheckConstraint(
                condition=Q(kind="professional") | (Q(user=None) & ~Q(name="")), name="family_member_has_name"
            ),
            models.CheckConstraint(
                condition=Q(is_lead=False) | Q(kind="professional"), name="lead_is_a_professional"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name}, {self.get_role_display()} for {self.client_id}"

    @property
    def is_current(self) -> bool:
        return self.until is None

    @property
    def is_family(self) -> bool:
        return self.kind == self.Kind.FAMILY

    @property
    def display_name(self) -> str:
        return self.user.full_name if self.user is not None else self.name

    @property
    def contact_phone(self) -> str:
        if self.user is not None:
            return self.user.phone or (self.organisation.phone if self.organisation is not None else "")
        return self.phone

    @property
    def contact_email(self) -> str:
        return self.user.email if self.user is not None else self.email


class ConsentQuerySet(models.QuerySet["Consent"]):
    def current(self) -> "ConsentQuerySet":
        """Consents in force today: not withdrawn, and not past their end date (the one rule, see is_current)."""
        return self.filter(withdrawn_at=None).filter(
            Q(expires_on=None) | Q(expires_on__gte=timezone.localdate())
        )


class Consent(models.Model):
    """What the client agreed to, as a record: scope, how, who gave and who recorded it, until when.

    Withdrawal sets `withdrawn_at` and takes effect at once; the row stays, for the history.
    """

    class Scope(models.TextChoices):
        CIRCLE = "circle", "Share information with everyone in the circle"
        ORGANISATION = "organisation", "Share information with a named organisation"
        FAMILY_PORTAL = "family_portal", "Family or carers can see the portal"
        CONFERENCE = "conference", "Discuss at a case conference"

    class Method(models.TextChoices):
        VERBAL = "verbal", "Said so (verbal)"
        WRITTEN = "written", "In writing"
        PORTAL = "portal", "In the portal"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="consents")
    scope = models.CharField(max_length=20, choices=Scope.choices)
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For 'a named organisation'",
    )
    family_member = models.ForeignKey(
        CircleMember,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For family portal access: who may see it",
    )
    method = models.CharField(max_length=20, choices=Method.choices)
    given_by = models.CharField(max_length=200, help_text="Who gave it, e.g. the client or their parent")
    given_on = models.DateField(default=timezone.localdate)
    expires_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_note = models.CharField(max_length=500, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["client", "scope"], name="consent_client_scope_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(scope="organisation") | Q(organisation__isnull=False),
                name="organisation_consent_names_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} for {self.client_id}"

    @property
    def is_current(self) -> bool:
        """The same rule as Consent.objects.current(), for a row already in hand."""
        return self.withdrawn_at is None and (
            self.expires_on is None or self.expires_on >= timezone.localdate()
        )


class JoinRequest(models.Model):
    """A professional asks to join a client's circle; the lead professional approves or declines."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        EXPIRED = "expired", "Expired"

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="join_requests")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="join_requests"
    )
    organisation = models.ForeignKey(Organisation, null=True, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=30, choices=CircleMember.Role.choices)
    reason = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["client", "status"], name="joinrequest_client_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["client", "requester"],
                condition=Q(status="pending"),
                name="one_pending_request_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester_id} asks to join {self.client_id} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.PENDING and self.expires_at > timezone.now()


class EmergencyAccess(models.Model):
    """ "Break the glass": someone outside the circle opens the record for a limited time, with a reason."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="emergency_accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    reason = models.TextField()
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "client", "expires_at"], name="emergency_user_client_idx")]

    def __str__(self) -> str:
        return f"Emergency access to {self.client_id} by {self.user_id}"

    @property
    def is_active(self) -> bool:
        return self.expires_at > timezone.now()


class PortalAccess(models.Model):
    """A portal account's link to one client: as the client, or as a family member of theirs.

    Made by the portal (portal.services.invitation_accept), read by the access policy
    (circles.access.portal_access): it lives here, with the policy's other inputs, so circles never
    imports the portal.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="portal_accesses"
    )
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="portal_accesses")
    member = models.ForeignKey(
        CircleMember, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    since = models.DateTimeField(default=timezone.now)
    until = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "portal_portalaccess"  # made by the portal app, whose model this was
        constraints = [
            models.UniqueConstraint(
                fields=["user", "client"], condition=Q(until=None), name="one_current_portal_access"
            )
        ]

    def __str__(self) -> str:
        return f"Portal access to {self.client_id} for {self.user_id}"

    @property
    def is_family(self) -> bool:
        return self.member_id is not None


class StageChange(models.Model):
    """The case moved from one stage to another (or was reopened), why, and by whom. The stage's history."""

    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=Client.Stage.choices)
    to_stage = models.CharField(max_length=20, choices=Client.Stage.choices)
    reason = models.CharField(max_length=500)
    outcome = models.CharField(max_length=20, choices=Client.Outcome.choices, blank=True)
    is_reopening = models.BooleanField(default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["client", "-at"], name="stagechange_client_recent_idx"),
            # The dashboard's cases closed in a period (reporting.figures).
            models.Index(fields=["to_stage", "at"], name="stagechange_to_stage_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(to_stage="closed") | ~Q(outcome=""), name="closing_records_an_outcome"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.from_stage} → {self.to_stage}"
