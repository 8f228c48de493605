"""The stable codes of programs' refusals: what `ValidationError.code` and
`ItemActionRefused.code` carry, what the API answers in `code`, what tests assert."""

import enum


class ProgramErrorCode(enum.StrEnum):
    # Who and when (`access.item_actions`)
    NOT_ALLOWED = "not_allowed"  # the user's role or agency does not do this on this item
    ITEM_DECIDED = "item_decided"  # approved: the record is closed
    NOT_BEING_DRAFTED = "not_being_drafted"  # drafting or revision is over for now
    ROUND_NOT_OPEN = "round_not_open"
    COMMENT_ROUND_REQUIRED = "comment_round_required"  # appraisal needs a closed round first
    COMMENTS_UNHANDLED = "comments_unhandled"  # appraisal needs every comment received handled
    NOT_IN_APPRAISAL = "not_in_appraisal"
    NOT_APPRAISED = "not_appraised"
    NOT_SUBMITTED = "not_submitted"
    ITEM_WITHDRAWN = "item_withdrawn"
    RESCHEDULE_PENDING = "reschedule_pending"
    NO_PENDING_RESCHEDULE = "no_pending_reschedule"
    ADDITION_PENDING = "addition_pending"  # proposed for addition, not yet in the program
    NOT_ADDED = "not_added"  # its addition was refused
    TERM_PLAN = "term_plan"  # a full-term program's item is carried out in a yearly program
    NOT_TERM_ITEM = "not_term_item"  # only a full-term program's item moves to another year
    ITEM_CARRIED = "item_carried"  # already in a yearly program: moved there, not in the term
    EDITED_MEANWHILE = "edited_meanwhile"  # someone saved since the editor read it: nothing saved

    # Inputs
    DEADLINE_TOO_SOON = "deadline_too_soon"
    NO_INVITEES = "no_invitees"
    LEAD_INVITED = "lead_invited"
    OPINION_REQUIRED = "opinion_required"
    CONTENT_INCOMPLETE = "content_incomplete"
    REASON_REQUIRED = "reason_required"
    CHECKLIST_INCOMPLETE = "checklist_incomplete"
    MONTH_INVALID = "month_invalid"
    TITLE_REQUIRED = "title_required"
    AGENCY_ENDED = "agency_ended"
    CLASSIFICATION_ABOVE_CLEARANCE = "classification_above_clearance"
    NOT_LATER = "not_later"
    KIND_INVALID = "kind_invalid"  # an addition is asked for a program, not for an item
    YEAR_INVALID = "year_invalid"  # not a year of the full-term program
    YEAR_UNCHANGED = "year_unchanged"  # a year move to the year already planned
    NOT_TERM_PROGRAM = "not_term_program"  # yearly programs are derived from a full-term one
    YEAR_PROGRAM_LINKED = "year_program_linked"  # that year's program follows another term
    CHANGES_NOTE_REQUIRED = "changes_note_required"  # a new version explains what changed
    NOTHING_CHANGED = "nothing_changed"  # a new version that repeats the last one
    NOT_A_COMMENT = "not_a_comment"  # handling is recorded for an answered invitation of the item
    EXPLANATION_REQUIRED = "explanation_required"  # partly or not accepted needs the why
    TOP_SECRET_FILE = "top_secret_file"  # noqa: S105 (a code, not a password): no file kept
    SESSION_NOT_FOUND = "session_not_found"  # no working session the user may see with that id
    OUTCOME_ON_APPROVAL_ONLY = "outcome_on_approval_only"  # a document only when approved
