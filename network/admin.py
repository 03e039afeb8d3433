from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from network import services
from network.models import ApiToken, Organisation, User


def admin_login(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    """The admin signs in on Alongside's own page (django-allauth), never on a form of its own, so the
    same rate limits and the same two-factor step apply to the most powerful accounts too."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    next_url = next_url or reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(next_url, login_url=reverse("account_login"))
    if not admin.site.has_permission(request):
        # Signed in but not staff: sending them to sign in again would only come back here.
        raise PermissionDenied("The admin is for the site administrator.")
    return redirect(next_url)


admin.site.login = admin_login


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "phone"]
    list_filter = ["kind"]
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
    fields = ["name", "user", "created_at", "last_used_at", "revoked_at", "revoked_by"]
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
