"""The stable codes of tracking's refusals: what `ValidationError.code` and
`TaskActionRefused.code` carry, what the API answers in `code`, what tests assert.

A code names *why* something was refused, never *where* it is shown: a refusal about one input
is raised on that input's field (`ValidationError({"reason": ...})`), so the pages and the API
place it without a table of codes.
"""

import enum


class TrackingErrorCode(enum.StrEnum):
    # Who and when (`access.task_actions`): the task's access rule refused the action.
    NOT_ALLOWED = "not_allowed"  # the user's role or agency does not do this on this task
    TASK_CANCELLED = "task_cancelled"
    TASK_CLOSED = "task_closed"  # accepted as done: the record is closed
    AWAITING_ACCEPTANCE = "awaiting_acceptance"  # reported done, the office has not decided
    NOT_AWAITING_ACCEPTANCE = "not_awaiting_acceptance"
    NO_DEADLINE = "no_deadline"
    EXTENSION_PENDING = "extension_pending"
    NO_PENDING_EXTENSION = "no_pending_extension"
    NO_OPEN_OBSTACLE = "no_open_obstacle"

    # Documents
    MALFORMED_SYMBOL = "malformed_symbol"
    UNKNOWN_TYPE = "unknown_type"
    DUPLICATE_DOCUMENT = "duplicate_document"
    TOP_SECRET_FULL_TEXT = "top_secret_full_text"  # noqa: S105 (Tuyệt mật content stays outside)
    ISSUED_AFTER_DEADLINES = (
        "issued_after_deadlines"  # a new issue date after open tasks' deadlines
    )

    # Tasks
    TITLE_REQUIRED = "title_required"
    CLASSIFICATION_ABOVE_CLEARANCE = "classification_above_clearance"
    CLASSIFICATION_BELOW_SOURCE = "classification_below_source"
    CLASSIFICATION_ABOVE_TASKS = "classification_above_tasks"  # a document above its tasks
    # the rules of a new task (tasks_create_many)
    AGENCY_ENDED = "agency_ended"
    ALREADY_SUBMITTED = "already_submitted"
    DEADLINE_BEFORE_DOCUMENT = "deadline_before_document"
    INVALID_CHOICE = "invalid_choice"
    LEAD_AMONG_COORDINATORS = "lead_among_coordinators"
    TOO_LONG = "too_long"
    UNKNOWN_AGENCY = "unknown_agency"
    AMBIGUOUS_AGENCY = "ambiguous_agency"  # a typed agency matches several: pick a suggestion
    DEADLINE_REQUIRED = "deadline_required"
    UNKNOWN_FIELD = "unknown_field"
    EDIT_CONFLICT = "edit_conflict"
    REASON_REQUIRED = "reason_required"
    DEPENDENCY_CYCLE = "dependency_cycle"
    NO_TASK = "no_task"
    UNKNOWN_TASK = "unknown_task"  # a typed task matches none the user may see
    AMBIGUOUS_TASK = "ambiguous_task"  # a typed task matches several: pick one of the suggestions

    # Progress and completion
    PERCENT_OUT_OF_RANGE = "percent_out_of_range"
    NARRATIVE_REQUIRED = "narrative_required"
    PRODUCT_REQUIRED = "product_required"
    TOP_SECRET_FILE = "top_secret_file"  # noqa: S105 (a code, not a password)

    # Extensions
    NOT_LATER = "not_later"

    # Obstacles
    TEXT_REQUIRED = "text_required"
    ANSWER_REQUIRED = "answer_required"
    # The office's queue
    FOLLOWER_NOT_OFFICE = "follower_not_office"  # only an office specialist follows work
