from django.contrib import admin

from audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "actor", "client", "object_type", "object_id", "via", "ip_address"]
    list_filter = ["action", "via"]
    search_fields = ["action", "object_id"]

    # The trail is append-only, here as in the database.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
