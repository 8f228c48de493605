from django.urls import path

from dondoc.tracking.views import actions, assist, documents, inbox, queue, tasks
from dondoc.tracking.views.files import attachment_download, document_attach

app_name = "tracking"
urlpatterns = [
    path("tasks/", tasks.task_list, name="task_list"),
    path("tasks/new/", tasks.task_create, name="task_create"),
    path("tasks/lookup/", tasks.task_lookup, name="task_lookup"),
    path("tasks/export/", tasks.task_export, name="task_export"),
    path("tasks/import/", tasks.task_import, name="task_import"),
    path("tasks/import/template/", tasks.task_import_template, name="task_import_template"),
    path("tasks/assist/", assist.assist, name="assist"),
    path("tasks/assist/confirm/", assist.assist_confirm, name="assist_confirm"),
    path("tasks/assist/rework/", assist.assist_rework, name="assist_rework"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", tasks.task_edit, name="task_edit"),
    path("tasks/<int:pk>/report/", actions.task_report, name="task_report"),
    path("tasks/<int:pk>/accept/", actions.task_accept, name="task_accept"),
    path("tasks/<int:pk>/return/", actions.task_return, name="task_return"),
    path("tasks/<int:pk>/cancel/", actions.task_cancel, name="task_cancel"),
    path("tasks/<int:pk>/follower/", actions.task_follower, name="task_follower"),
    path("tasks/<int:pk>/dependencies/", actions.dependency_add, name="dependency_add"),
    path("tasks/<int:pk>/extensions/", actions.extension_request, name="extension_request"),
    path(
        "tasks/<int:pk>/extensions/<int:extension_id>/decide/",
        actions.extension_decide,
        name="extension_decide",
    ),
    path("tasks/<int:pk>/obstacles/", actions.obstacle_raise, name="obstacle_raise"),
    path(
        "tasks/<int:pk>/obstacles/<int:obstacle_id>/answer/",
        actions.obstacle_answer,
        name="obstacle_answer",
    ),
    path(
        "tasks/<int:pk>/obstacles/<int:obstacle_id>/escalate/",
        actions.obstacle_escalate,
        name="obstacle_escalate",
    ),
    path("inbox/", inbox.inbox, name="inbox"),
    path("inbox/<int:pk>/report/", inbox.inbox_report, name="inbox_report"),
    path("queue/", queue.queue, name="queue"),
    path("queue/badge/", queue.queue_badge, name="queue_badge"),
    path("queue/seen/", queue.queue_seen, name="queue_seen"),
    path("queue/<str:kind>/<int:pk>/<str:verb>/", queue.queue_act, name="queue_act"),
    path("documents/", documents.document_list, name="document_list"),
    path("documents/new/", documents.document_create, name="document_create"),
    path("documents/lookup/", documents.document_lookup, name="document_lookup"),
    path("documents/<int:pk>/", documents.document_detail, name="document_detail"),
    path("documents/<int:pk>/follower/", documents.document_follower, name="document_follower"),
    path("documents/<int:pk>/edit/", documents.document_edit, name="document_edit"),
    path("documents/<int:pk>/files/", document_attach, name="document_attach"),
    path("files/<int:pk>/", attachment_download, name="attachment_download"),
    path("sessions/", documents.session_list, name="session_list"),
    path("sessions/<int:pk>/", documents.session_detail, name="session_detail"),
]
