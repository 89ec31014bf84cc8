"""The audit log and the outbox in the admin: read-only, for administrators looking into an incident."""

from __future__ import annotations

# The third-party admins are registered here first (their apps come after ours in INSTALLED_APPS), so
# that they can be registered again with Danish labels (kompetence/admin_danish.py).
import allauth.mfa.admin  # noqa: F401
import axes.admin  # noqa: F401
import django_celery_beat.admin  # noqa: F401
from django.contrib import admin

from kompetence.admin_danish import register_danish_admins
from kompetence.models import AuditEvent, OutboxEntry

register_danish_admins()


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "identifier", "user", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["identifier", "ip_address"]
    date_hierarchy = "at"
    list_select_related = ["user"]
    show_full_result_count = False


@admin.register(OutboxEntry)
class OutboxEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "task_name", "args", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "task_name"]
    show_full_result_count = False
