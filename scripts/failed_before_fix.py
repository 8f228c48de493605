# ruff: noqa: S603, S607, T201 - a check run by hand: our own test and git commands, results printed
"""Show that each fault's test fails with the fix taken out (issue #11, "a test that failed
before the fix"). For each fault: one line of the fix is reverted in the working tree, the
fault's test is run, the file is restored from git, and the result printed. Results go in
docs/reliability.md ("Failed before the fix").

    uv run python scripts/failed_before_fix.py [--only NAME ...]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/DB uv run python scripts/failed_before_fix.py \
        --only round_open ...                       # the races need PostgreSQL

Refuses to run on a working tree with changes to a file it reverts (it restores with
`git checkout`).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Revert:
    name: str
    path: str
    fixed: str  # the fix's line(s), as in the file
    reverted: str  # what stood there before the fix (or the fix taken out)
    test: str
    postgresql: bool = False


T1 = "tests/tracking/test_one_of.py::"
P1 = "tests/programs/test_one_of.py::"
C1 = "tests/congress/test_one_of.py::"
REVERTS = [
    Revert(
        "control_characters",
        "dondoc/core/text.py",
        'text = _UNWANTED.sub("", _LINE_BREAKS.sub("\\n", text))',
        'text = _LINE_BREAKS.sub("\\n", text)',
        "tests/core/test_clean_text.py",
    ),
    Revert(
        "extension_loser_error",
        "dondoc/tracking/services.py",
        "_insert_once(extension.save, pending, refusal)",
        "extension.save()",
        T1 + "test_the_request_that_loses_the_race_gets_the_same_error_as_the_check",
    ),
    Revert(
        "extension_race",
        "dondoc/tracking/services.py",
        "_insert_once(extension.save, pending, refusal)",
        "extension.save()",
        T1 + "test_twenty_simultaneous_extension_requests_store_exactly_one",
        postgresql=True,
    ),
    Revert(
        "audit_cut_tail",
        "dondoc/audit/services.py",
        "or _check_anchor(anchor, last_seq, anchored_hash)",
        "or None",
        "tests/audit/test_anchors.py::test_cut_tail_with_the_head_moved_back_is_caught_by_the_anchor",
    ),
    Revert(
        "classification_below_document",
        "dondoc/tracking/services.py",
        "    if classification < floor:",
        "    if False:",
        "tests/tracking/test_classification.py",
    ),
    Revert(
        "csp",
        "dondoc/settings.py",
        '    "csp.middleware.CSPMiddleware",\n',
        "",
        "tests/core/test_errors.py::test_every_page_carries_a_content_security_policy_without_inline_script",
    ),
    Revert(
        "spreadsheet_formulas",
        "dondoc/core/xlsx.py",
        "return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)",
        "return False",
        "tests/tracking/test_export_formulas.py",
    ),
    Revert(
        "pdf_header_then_html",
        "dondoc/tracking/attachments.py",
        "return _pdf(cast(IO[bytes], file))",
        "return Content(PDF)",
        "tests/tracking/test_attachments.py",
    ),
    Revert(
        "day_zero_as_1970",
        "dondoc/api/schemas.py",
        "Day = Annotated[dt.date, BeforeValidator(_iso_day_only)]",
        "Day = dt.date",
        "tests/api/test_strict_dates.py",
    ),
    Revert(
        "review_paragraphs_control_characters",
        "dondoc/reviews/content.py",
        "        self.text = clean(self.text)\n",
        "        pass\n",
        "tests/reviews/test_control_characters.py::"
        "test_text_stored_before_the_fix_does_not_stop_the_review",
    ),
    Revert(
        "review_cells_control_characters",
        "dondoc/reviews/content.py",
        "    return clean(value) if isinstance(value, str) else value\n",
        "    return value\n",
        "tests/reviews/test_control_characters.py::"
        "test_text_stored_before_the_fix_does_not_stop_the_review",
    ),
    Revert(
        "duplicate_import_rows",
        "dondoc/tracking/xlsx.py",
        "    warnings = _duplicate_warnings(rows)\n",
        "    warnings: list[RowError] = []\n",
        "tests/tracking/test_write_path.py::"
        "test_repeated_rows_are_named_and_written_only_once_confirmed",
    ),
    Revert(
        "long_url_not_414",
        "dondoc/settings.py",
        '    "dondoc.core.urllimit.UrlLengthLimitMiddleware",\n',
        "",
        "tests/core/test_errors.py::test_url_longer_than_the_limit_is_refused_with_414",
    ),
    Revert(
        "english_404",
        "dondoc/urls.py",
        'handler404 = "dondoc.core.errors.page_not_found"\n',
        "",
        "tests/core/test_errors.py::test_unknown_page_is_a_vietnamese_404_with_the_site_around_it",
    ),
    Revert(
        "lockout_by_username_alone",
        "dondoc/settings.py",
        'AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]',
        'AXES_LOCKOUT_PARAMETERS = ["username"]',
        "tests/accounts/test_address_limit.py::"
        "test_failures_from_another_address_do_not_lock_the_user_out_of_their_own",
    ),
    Revert(
        "progress_not_last_report",
        "dondoc/tracking/services.py",
        "    # the last report stored.\n    _lock(task)\n",
        "    # the last report stored.\n",
        T1 + "test_simultaneous_reports_leave_the_task_at_the_last_stored_reports_percent",
        postgresql=True,
    ),
    Revert(
        "job_lost_to_a_restart",
        "dondoc/core/jobs.py",
        "retry_jitter=False,",
        "retry_jitter=True,",
        "tests/core/test_job_policy.py",
    ),
    Revert(
        "outage_logged_as_tracebacks",
        "dondoc/api/errors.py",
        "    if is_outage(exc):  # one line",
        "    if False:  # one line",
        "tests/core/test_dbdown.py::test_an_outage_is_logged_a_line_per_api_request_not_a_traceback",
        postgresql=True,
    ),
    Revert(
        "notice_lost_to_a_restart",
        "dondoc/tracking/events.py",
        "    except OperationalError as error:\n",
        "    except ZeroDivisionError as error:\n",
        "tests/urging/test_events.py::"
        "test_a_report_whose_notice_finds_the_database_gone_is_notified_by_the_retry_job",
    ),
    Revert(
        "notice_lost_to_a_killed_process_sweep",
        "dondoc/tracking/events.py",
        "    dispatched = sum(event_dispatch(pk) for pk in ids)\n",
        "    dispatched = 0\n",
        "tests/urging/test_event_outbox.py::"
        "test_a_report_whose_handler_never_ran_is_notified_by_the_sweep_once",
    ),
    Revert(
        "notice_twice_per_event",
        "dondoc/tracking/events.py",
        "EventOutbox.objects.filter(pk=row_id, dispatched_at__isnull=True).update(",
        "EventOutbox.objects.filter(pk=row_id).update(",
        "tests/urging/test_event_outbox.py::"
        "test_a_report_whose_handler_never_ran_is_notified_by_the_sweep_once",
    ),
    Revert(
        "escalation_refusal_depends_on_other_obstacles",
        "dondoc/tracking/services.py",
        "        raise TaskActionRefused(TaskAction.ANSWER_OBSTACLE, Code.NO_OPEN_OBSTACLE, "
        "obstacle.task)\n",
        "        check_task_action(actor, obstacle.task, TaskAction.ANSWER_OBSTACLE)\n"
        '        raise _fail(_("Vướng mắc đã được trả lời hoặc đã báo cáo lãnh đạo."), '
        '"cannot_escalate")\n',
        T1 + "test_escalating_an_obstacle_escalated_or_answered_already_is_refused_alike_"
        "whatever_else_waits",
    ),
    # Found by the races of tests/*/test_one_of.py (this branch), PostgreSQL:
    Revert(
        "round_open_race",
        "dondoc/programs/services.py",
        "    except IntegrityError as race:  # round_number_per_item, round_one_open_per_item\n"
        "        raise ItemActionRefused(ItemAction.OPEN_ROUND, Code.NOT_BEING_DRAFTED, item) "
        "from race\n",
        "    except IntegrityError:  # round_number_per_item, round_one_open_per_item\n"
        "        raise\n",
        P1 + "test_twenty_simultaneous_round_openings_open_one_round",
        postgresql=True,
    ),
    Revert(
        "invitation_answer_race",
        "dondoc/programs/services.py",
        "Invitation.objects.filter(pk=invitation.pk, answered_on__isnull=True)",
        "Invitation.objects.filter(round__item=item, round__closed_on__isnull=True, "
        "agency_id=agency_id, answered_on__isnull=True)",  # as before the fix: through the round
        P1 + "test_an_invitation_answered_twenty_times_at_once_keeps_one_opinion",
        postgresql=True,
    ),
    Revert(
        "year_derive_race",
        "dondoc/programs/services.py",
        "    WorkProgram.objects.select_for_update().filter(pk=term.pk).first()\n",
        "",
        P1 + "test_twenty_simultaneous_derivations_make_one_years_program",
        postgresql=True,
    ),
    Revert(
        "press_card_race",
        "dondoc/congress/services.py",
        "    except IntegrityError:\n        raise taken from None\n",
        "    except IntegrityError:\n        raise\n",
        C1 + "test_one_press_card_registered_twenty_times_at_once_is_registered_once",
        postgresql=True,
    ),
    Revert(
        "agenda_revision_race",
        "dondoc/congress/services.py",
        "    Congress.objects.select_for_update().filter(pk=congress.pk).first()\n",
        "",
        C1 + "test_agenda_revisions_made_at_once_are_numbered_once_each",
        postgresql=True,
    ),
    Revert(
        "board_kind_race",
        "dondoc/congress/services.py",
        "    except IntegrityError:\n        raise exists from None\n",
        "    except IntegrityError:\n        raise\n",
        C1 + "test_one_board_kind_created_twenty_times_at_once_is_created_once",
        postgresql=True,
    ),
    Revert(
        "delegation_code_race",
        "dondoc/congress/services.py",
        "    except IntegrityError:\n        raise code_taken from None\n",
        "    except IntegrityError:\n        raise\n",
        C1 + "test_one_delegation_code_created_twenty_times_at_once_is_created_once",
        postgresql=True,
    ),
]


def pytest(test: str) -> tuple[bool, str]:
    command = [sys.executable, "-m", "pytest", test, "-q", "-p", "no:randomly", "-x"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    tail = [line for line in done.stdout.splitlines() if line.strip()][-1:]
    return done.returncode == 0, tail[0] if tail else done.stderr[-200:]


def check(revert: Revert) -> dict[str, object]:
    path = ROOT / revert.path
    source = path.read_text()
    if source.count(revert.fixed) != 1:
        return {"name": revert.name, "error": "the fix's line is not found once"}
    passes_fixed, fixed_tail = pytest(revert.test)
    path.write_text(source.replace(revert.fixed, revert.reverted))
    try:
        passes_reverted, reverted_tail = pytest(revert.test)
    finally:
        subprocess.run(["git", "checkout", "--", revert.path], cwd=ROOT, check=True)
    return {
        "name": revert.name,
        "test": revert.test,
        "with the fix": fixed_tail,
        "fix reverted": reverted_tail,
        "shown": passes_fixed and not passes_reverted,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", nargs="*", default=[])
    options = parser.parse_args()
    on_postgresql = os.environ.get("DATABASE_URL", "").startswith("postgres")
    chosen = [r for r in REVERTS if not options.only or r.name in options.only]
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", *{r.path for r in chosen}],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    if dirty:
        sys.exit(f"uncommitted changes in files this reverts:\n{dirty}")
    for revert in chosen:
        if revert.postgresql and not on_postgresql:
            print(json.dumps({"name": revert.name, "skipped": "needs DATABASE_URL=postgres…"}))
            continue
        started = time.monotonic()
        result = check(revert)
        result["seconds"] = round(time.monotonic() - started)
        print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
