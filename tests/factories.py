"""Factories for tests. They build rows directly (fast, no events); use services when a test is about them."""

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from circles import public_id
from circles.models import CircleMember, Client, Consent
from network.models import Organisation, User
from sharing.models import Note


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = Organisation.Kind.SOCIAL_CARE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    organisation = factory.SubFactory(OrganisationFactory)
    job_title = "Social worker"
    password = factory.PostGenerationMethodCall("set_password", "password-for-tests")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def sign_in_address(obj, create, extracted, **kwargs):  # noqa: N805
        """As UserManager.create_user: the address an account is made with counts as checked."""
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    public_id = factory.LazyFunction(public_id.generate)
    given_name = factory.Sequence(lambda n: f"Client{n}")
    family_name = "Example"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CircleMember

    client = factory.SubFactory(ClientFactory)
    kind = CircleMember.Kind.PROFESSIONAL
    user = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda m: m.user.organisation if m.user else None)
    role = CircleMember.Role.KEY_WORKER
    since = factory.LazyFunction(timezone.now)


class FamilyMemberFactory(MemberFactory):
    kind = CircleMember.Kind.FAMILY
    user = None
    name = factory.Sequence(lambda n: f"Relative {n}")
    relationship = "Sister"
    role = CircleMember.Role.FAMILY_MEMBER


class NoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Note

    client = factory.SubFactory(ClientFactory)
    author = factory.SubFactory(UserFactory)
    organisation = factory.LazyAttribute(lambda n: n.author.organisation)
    text = factory.Sequence(lambda n: f"Note number {n}")


class ConsentFactory(factory.django.DjangoModelFactory):
    """By default: the client agreed to share with everyone in the circle."""

    class Meta:
        model = Consent

    client = factory.SubFactory(ClientFactory)
    scope = Consent.Scope.CIRCLE
    method = Consent.Method.WRITTEN
    given_by = "The client"
    recorded_by = factory.SubFactory(UserFactory)


def api_key_for(user: User, name: str = "Tests") -> str:
    """A new API token for `user`, made as its owner would make it; the key to send as `Token <key>`."""
    from network.services import api_token_create

    return api_token_create(actor=user, name=name)[1]


def assessment_done(
    *,
    author: User,
    client: Client,
    code: str,
    scores: list[int],
    at=None,
    completed_by: str = "practitioner",
    visibility: str = "circle",
    narrative: str = "Talked it through together.",
):
    """A completed assessment built directly (no audit, no event), scored as the service would score it."""
    from assessments import scoring
    from assessments.models import Assessment, Instrument

    instrument = Instrument.objects.get(code=code)
    version = instrument.versions.get(number=instrument.current_version)
    answers = {
        item["code"]: {"score": score, "narrative": narrative}
        for item, score in zip(version.definition["items"], scores, strict=True)
    }
    result = scoring.score(version.definition, answers)
    at = at or timezone.now()
    return Assessment.objects.create(
        client=client,
        instrument=instrument,
        version=version,
        author=author,
        organisation_id=author.organisation_id,
        completed_by=completed_by,
        visibility=visibility,
        status=Assessment.Status.COMPLETED,
        answers=answers,
        result=result,
        total=result["total"],
        band=result["band"],
        flagged=bool(result["flags"]),
        completed_at=at,
        recorded_at=at,
    )
