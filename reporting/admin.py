from django.contrib import admin

from reporting.models import Partnership


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    """The site administrator sets a partnership up and names its leads (people whose role is
    "Partnership lead"); organisations join only when their own agency admin agrees, in Alongside."""

    list_display = ["name", "created_at"]
    search_fields = ["name"]
    filter_horizontal = ["leads"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "leads":
            from network.models import User

            kwargs["queryset"] = User.objects.filter(org_role=User.OrgRole.PARTNERSHIP_LEAD, is_active=True)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
