from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Referrals and handovers"

    def ready(self) -> None:
        from network import hooks
        from referrals import handovers, reminder_kinds  # noqa: F401 (registers its reminder kinds)

        # Switching an account off (the directory, below us) leaves "needs a new lead" on its circles.
        hooks.register_account_switched_off(handovers.lead_left)
