from django.urls import path

from dondoc.urging import views

app_name = "urging"
urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/unread/", views.unread_badge, name="unread_badge"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("rules/", views.rules_edit, name="rules"),
    path("letters/", views.letter_list, name="letters"),
    path("letters/<str:agency_code>.docx", views.letter_docx, name="letter_docx"),
    path("letters/<str:agency_code>/sent/", views.letter_sent, name="letter_sent"),
]
