from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from network import services
from network.models import ApiToken, Organisation, Team, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "phone"]
    list_filter = ["kind"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["name"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "organisation", "job_title", "is_active", "is_staff"]
    list_filter = ["organisation", "is_active", "is_staff"]
    search_fields = ["full_name", "email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "organisation", "job_title", "phone"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "full_name", "organisation", "password1", "password2"]},
        )
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """The site administrator may see and revoke API tokens, never make one: a token acts as its owner,
    so only the owner makes theirs (on their Security pages)."""

    list_display = ["name", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__full_name", "user__email"]
    fields = ("name", "user", "created_at", "last_used_at", "revoked_at", "revoked_by")
    readonly_fields = fields
    actions = ["revoke_tokens"]

    @admin.action(description="Revoke the selected tokens")
    def revoke_tokens(self, request, queryset):
        for token in queryset.filter(revoked_at=None):
            services.api_token_revoke(actor=request.user, token=token)
        self.message_user(request, "The tokens have been revoked.")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
