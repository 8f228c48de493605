"""Files kept with documents and progress reports. They are uploaded through
`services.attachment_add` (evidence comes with a progress report, see `actions.task_report`)
and downloaded only here, after `attachment_access` has checked the file's parent: MEDIA_ROOT
is outside the web root and nothing else serves it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dondoc.accounts import rules
from dondoc.core.access import allow
from dondoc.tracking import services
from dondoc.tracking.access import document_access
from dondoc.tracking.attachments import attachment_access, content_disposition, download_name


@allow(rules.signed_in)
@require_GET
def attachment_download(request: rules.SignedInRequest, pk: int) -> FileResponse:
    """The file as a download, with its detected type; 404 for whoever may not open its parent."""
    attachment = attachment_access(request.user, pk)
    try:
        handle = attachment.file.storage.open(attachment.file.name, "rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, as_attachment=True, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition(download_name(attachment))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@allow(rules.office)
@require_POST
def document_attach(request: rules.SignedInRequest, pk: int) -> HttpResponse:
    """The office keeps a file (PDF, Word) with a document it may see."""
    document = document_access(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Chọn tệp cần tải lên."))
    else:
        try:
            attachment = services.attachment_add(request.user, file=upload, document=document)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("Đã lưu tệp “%(name)s”.") % {"name": attachment.original_name}
            )
    return redirect(f"{reverse('tracking:document_detail', args=[document.pk])}#attachments")
