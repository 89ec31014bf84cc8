"""Admin for the activities app's reference data (the AMU catalogue, euro rates) and the retention runs.

Participants, plans and hours are worked on in the portal's pages, where access is scoped; the admin
shows no CPR field at all (the token and hash are not editable and not listed).
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from activities.models import AnonymisationRun, Course, EuroRate


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "days", "main_area", "is_demo", "is_active")
    list_filter = ("is_active", "is_demo", "main_area")
    search_fields = ("number", "title")


@admin.register(EuroRate)
class EuroRateAdmin(SimpleHistoryAdmin):
    list_display = ("dkk_per_eur", "valid_from", "valid_until", "source")


@admin.register(AnonymisationRun)
class AnonymisationRunAdmin(admin.ModelAdmin):
    list_display = ("ran_at", "cutoff", "participants", "documents")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
