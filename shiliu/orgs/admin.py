from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "parent", "is_active", "is_demo")
    list_filter = ("kind", "is_active", "is_demo")
    search_fields = ("name", "pinyin", "initials")
    raw_id_fields = ("region", "parent")
    # The contact phone is personal information: masked here as on every page; the units pages change it.
    exclude = ("contact_phone",)
    readonly_fields = ("masked_phone",)

    @admin.display(description=_("contact phone"))
    def masked_phone(self, obj: Organization) -> str:
        return obj.masked_phone
