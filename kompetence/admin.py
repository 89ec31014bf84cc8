"""The audit log and the outbox in the admin: read-only, for administrators looking into an incident."""

from __future__ import annotations

from django.contrib import admin

from kompetence.models import AuditEvent, OutboxEntry


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
