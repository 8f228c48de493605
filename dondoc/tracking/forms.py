"""Forms of the tracking pages: they read and check input; the services change data."""

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dondoc.accounts.models import Clearance, RoleCode, User
from dondoc.agencies.models import Agency
from dondoc.agencies.selectors import agencies_typed, agency_choices
from dondoc.core.dates import month_end, quarter_end, quarter_of
from dondoc.core.widgets import LookupInput
from dondoc.tracking.access import documents_visible_to, tasks_visible_to
from dondoc.tracking.attachments import EVIDENCE_KINDS, MB, kinds_text, max_bytes
from dondoc.tracking.error_codes import TrackingErrorCode
from dondoc.tracking.models import (
    DeadlineKind,
    DirectiveOpinion,
    Document,
    DocumentType,
    Priority,
    Task,
    Topic,
    Urgency,
)
from dondoc.tracking.selectors import (
    SORTS,
    DocumentFilters,
    TaskFilters,
    document_label,
    task_label,
    tasks_typed,
)
from dondoc.tracking.status import TaskStatus

if TYPE_CHECKING:  # generic in django-stubs only
    ModelChoiceField = forms.ModelChoiceField[Agency]
    ModelMultipleChoiceField = forms.ModelMultipleChoiceField[Agency]
    DocumentChoiceField = forms.ModelChoiceField[Document]
else:
    ModelChoiceField = forms.ModelChoiceField
    ModelMultipleChoiceField = forms.ModelMultipleChoiceField
    DocumentChoiceField = forms.ModelChoiceField

YES, NO = "1", "0"
YES_NO = [("", _("Tất cả")), (YES, _("Có")), (NO, _("Không"))]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class AgencyChoiceField(ModelChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.code})"


class AgencyMultipleChoiceField(ModelMultipleChoiceField):
    widget = forms.SelectMultiple(attrs={"size": 8})

    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.code})"


class LookupMultipleInput(LookupInput):
    """Several lookup inputs under one name: the values chosen, then `spare` empty ones to add
    more (no script needed; each suggests as the user types, like the filters' lookups)."""

    template_name = "tracking/widgets/lookup_multiple.html"
    allow_multiple_selected = True

    def __init__(self, url: Any, spare: int = 3) -> None:
        super().__init__(url)
        self.spare = spare

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
        values = [values] if isinstance(values, str) else values
        return [str(v).strip() for v in values if str(v).strip()]

    def format_value(self, value: Any) -> list[str]:  # type: ignore[override]
        if value is None:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        return [str(v) for v in values]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        base = widget["attrs"].get("id") or f"id_{name}"
        values = [*self.format_value(value), *[""] * self.spare]
        widget["url"] = self.url
        widget["inputs"] = [
            {"id": base if i == 0 else f"{base}_{i}", "value": v,
             "options_id": f"{base}_{i}-options",
             "label": "" if i == 0 else str(_("Cơ quan phối hợp thứ %(n)d") % {"n": i + 1})}
            for i, v in enumerate(values)
        ]  # fmt: skip
        return context


class AgencyLookupMultipleField(AgencyMultipleChoiceField):
    """Agencies typed by code with suggestions (a number, as older forms posted, also does)."""

    widget = LookupMultipleInput(reverse_lazy("agencies:lookup_current"))  # type: ignore[assignment]

    def clean(self, value: Any) -> Any:
        values = [str(v).strip() for v in value or [] if str(v).strip()]
        codes = {v for v in values if not v.isdigit()}
        assert self.queryset is not None
        found = dict(self.queryset.filter(code__in=codes).values_list("code", "pk"))
        unknown = sorted(codes - set(found))
        if unknown:
            raise ValidationError(
                _("Không có cơ quan mã %(codes)s trong danh sách được chọn."),
                code="invalid_choice", params={"codes": ", ".join(unknown)},
            )  # fmt: skip
        pks = [str(found[v]) if v in found else v for v in values]
        return super().clean(list(dict.fromkeys(pks)))


class TypedLookupField(forms.CharField):
    """One object typed with suggestions (`LookupInput`): what was typed is read back by
    `typed` into the objects it designates; none is refused with `unknown_code`, several with
    `ambiguous_code`, each with a message saying what to do. Subclasses say how to read."""

    unknown_code: TrackingErrorCode
    ambiguous_code: TrackingErrorCode
    unknown_message: Any
    ambiguous_message: Any

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)
        self.user: Any = None

    def typed(self, typed: str) -> QuerySet[Any]:
        raise NotImplementedError

    def clean(self, value: Any) -> Any:
        typed = super().clean(value)
        if not typed:
            return None
        found = list(self.typed(typed)[:2])
        if not found:
            raise ValidationError(
                self.unknown_message, code=self.unknown_code, params={"typed": typed}
            )
        if len(found) > 1:
            raise ValidationError(
                self.ambiguous_message, code=self.ambiguous_code, params={"typed": typed}
            )
        return found[0]


class TaskLookupField(TypedLookupField):
    """A task typed with suggestions: a suggestion's label ("#12 · title — lead"), its number,
    or words of its title that designate one task only. Cleans to the `Task` (of those the
    form's `user` may see); several matches are refused with `ambiguous_task`."""

    widget = LookupInput(reverse_lazy("tracking:task_lookup"))
    unknown_code = TrackingErrorCode.UNKNOWN_TASK
    ambiguous_code = TrackingErrorCode.AMBIGUOUS_TASK
    unknown_message = _(
        "Không có nhiệm vụ nào khớp “%(typed)s”; gõ vài chữ của tên hoặc số nhiệm vụ "
        "rồi chọn trong danh sách gợi ý."
    )
    ambiguous_message = _(
        "Có nhiều nhiệm vụ khớp “%(typed)s”; hãy chọn đúng một nhiệm vụ trong danh sách gợi ý."
    )

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Task):
            return task_label(value.pk, value.title, value.lead_agency.code)
        if isinstance(value, int):  # an initial task number: shown as its label
            row = (
                tasks_visible_to(self.user)
                .filter(pk=value)
                .values_list("pk", "title", "lead_agency__code")
                .first()
                if self.user is not None
                else None
            )
            return task_label(*row) if row else str(value)
        return value

    def typed(self, typed: str) -> QuerySet[Any]:
        return tasks_typed(self.user, typed).select_related("lead_agency")


class AgencyLookupField(TypedLookupField):
    """An agency typed with suggestions: its code (a suggestion's value), its number, or words
    of its name or short name (diacritics ignored) that designate one agency only, among
    `queryset` (the agencies the form offers: `agency_choices(user, ended=False)`, the rule
    the suggestions of `agencies:lookup_current` follow, so what is suggested is accepted)."""

    widget = LookupInput(reverse_lazy("agencies:lookup_current"))
    unknown_code = TrackingErrorCode.UNKNOWN_AGENCY
    ambiguous_code = TrackingErrorCode.AMBIGUOUS_AGENCY
    unknown_message = _(
        "Không có cơ quan nào khớp “%(typed)s”; gõ vài chữ của tên, tên viết tắt hoặc mã "
        "cơ quan rồi chọn trong danh sách gợi ý."
    )
    ambiguous_message = _(
        "Có nhiều cơ quan khớp “%(typed)s”; hãy chọn đúng một cơ quan trong danh sách gợi ý."
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.queryset: QuerySet[Agency] = Agency.objects.none()

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Agency):
            return value.code
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            code = self.queryset.filter(pk=int(value)).values_list("code", flat=True).first()
            return code or str(value)
        return value

    def typed(self, typed: str) -> QuerySet[Any]:
        return agencies_typed(self.queryset, typed)


class DocumentField(DocumentChoiceField):
    def label_from_instance(self, obj: Document) -> str:
        return f"{obj.symbol} — {obj.title[:80]}"


def _yes_no(value: str) -> bool:
    return value == YES


def _yes_no_field(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=YES_NO, coerce=_yes_no, empty_value=None, required=False
    )


def _cleaned(form: forms.Form) -> dict[str, Any]:
    """The values that validated; a filter that does not is ignored rather than refused."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return form.cleaned_data


def _clearance_choices(user: Any) -> list[tuple[int, str]]:
    """Nobody classifies work above their own clearance: it would vanish from their sight."""
    return [(value, str(label)) for value, label in Clearance.choices if value <= user.clearance]


# Lists -----------------------------------------------------------------------------------


class TaskFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Tên nhiệm vụ, gõ có dấu hay không dấu")}
        ),
    )
    status = forms.MultipleChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=TaskStatus.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    # Thousands of agencies and documents: typed with suggestions, not listed in full.
    lead = forms.CharField(
        label=_("Cơ quan chủ trì"),
        required=False,
        max_length=32,
        widget=LookupInput(reverse_lazy("agencies:lookup")),
    )
    coordinator = forms.CharField(
        label=_("Cơ quan phối hợp"),
        required=False,
        max_length=32,
        widget=LookupInput(reverse_lazy("agencies:lookup")),
    )
    document = forms.IntegerField(
        label=_("Văn bản"),
        required=False,
        widget=LookupInput(reverse_lazy("tracking:document_lookup")),
    )
    strategic = _yes_no_field(_("Nghị quyết chiến lược"))
    key = _yes_no_field(_("Nhiệm vụ trọng tâm"))
    priority = forms.TypedChoiceField(
        label=_("Mức ưu tiên"),
        required=False,
        choices=[("", _("Tất cả")), *Priority.choices],
        coerce=int,
        empty_value=None,
    )
    topic = forms.TypedChoiceField(label=_("Chủ đề"), required=False, coerce=int, empty_value=None)
    due_after = forms.DateField(label=_("Thời hạn từ ngày"), required=False, widget=DateInput)
    due_before = forms.DateField(label=_("Thời hạn đến ngày"), required=False, widget=DateInput)
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in SORTS], widget=forms.HiddenInput
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["topic"].choices = [  # type: ignore[attr-defined]
            ("", _("Tất cả")),
            *Topic.objects.order_by("name").values_list("pk", "name"),
        ]
        self.fields["sort"].widget.attrs["id"] = "task-sort"

    def clean_lead(self) -> str:
        return self._agency_code("lead")

    def clean_coordinator(self) -> str:
        return self._agency_code("coordinator")

    def _agency_code(self, field: str) -> str:
        code = str(self.cleaned_data.get(field) or "").strip().upper()
        if not code:
            return ""
        name = agency_choices(self.user).filter(code=code).values_list("name", flat=True).first()
        if name is None:
            raise ValidationError(_("Không có cơ quan mã %(code)s."), params={"code": code})
        self.fields[field].widget.choice = (code, name)
        return code

    def clean_document(self) -> int | None:
        pk = self.cleaned_data.get("document")
        if pk is None:
            return None
        row = documents_visible_to(self.user).filter(pk=pk).values_list("symbol", "title").first()
        if row is None:
            raise ValidationError(_("Không có văn bản này."))
        self.fields["document"].widget.choice = (pk, document_label(*row))
        return int(pk)

    def filters(self) -> TaskFilters:
        data = _cleaned(self)
        return TaskFilters(
            status=tuple(data.get("status") or ()),
            lead=data.get("lead") or "",
            coordinator=data.get("coordinator") or "",
            document=data.get("document"),
            strategic=data.get("strategic"),
            key=data.get("key"),
            priority=data.get("priority"),
            topic=data.get("topic"),
            due_after=data.get("due_after"),
            due_before=data.get("due_before"),
            q=data.get("q") or "",
            sort=data.get("sort") or "due_on",
        )


class DocumentFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Số, ký hiệu hoặc trích yếu")}
        ),
    )
    doc_type = forms.ChoiceField(
        label=_("Loại văn bản"), required=False, choices=[("", _("Tất cả")), *DocumentType.choices]
    )
    issuer = forms.TypedChoiceField(
        label=_("Cơ quan ban hành"), required=False, coerce=int, empty_value=None
    )
    strategic = _yes_no_field(_("Nghị quyết chiến lược"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        issuers = Agency.objects.filter(documents_issued__isnull=False).distinct()
        self.fields["issuer"].choices = [  # type: ignore[attr-defined]
            ("", _("Tất cả")),
            *issuers.order_by("sort_text").values_list("pk", "name"),
        ]

    def filters(self) -> DocumentFilters:
        data = _cleaned(self)
        return DocumentFilters(
            doc_type=data.get("doc_type") or "",
            issuer=data.get("issuer"),
            strategic=data.get("strategic"),
            q=data.get("q") or "",
        )


# Tasks and documents ---------------------------------------------------------------------


def deadline_on(kind: str, day: dt.date | None) -> dt.date | None:
    """The stored deadline for a deadline typed as a day: a month deadline ("trong tháng
    12/2025") is its month's last day, a quarter deadline its quarter's last day."""
    if day is None or kind == DeadlineKind.ONGOING:
        return None
    if kind in (DeadlineKind.MONTH, DeadlineKind.MONTHLY):
        return month_end(day.year, day.month)
    if kind in (DeadlineKind.QUARTER, DeadlineKind.QUARTERLY):
        return quarter_end(day.year, quarter_of(day))
    return day


class TaskForm(forms.Form):
    """Create or edit a task. With `task`, an edit: the hidden `version` is the one the user
    opened, so that a save made meanwhile by someone else is not overwritten silently."""

    title = forms.CharField(label=_("Nhiệm vụ"), max_length=500)
    description = forms.CharField(
        label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    source_clause = forms.CharField(
        label=_("Điều, khoản, mục"),
        required=False,
        max_length=200,
        help_text=_("Vị trí của nhiệm vụ trong văn bản, ví dụ: Mục III.2."),
    )
    expected_product = forms.CharField(label=_("Sản phẩm đầu ra"), required=False, max_length=300)
    lead_agency = AgencyLookupField(
        label=_("Cơ quan chủ trì"),
        help_text=_("Gõ tên, tên viết tắt hoặc mã cơ quan rồi chọn trong danh sách gợi ý."),
    )
    coordinating_agencies = AgencyLookupMultipleField(
        label=_("Cơ quan phối hợp"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("Gõ tên hoặc mã cơ quan rồi chọn trong danh sách gợi ý; mỗi ô một cơ quan."),
    )
    responsible_head = forms.CharField(
        label=_("Người đứng đầu chịu trách nhiệm"), required=False, max_length=200
    )
    deadline_kind = forms.ChoiceField(label=_("Loại thời hạn"), choices=DeadlineKind.choices)
    due_on = forms.DateField(
        label=_("Thời hạn"),
        required=False,
        widget=DateInput,
        help_text=_(
            "Thời hạn trong tháng hoặc trong quý được tính đến ngày cuối tháng, cuối quý. "
            "Nhiệm vụ thường xuyên không cần thời hạn."
        ),
    )
    priority = forms.TypedChoiceField(
        label=_("Mức ưu tiên"), choices=Priority.choices, coerce=int, initial=Priority.NORMAL
    )
    is_key = forms.BooleanField(label=_("Nhiệm vụ trọng tâm"), required=False)
    classification = forms.TypedChoiceField(label=_("Độ mật"), coerce=int, initial=0)
    parent = TaskLookupField(
        label=_("Thuộc nhiệm vụ"),
        required=False,
        help_text=_(
            "Nhiệm vụ lớn mà nhiệm vụ này là một phần, nếu có: gõ vài chữ của tên hoặc số "
            "nhiệm vụ rồi chọn trong danh sách gợi ý."
        ),
    )

    TASK_FIELDS = (
        "title", "description", "expected_product", "source_clause", "lead_agency",
        "responsible_head", "deadline_kind", "due_on", "priority", "is_key", "classification",
        "parent",
    )  # fmt: skip

    def __init__(self, user: Any, *args: Any, task: Task | None = None, **kwargs: Any) -> None:
        if task is not None:
            kwargs.setdefault("initial", self.initial_for(task))
        super().__init__(*args, **kwargs)
        self.user = user
        self.task = task
        agencies = agency_choices(user, ended=False)
        self.fields["lead_agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["coordinating_agencies"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["classification"].choices = _clearance_choices(user)  # type: ignore[attr-defined]
        self.fields["parent"].user = user  # type: ignore[attr-defined]
        if task is not None:
            self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput)

    @staticmethod
    def initial_for(task: Task) -> dict[str, Any]:
        return {
            "title": task.title,
            "description": task.description,
            "source_clause": task.source_clause,
            "expected_product": task.expected_product,
            "lead_agency": task.lead_agency_id,
            "coordinating_agencies": list(
                task.coordinations.order_by("agency__sort_text").values_list(
                    "agency__code", flat=True
                )
            ),
            "responsible_head": task.responsible_head,
            "deadline_kind": task.deadline_kind,
            "due_on": task.due_on,
            "priority": task.priority,
            "is_key": task.is_key,
            "classification": task.classification,
            "parent": task.parent_id,
            "version": task.version,
        }

    def clean_parent(self) -> Task | None:
        parent: Task | None = self.cleaned_data.get("parent")
        if parent is not None and self.task is not None and parent.pk == self.task.pk:
            raise ValidationError(_("Nhiệm vụ không thể thuộc chính nó."), code="own_parent")
        return parent

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "deadline_kind" in data and "due_on" in data:
            data["due_on"] = deadline_on(data["deadline_kind"], data["due_on"])
        return data

    def task_fields(self) -> dict[str, Any]:
        """The task's own fields, as the services take them."""
        return {name: self.cleaned_data[name] for name in self.TASK_FIELDS}


def submission_field() -> forms.UUIDField:
    """The token of one page: its tasks are created once, however often it is submitted."""
    return forms.UUIDField(required=False, initial=uuid.uuid4, widget=forms.HiddenInput)


def submission_key(kind: str, token: uuid.UUID | None) -> str:
    return f"{kind}:{token}" if token else ""


class TaskCreateForm(TaskForm):
    document = DocumentField(label=_("Văn bản"), queryset=Document.objects.none(), required=False)
    submission = submission_field()
    opinion = forms.ModelChoiceField(
        label=_("Ý kiến chỉ đạo"),
        queryset=DirectiveOpinion.objects.none(),
        required=False,
        widget=forms.HiddenInput,
    )

    field_order = ["document", "opinion"]

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        documents = documents_visible_to(user).order_by("-issued_on", "-id")
        self.fields["document"].queryset = documents  # type: ignore[attr-defined]
        opinions = DirectiveOpinion.objects.filter(session__classification__lte=user.clearance)
        self.fields["opinion"].queryset = opinions  # type: ignore[attr-defined]


class DocumentForm(forms.Form):
    symbol = forms.CharField(
        label=_("Số, ký hiệu"),
        max_length=64,
        help_text=_("Văn bản của Đảng ghi dạng 57-NQ/TW, văn bản nhà nước ghi dạng 86/NQ-CP."),
    )
    issuing_body = AgencyChoiceField(label=_("Cơ quan ban hành"), queryset=Agency.objects.none())
    term = forms.CharField(
        label=_("Khóa"),
        required=False,
        max_length=16,
        help_text=_("Khóa của cơ quan ban hành, ví dụ: XIV. Số văn bản bắt đầu lại mỗi khóa."),
    )
    issued_on = forms.DateField(label=_("Ngày ban hành"), widget=DateInput)
    title = forms.CharField(label=_("Trích yếu"), max_length=500)
    classification = forms.TypedChoiceField(label=_("Độ mật"), coerce=int, initial=0)
    urgency = forms.ChoiceField(label=_("Độ khẩn"), choices=Urgency.choices, required=False)
    is_strategic = forms.BooleanField(label=_("Nghị quyết chiến lược"), required=False)
    full_text = forms.CharField(
        label=_("Toàn văn"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuing_body"].queryset = agency_choices(user)  # type: ignore[attr-defined]
        self.fields["classification"].choices = _clearance_choices(user)  # type: ignore[attr-defined]
        self.fields["classification"].help_text = (
            _(
                "Văn bản Tuyệt mật chỉ đăng ký số, ký hiệu và trích yếu; nội dung được quản lý "
                "ngoài hệ thống."
            )
            if user.clearance >= Clearance.TOP_SECRET
            else _(
                "Văn bản Tuyệt mật không đăng ký ở đây: được quản lý ngoài hệ thống, do người "
                "được phép tiếp cận bí mật nhà nước độ Tuyệt mật theo dõi."
            )
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("classification") == Clearance.TOP_SECRET and data.get("full_text"):
            self.add_error(
                "full_text",
                ValidationError(
                    _(
                        "Văn bản Tuyệt mật chỉ đăng ký số, ký hiệu và trích yếu; toàn văn được "
                        "quản lý ngoài hệ thống."
                    ),
                    code=TrackingErrorCode.TOP_SECRET_FULL_TEXT,
                ),
            )
        return data


class DocumentEditForm(DocumentForm):
    """A registered document's fields, with the version it was opened at."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    FIELDS = ("symbol", "issuing_body", "term", "issued_on", "title", "classification",
              "urgency", "is_strategic", "full_text")  # fmt: skip

    @classmethod
    def initial_for(cls, document: Document) -> dict[str, Any]:
        initial = {name: getattr(document, name) for name in cls.FIELDS}
        initial["issuing_body"] = document.issuing_body_id
        initial["version"] = document.version
        return initial

    def document_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


# Actions on a task -----------------------------------------------------------------------


def _current_period() -> str:
    today = timezone.localdate()
    return str(_("Tháng %(month)02d/%(year)d") % {"month": today.month, "year": today.year})


class ProgressReportForm(forms.Form):
    percent = forms.IntegerField(
        label=_("Tiến độ (%)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100}),
    )
    narrative = forms.CharField(
        label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 3})
    )
    period = forms.CharField(label=_("Kỳ báo cáo"), required=False, max_length=32)
    is_final = forms.BooleanField(
        label=_("Báo cáo hoàn thành nhiệm vụ"),
        required=False,
        help_text=_("Văn phòng sẽ xem xét, xác nhận hoàn thành."),
    )
    product = forms.CharField(
        label=_("Sản phẩm đầu ra"),
        required=False,
        max_length=300,
        help_text=_("Bắt buộc khi báo cáo hoàn thành: số, ký hiệu văn bản hoặc mô tả sản phẩm."),
    )
    evidence = forms.FileField(
        label=_("Tệp minh chứng"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".pdf,.docx,.xlsx"}),
    )

    def __init__(self, *args: Any, task: Task | None = None, final: bool = True, **kwargs: Any):
        if task is not None:
            kwargs.setdefault("initial", {"percent": task.progress, "period": _current_period()})
        super().__init__(*args, **kwargs)
        self.fields["evidence"].help_text = _(
            "Không bắt buộc. Tệp %(kinds)s, tối đa %(limit)s MB."
        ) % {"kinds": kinds_text(EVIDENCE_KINDS), "limit": max_bytes() // MB}
        if not final:  # a coordinating agency contributes; only the lead reports completion
            del self.fields["is_final"]
            del self.fields["product"]


class ExtensionRequestForm(forms.Form):
    requested_due_on = forms.DateField(label=_("Thời hạn đề nghị"), widget=DateInput)
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 3}))


class ObstacleForm(forms.Form):
    text = forms.CharField(label=_("Vướng mắc"), widget=forms.Textarea(attrs={"rows": 3}))
    proposal = forms.CharField(
        label=_("Kiến nghị"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    beyond_authority = forms.BooleanField(
        label=_("Vượt thẩm quyền — báo cáo lãnh đạo"),
        required=False,
        help_text=_("Chọn khi vấn đề cần lãnh đạo cho ý kiến, không thuộc thẩm quyền Văn phòng."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionDecisionForm(forms.Form):
    APPROVE, REFUSE = "approve", "refuse"
    decision = forms.ChoiceField(
        label=_("Quyết định"),
        choices=[(APPROVE, _("Đồng ý gia hạn")), (REFUSE, _("Không đồng ý"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Ý kiến"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bắt buộc khi không đồng ý."),
    )


class ObstacleAnswerForm(forms.Form):
    answer = forms.CharField(label=_("Trả lời"), widget=forms.Textarea(attrs={"rows": 3}))


class DependencyForm(forms.Form):
    waits_for = TaskLookupField(
        label=_("Chờ kết quả của nhiệm vụ"),
        help_text=_(
            "Nhiệm vụ này chỉ thực hiện được khi nhiệm vụ kia có kết quả: gõ vài chữ của tên "
            "hoặc số nhiệm vụ rồi chọn trong danh sách gợi ý."
        ),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["waits_for"].user = user  # type: ignore[attr-defined]


class TaskImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    allow_duplicates = forms.BooleanField(
        label=_("Tôi đã kiểm tra các dòng trùng nêu trên; vẫn nhập cả các dòng đó."),
        required=False,
    )

    def __init__(self, *args: Any, ask_duplicates: bool = False, **kwargs: Any) -> None:
        """The duplicates box shows only once an upload was found to repeat rows."""
        super().__init__(*args, **kwargs)
        if not (ask_duplicates or (self.is_bound and self.data.get("allow_duplicates"))):
            self.fields["allow_duplicates"].widget = forms.HiddenInput()

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Chỉ nhận tệp Excel định dạng .xlsx."), code="not_xlsx")
        return upload


class QueueFilterForm(forms.Form):
    """The queue's filters (read by `queue.queue_filters`; this form draws them)."""

    agency = forms.CharField(
        label=_("Cơ quan chủ trì"),
        required=False,
        max_length=32,
        widget=LookupInput(reverse_lazy("agencies:lookup")),
    )
    document = forms.IntegerField(
        label=_("Văn bản"),
        required=False,
        widget=LookupInput(reverse_lazy("tracking:document_lookup")),
    )


class FollowerForm(forms.Form):
    """The office specialist who follows a task or a document (chuyên viên theo dõi)."""

    follower = forms.ModelChoiceField(
        label=_("Chuyên viên theo dõi"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— chưa phân công —"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        specialists = User.objects.filter(roles__code=RoleCode.OFFICE, is_active=True)
        self.fields["follower"].queryset = specialists.order_by("full_name")  # type: ignore[attr-defined]
