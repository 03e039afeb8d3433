"""Admin is for looking things up. Changes to clients and circles go through the pages and services,
so that each is audited and reaches open pages; here everything is read-only."""

from django.contrib import admin

from circles.models import CircleMember, Client


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Client)
class ClientAdmin(ReadOnlyAdmin):
    list_display = ["public_id", "family_name", "given_name", "date_of_birth", "stage", "last_activity_at"]
    search_fields = ["public_id", "family_name", "given_name"]


@admin.register(CircleMember)
class CircleMemberAdmin(ReadOnlyAdmin):
    list_display = ["client", "kind", "user", "name", "role", "is_lead", "since", "until"]
    list_select_related = ["client", "user"]
