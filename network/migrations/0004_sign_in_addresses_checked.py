"""Sign-in now needs a checked address (ACCOUNT_EMAIL_VERIFICATION = "mandatory") and an account has one address
(ACCOUNT_CHANGE_EMAIL). Every account's own address (User.email, the one it signs in with) is recorded as checked
and as the one we send to, as UserManager.create_user does for new accounts, so nobody is stopped at their next
sign-in. Any other address on the account goes: each was added on the old email page, where adding one was
enough to sign in with it (by code) without a password, so one may be someone else's way in."""

from django.db import migrations


def check_sign_in_addresses(apps, schema_editor):
    User = apps.get_model("network", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    for user in User.objects.exclude(email="").only("pk", "email").iterator():
        taken = EmailAddress.objects.filter(email__iexact=user.email, verified=True).exclude(user_id=user.pk)
        if taken.exists():
            continue  # someone else has proved this address: this person proves it at their next sign-in
        own = EmailAddress.objects.filter(user_id=user.pk, email__iexact=user.email).first()
        others = EmailAddress.objects.filter(user_id=user.pk)
        if own is None:
            others.delete()
            EmailAddress.objects.create(user_id=user.pk, email=user.email, verified=True, primary=True)
        else:
            others.exclude(pk=own.pk).delete()
            own.verified = own.primary = True
            own.save(update_fields=["verified", "primary"])


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0003_teams_partnership_lead"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(check_sign_in_addresses, migrations.RunPython.noop)]
