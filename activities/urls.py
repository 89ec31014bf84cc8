"""URLs of the activities app (``/aktiviteter/``)."""

from django.urls import path

from activities.views import firms, participants, plans, time

app_name = "activities"

urlpatterns = [
    path("", plans.plan_list, name="list"),
    path("eksport/", plans.plan_export, name="export"),
    path("virksomhed/<id:pk>/ny/", plans.plan_create, name="create"),
    path("<id:pk>/", plans.plan_detail, name="detail"),
    path("<id:pk>/ret/", plans.plan_update, name="update"),
    path("<id:pk>/status/", plans.plan_set_status, name="set_status"),
    path("<id:pk>/detaljer/", plans.plan_details, name="details"),
    path("<id:pk>/udgifter/ny/", plans.cost_create, name="cost_create"),
    path("<id:pk>/tilmeld/", participants.plan_enroll, name="enroll"),
    path("<id:pk>/deltagere/ny/", participants.plan_register_participant, name="register_participant"),
    path("tilmelding/<id:pk>/", participants.enrollment_detail, name="enrollment_detail"),
    path("tilmelding/<id:pk>/linjer/ny/", participants.training_line_create, name="training_line_create"),
    path("tilmelding/<id:pk>/rkv/", participants.rkv_result, name="rkv_result"),
    path("deltagere/", participants.participant_list, name="participant_list"),
    path("deltagere/eksport/", participants.participant_export, name="participant_export"),
    path("deltagere/ny/", participants.participant_create, name="participant_create"),
    path("deltagere/<id:pk>/", participants.participant_detail, name="participant_detail"),
    path("deltagere/<id:pk>/ret/", participants.participant_update, name="participant_update"),
    path("deltagere/<id:pk>/cpr/", participants.participant_reveal, name="participant_reveal"),
    path("deltagere/<id:pk>/cpr-visninger/", participants.participant_reveal_log, name="participant_reveal_log"),
    path("deltagere/<id:pk>/resultat/", participants.participant_result, name="participant_result"),
    path("deltagere/<id:pk>/dokumenter/ny/", participants.document_create, name="document_create"),
    path("deltagere/<id:pk>/startskema/", participants.start_form, name="start_form"),
    path("deltagere/<id:pk>/ophoersskema/", participants.exit_form, name="exit_form"),
    path("dokumenter/<id:pk>/", participants.document_download, name="document_download"),
    path("opfoelgning/", participants.follow_up, name="follow_up"),
    path("timer/", time.timesheet, name="timesheet"),
    path("timer/<id:pk>/slet/", time.time_entry_delete, name="time_entry_delete"),
    path("timer/uge/<id:pk>/", time.timesheet_detail, name="timesheet_detail"),
    path("timer/uge/<id:pk>/indsend/", time.timesheet_submit, name="timesheet_submit"),
    path("timer/uge/<id:pk>/godkend/", time.timesheet_approve, name="timesheet_approve"),
    path("timer/uge/<id:pk>/tilbage/", time.timesheet_return, name="timesheet_return"),
    path("timer/godkendelse/", time.timesheet_approvals, name="timesheet_approvals"),
    path("virksomhed/<id:pk>/rekruttering/ny/", firms.recruitment_create, name="recruitment_create"),
    path("rekruttering/<id:pk>/", firms.recruitment_detail, name="recruitment_detail"),
    path("erklaering/<id:pk>/", firms.declaration_scan, name="declaration_scan"),
    path("virksomhed/<id:pk>/medarbejdertal/ny/", firms.headcount_create, name="headcount_create"),
    path("virksomhed/<id:pk>/de-minimis/", firms.de_minimis, name="de_minimis"),
]
