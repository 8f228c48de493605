"""The stable codes of congress's refusals (see tracking/error_codes.py for the idea)."""

import enum


class CongressErrorCode(enum.StrEnum):
    # Who and when (`access.congress_actions`, `access.delegate_actions`)
    NOT_ALLOWED = "not_allowed"
    CONGRESS_CLOSED = "congress_closed"
    ALREADY_DECIDED = "already_decided"  # credentials verified or rejected: final
    DELEGATE_REPLACED = "delegate_replaced"
    CREDENTIALS_REJECTED = "credentials_rejected"
    NOT_OFFICIAL = "not_official"
    NOT_ADMITTED = "not_admitted"  # a guest who has not accepted, a pass not approved
    NOT_SELECTED = "not_selected"  # ordering a speech not selected, or a written one
    AWAITING_CHANGES = "awaiting_changes"  # a speech sent back to its delegation for changes
    NOT_CLOSED = "not_closed"  # its people's data is erased only after the congress closed
    ALREADY_ERASED = "already_erased"  # its people's data was erased already

    # Input
    REASON_REQUIRED = "reason_required"
    NOT_AN_ALTERNATE = "not_an_alternate"
    OTHER_DELEGATION = "other_delegation"
    BAD_BADGE = "bad_badge"
    NO_HALL = "no_hall"
    HALL_EXISTS = "hall_exists"
    HALL_SEATED = "hall_seated"  # a hall file is refused once anyone has a seat
    HALL_FORMAT = "hall_format"  # neither CSV nor XLSX
    HALL_UNREADABLE = "hall_unreadable"
    HALL_COLUMNS = "hall_columns"  # the header lacks a required column
    HALL_INVALID = "hall_invalid"  # lines with problems, each named with its line
    SEATING_INFEASIBLE = "seating_infeasible"
    DATES_REVERSED = "dates_reversed"
    INVALID_CHOICE = "invalid_choice"
    CARD_REQUIRED = "card_required"
    CARD_TAKEN = "card_taken"
    BOARD_EXISTS = "board_exists"  # a second board of one kind in a congress
    DELEGATION_CODE_TAKEN = "delegation_code_taken"  # a second delegation with one code
    OTHER_SESSION = "other_session"
    ORDER_MISMATCH = "order_mismatch"
    SPEAKER_ELSEWHERE = "speaker_elsewhere"
    STRUCTURE_INVALID = "structure_invalid"  # a speech structure that cannot add up
    OTHER_ITEM = "other_item"  # a speech's agenda item is not of its session
    SEAT_TAKEN = "seat_taken"  # moving a delegate to a seat someone sits in
    SEAT_BLOCKED = "seat_blocked"  # moving a delegate to a seat out of use
    SEAT_OCCUPIED = "seat_occupied"  # putting out of use a seat someone sits in
    SEAT_ZONE = "seat_zone"  # a seat of another zone (a delegate in the guests' rows)
    SEAT_NOT_ACCESSIBLE = "seat_not_accessible"  # a delegate who needs one, a seat that is not
    SEAT_BLOCK = "seat_block"  # a block of seats that is empty, malformed or too small
    AGENDA_UNCHANGED = "agenda_unchanged"  # publishing the same agenda again
    NO_PHOTO_REQUEST = "no_photo_request"  # reviewing a delegate's photo when none waits
    PHOTO_CHANGED = "photo_changed"  # the delegate sent another photo since the reviewer saw it
    OFFICER_TWICE = "officer_twice"  # the same account as a delegation's head and secretary
