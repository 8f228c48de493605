"""The stable codes of consultation's refusals (`ValidationError.code`, `DraftActionRefused.code`,
the API's `code`)."""

import enum


class ConsultationErrorCode(enum.StrEnum):
    # Who and when (`access.draft_actions`)
    NOT_ALLOWED = "not_allowed"
    NOT_OPEN = "not_open"  # no consultation round open today
    NOT_PUBLIC = "not_public"  # the open round takes no comments from the public
    NOT_SYNTHESIZED = "not_synthesized"  # no themes yet to answer
    STILL_OPEN = "still_open"  # identities are erased only once the round has closed
    NO_RUN = "no_run"  # no synthesis run going: nothing to cancel
    RUN_NOT_STUCK = "run_not_stuck"  # the run is progressing: nothing to resume

    # Input
    NO_SECTIONS = "no_sections"
    BAD_WINDOW = "bad_window"
    TEXT_REQUIRED = "text_required"
    UNKNOWN_SECTION = "unknown_section"
    UNKNOWN_THEME = "unknown_theme"
    UNKNOWN_VERSION = "unknown_version"  # the draft has no such version
    THEME_ANSWERED = "theme_answered"  # an answered theme is not merged away
    NOTHING_TO_SPLIT = "nothing_to_split"
    TOO_MANY = "too_many"  # the public form's rate limit
    BAD_PROOF = "bad_proof"  # the public form's proof of work
    RUN_ACTIVE = "run_active"  # a synthesis of the draft is still going
    BAD_FILE = "bad_file"  # an import file or row that cannot be read
