"""The directory: organisations (agencies) and the people who sign in to Alongside."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone


class Organisation(models.Model):
    class Kind(models.TextChoices):
        SOCIAL_CARE = "social_care", "Social care"
        EARLY_HELP = "early_help", "Early help"
        HEALTH = "health", "Health"
        EDUCATION = "education", "School or college"
        HOUSING = "housing", "Housing"
        POLICE = "police", "Police"
        VOLUNTARY = "voluntary", "Charity or voluntary sector"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    phone = models.CharField(max_length=40, blank=True)
    require_two_factor = models.BooleanField(
        default=False, help_text="Everyone in this organisation must set up two-factor sign-in."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A team within an organisation (say, "Families North"): for the managers' dashboard's figures by team."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="one_team_name_per_organisation")
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        if not email:
            raise ValueError("An email address is required")
        from allauth.account.models import EmailAddress

        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        # The address an account is made with counts as checked: the agency typed it, or the person opened an
        # invitation sent to it. Sign-in needs a checked address (ACCOUNT_EMAIL_VERIFICATION = "mandatory");
        # any later one is checked by a code sent to it before it takes the place of this one.
        EmailAddress.objects.using(self._db).create(user=user, email=user.email, verified=True, primary=True)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Professionals belong to one organisation, with a role in it."""

    class Kind(models.TextChoices):
        PROFESSIONAL = "professional", "Professional"
        CLIENT = "client", "Client"
        FAMILY = "family", "Family member or carer"

    class OrgRole(models.TextChoices):
        PRACTITIONER = "practitioner", "Practitioner"
        MANAGER = "manager", "Agency manager"
        ADMIN = "admin", "Agency admin"
        PANEL_CHAIR = "panel_chair", "Panel chair"
        # Sees the dashboard's figures across the organisations that agreed to a partnership (reporting/).
        PARTNERSHIP_LEAD = "partnership_lead", "Partnership lead"

    email = models.EmailField(unique=True)
    # Clients and family sign in to the portal only; professional pages and the API are not theirs.
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PROFESSIONAL)
    full_name = models.CharField(max_length=200)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    org_role = models.CharField(max_length=20, choices=OrgRole.choices, default=OrgRole.PRACTITIONER)
    # Their team in their organisation (a Team of that organisation; network.services keeps it so).
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="people")
    job_title = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_professional(self) -> bool:
        return self.kind == self.Kind.PROFESSIONAL

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class ApiToken(models.Model):
    """A key for the API, made by its owner on their Security pages and shown to them once.

    Only a SHA-256 of the key is kept: the key is 32 random bytes, so a plain hash is as good as a slow one
    and lets each request find its token in one indexed look-up. Tokens are revoked, never deleted, so the
    audit rows that name one keep saying which.
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
