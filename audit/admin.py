from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """For running the system: who did what, when, from where. No client names and no content: the site
    administrator sees client records only through (audited) emergency access, like anyone else."""

    list_display = ["at", "action", "actor", "client_id", "object_type", "object_id", "via", "emergency"]
    list_filter = ["action", "via", "emergency"]
    search_fields = ["action", "object_id"]
    fields = (
        "at",
        "action",
        "actor",
        "client_id",
        "object_type",
        "object_id",
        "via",
        "ip_address",
        "api_token",
        "emergency",
    )
    readonly_fields = fields

    # The trail is append-only, here as in the database.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
