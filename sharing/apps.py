from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = "Notes and plans"

    def ready(self) -> None:
        from referrals.summary import register_summary_source
        from reminders.registry import register
        from sharing import reminder_kinds
        from sharing.selectors.plans import plan_summary_lines

        # A referral's or a handover's "what is true now" is prefilled from the plan (referrals sits below
        # us); the plan's reminder kinds (actions due, goals to review) join the daily scan.
        register_summary_source(plan_summary_lines)
        register(*reminder_kinds.KINDS)

        # Assessments list the goals and notes that refer to them; they sit below us, so we register.
        from assessments import references
        from sharing.selectors.references import referring_to_assessment

        references.register(referring_to_assessment)
