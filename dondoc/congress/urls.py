from django.urls import path

from dondoc.congress import views

app_name = "congress"
urlpatterns = [
    path("", views.congress_list, name="list"),
    path("<int:pk>/", views.congress_detail, name="detail"),
    path("<int:pk>/erase-personal-data/", views.personal_data_erase, name="erase_personal_data"),
    path("<int:pk>/delegates/", views.delegate_list, name="delegates"),
    path("<int:pk>/delegates/<int:delegate_pk>/", views.delegate_detail, name="delegate"),
    path(
        "<int:pk>/delegates/<int:delegate_pk>/credentials/",
        views.credentials_decide,
        name="credentials_decide",
    ),
    path(
        "<int:pk>/delegates/<int:delegate_pk>/account/", views.delegate_link, name="delegate_link"
    ),
    path(
        "<int:pk>/delegates/<int:delegate_pk>/photo/", views.delegate_photo, name="delegate_photo"
    ),
    path(
        "<int:pk>/delegates/<int:delegate_pk>/photo/upload/",
        views.delegate_photo_upload,
        name="delegate_photo_upload",
    ),
    path("<int:pk>/credentials/", views.credentials_review, name="credentials"),
    path("<int:pk>/credentials/report.docx", views.credentials_report, name="credentials_report"),
    path("<int:pk>/seating/", views.seating_chart, name="seating"),
    path("<int:pk>/seating/chart.pdf", views.seating_chart_pdf, name="seating_pdf"),
    path("<int:pk>/seating/plan.json", views.seating_plan_json, name="seating_plan_json"),
    path("<int:pk>/seating/import/", views.hall_import, name="hall_import"),
    path("<int:pk>/seating/solve/", views.seating_solve, name="seating_solve"),
    path("<int:pk>/seating/seat/", views.seat_edit, name="seat_edit"),
    path("<int:pk>/seating/block/", views.seats_assign_block, name="seats_block"),
    path("<int:pk>/delegates/<int:delegate_pk>/seat/", views.delegate_move, name="delegate_move"),
    path(
        "<int:pk>/delegates/<int:delegate_pk>/seat/unpin/",
        views.delegate_unpin,
        name="delegate_unpin",
    ),
    path(
        "<int:pk>/delegates/<int:delegate_pk>/photo/remove/",
        views.delegate_photo_remove,
        name="delegate_photo_remove",
    ),
    path("<int:pk>/badges.pdf", views.badges, name="badges"),
    path("<int:pk>/guests/", views.guest_list, name="guests"),
    path("<int:pk>/guests/invite/", views.guest_invite, name="guest_invite"),
    path("<int:pk>/guests/<int:guest_pk>/reply/", views.guest_reply, name="guest_reply"),
    path("<int:pk>/press/", views.press_list, name="press"),
    path("<int:pk>/press/request/", views.press_request, name="press_request"),
    path("<int:pk>/press/<int:press_pk>/decide/", views.press_decide, name="press_decide"),
    path("<int:pk>/agenda/", views.agenda, name="agenda"),
    path("<int:pk>/agenda/<int:session_pk>/revise/", views.agenda_revise, name="agenda_revise"),
    path("<int:pk>/agenda/publish/", views.agenda_publish, name="agenda_publish"),
    path(
        "<int:pk>/agenda/items/<int:item_pk>/document/",
        views.agenda_document,
        name="agenda_document",
    ),
    path(
        "<int:pk>/agenda/items/<int:item_pk>/document/upload/",
        views.agenda_document_upload,
        name="agenda_document_upload",
    ),
    path("<int:pk>/speeches/", views.speech_register, name="speech_register"),
    path("<int:pk>/speeches/structure/", views.speech_structure_set, name="speech_structure"),
    path("<int:pk>/speeches/<int:speech_pk>/decide/", views.speech_decide, name="speech_decide"),
    path("<int:pk>/agenda/<int:session_pk>/order/", views.speech_order, name="speech_order"),
    path("<int:pk>/speeches/<int:speech_pk>/amend/", views.speech_amend, name="speech_amend"),
    path(
        "<int:pk>/speeches/<int:speech_pk>/document/",
        views.speech_document,
        name="speech_document",
    ),
    path(
        "<int:pk>/delegations/<int:delegation_pk>/speeches/",
        views.delegation_speeches,
        name="delegation",
    ),
    path(
        "<int:pk>/delegations/<int:delegation_pk>/speeches/propose/",
        views.delegation_speech_propose,
        name="delegation_propose",
    ),
    path(
        "<int:pk>/delegations/<int:delegation_pk>/officers/",
        views.delegation_officers,
        name="delegation_officers",
    ),
    path("<int:pk>/boards/", views.boards, name="boards"),
    path("<int:pk>/me/", views.delegate_me, name="me"),
    path("<int:pk>/me/badge.pdf", views.delegate_me_badge, name="me_badge"),
    path("<int:pk>/me/photo/", views.delegate_me_photo, name="me_photo"),
    path(
        "<int:pk>/delegates/<int:delegate_pk>/photo/pending/",
        views.delegate_photo_pending,
        name="delegate_photo_pending",
    ),
    path(
        "<int:pk>/delegates/<int:delegate_pk>/photo/review/",
        views.delegate_photo_review,
        name="delegate_photo_review",
    ),
    path("<int:pk>/checkin/", views.checkin_page, name="checkin"),
    path("<int:pk>/checkin/scan/", views.checkin_scan, name="checkin_scan"),
]
