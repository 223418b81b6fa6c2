from django.contrib import admin

from .models import EthnicGroup, Region, Succession


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent", "is_dev_zone", "valid_to")
    list_filter = ("level", "is_dev_zone")
    search_fields = ("code", "name", "pinyin", "initials")
    raw_id_fields = ("parent",)


@admin.register(Succession)
class SuccessionAdmin(admin.ModelAdmin):
    list_display = ("predecessor", "successor", "kind", "effective_on", "share")
    raw_id_fields = ("predecessor", "successor")


@admin.register(EthnicGroup)
class EthnicGroupAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "romanized", "letter_code")
