"""URLs of the companies app: the firm register (``views.firms``) and each firm's case (``views.visits``)."""

from django.urls import path

from companies.views import firms, meetings, visits

app_name = "companies"

urlpatterns = [
    path("", firms.company_list, name="list"),
    path("mine/", firms.company_mine, name="mine"),
    path("opfoelgninger/", firms.follow_up_list, name="follow_ups"),
    path("kladder/", visits.draft_list, name="drafts"),
    path("eksport/", firms.company_export, name="export"),
    path("eksport/xlsx/", firms.company_export_xlsx, name="export_xlsx"),
    path("ny/", firms.company_create, name="create"),
    path("<id:pk>/ret/", firms.company_update, name="update"),
    path("<id:pk>/kontakter/ny/", firms.contact_create, name="contact_create"),
    path("kontakter/<id:pk>/ret/", firms.contact_update, name="contact_update"),
    path("<id:pk>/p-numre/ny/", firms.production_unit_create, name="production_unit_create"),
    path("<id:pk>/samtykke/ny/", firms.consent_create, name="consent_create"),
    path("<id:pk>/", visits.company_detail, name="detail"),
    path("<id:pk>/status/", visits.company_set_status, name="set_status"),
    path("<id:pk>/tovholder/", visits.company_set_lead, name="set_lead"),
    path("<id:pk>/dagsorden/", visits.agenda_propose, name="propose"),
    path("<id:pk>/besoeg/ny/", visits.visit_create, name="visit_create"),
    path("<id:pk>/behov/ny/", visits.need_create, name="need_create"),
    path("besoeg/<id:pk>/", visits.visit_detail, name="visit_detail"),
    path("besoeg/<id:pk>/rediger/", visits.visit_update, name="visit_update"),
    path("behov/<id:pk>/status/", visits.need_set_status, name="need_set_status"),
    path("til-behandling/", visits.agenda_list, name="agenda_list"),
    # The firm cases on a partnership meeting.
    path("moeder/<id:pk>/virksomheder/", meetings.meeting_add_cases, name="meeting_add_cases"),
    path("moedesager/<id:pk>/beslutning/", meetings.decision_create, name="decision_create"),
    path("moedesager/<id:pk>/afslut/", meetings.case_item_end, name="case_item_end"),
]
