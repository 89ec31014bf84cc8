from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from partnerships import services
from partnerships.models import (
    IndustrySection,
    Membership,
    Municipality,
    Organisation,
    Partnership,
    PartnershipMunicipality,
    System,
    User,
)


@admin.register(System)
class SystemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "short_name", "sort_order"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region_code"]
    search_fields = ["name", "code"]


@admin.register(IndustrySection)
class IndustrySectionAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "system", "kind", "municipality", "is_active"]
    list_filter = ["system", "kind", "municipality", "is_active"]
    search_fields = ["name"]
    list_select_related = ["system", "municipality"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class CoverageInline(admin.TabularInline):
    model = PartnershipMunicipality
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "secretariat", "is_active"]
    list_filter = ["secretariat", "is_active"]
    search_fields = ["name"]
    list_select_related = ["secretariat"]
    inlines = [CoverageInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "partnership", "group", "lead_role"]
    list_filter = ["partnership", "group", "lead_role"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "partnership__name"]
    list_select_related = ["user", "partnership"]
    autocomplete_fields = ["user", "partnership"]


@admin.action(description=_("Send invitation (igen) til valgte brugere uden adgangskode"))
def send_invitation(modeladmin, request, queryset):
    sent = waiting = 0
    for user in queryset.filter(is_active=True):
        if not user.has_usable_password():
            if services.invitation_send(user=user, invited_by=request.user):
                sent += 1
            else:
                waiting += 1
    modeladmin.message_user(request, _("%(n)d invitation(er) sendt.") % {"n": sent}, messages.SUCCESS)
    if waiting:
        modeladmin.message_user(
            request,
            _("%(n)d invitation(er) sendes, når køen er tilbage.") % {"n": waiting},
            messages.WARNING,
        )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "organisation", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "groups", "organisation__system", "organisation"]
    search_fields = ["email", "first_name", "last_name", "organisation__name"]
    list_select_related = ["organisation"]
    actions = [send_invitation]
    inlines = [MembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "job_title", "phone", "organisation")}),
        (
            _("Rettigheder"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Datoer"), {"fields": ("last_login", "date_joined", "invited_at", "invited_by")}),
    )
    readonly_fields = ["last_login", "date_joined", "invited_at", "invited_by"]
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "first_name", "last_name", "organisation")}),)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            # Administrators do not set passwords for others: the invitation lets the user choose one.
            kwargs["form"] = self.add_form_class()
        return super().get_form(request, obj, **kwargs)

    @staticmethod
    def add_form_class():
        from django import forms

        class AddUserForm(forms.ModelForm):
            class Meta:
                model = User
                fields = ("email", "first_name", "last_name", "organisation")

        return AddUserForm

    def save_model(self, request, obj, form, change):
        if not change:
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)
        if change and "email" in form.changed_data:
            # The allauth address follows, so the old address no longer logs in.
            services.user_email_change(user=obj, email=obj.email, by=request.user)
        if not change:
            if services.invitation_send(user=obj, invited_by=request.user):
                self.message_user(request, _("Invitation sendt til %(email)s.") % {"email": obj.email})
            else:
                self.message_user(
                    request,
                    _("Invitationen til %(email)s sendes, når køen er tilbage.") % {"email": obj.email},
                    messages.WARNING,
                )


# The programme's reference data (ESF projects, catalogue, budget, rates, rules) has its own module.
from partnerships import admin_programme  # noqa: E402, F401
