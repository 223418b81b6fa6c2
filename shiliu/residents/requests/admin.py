"""The desk's configuration in Django's admin: routing rules, SLA rules and the desk settings (weights, the days a
resident has to rate, the follow-up share, the amber share). Changes are audited (registered with auditlog)."""

from __future__ import annotations

from django.contrib import admin

from .models import DeskSettings, RoutingRule, SlaRule


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ("region", "category", "unit")
    list_filter = ("category",)
    raw_id_fields = ("region", "unit")


@admin.register(SlaRule)
class SlaRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "urgency", "sign_minutes", "answer_minutes")


@admin.register(DeskSettings)
class DeskSettingsAdmin(admin.ModelAdmin):
    list_display = ("unrated_days", "unrated_counts_as", "followup_percent", "amber_percent")
