from django.contrib import admin

from referrals.models import ReferralSettings


@admin.register(ReferralSettings)
class ReferralSettingsAdmin(admin.ModelAdmin):
    """Each organisation's answer-by days for the referrals it receives (10 when there is no row)."""

    list_display = ["organisation", "answer_within_days"]
    search_fields = ["organisation__name"]
