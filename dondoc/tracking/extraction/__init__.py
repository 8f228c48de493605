"""Assisted entry: paste a conclusion or notice, get the tasks it assigns; nothing is saved.

    matcher = AgencyMatcher.from_database()          # once; it holds every agency's spellings
    for task in extract_tasks(text, issued_on, matcher):
        task.lead, task.coordinating, task.deadline, task.title

The text is cut into list entries and sentences (`segments`), each sentence into clauses at
semicolons; a clause that names a lead becomes a proposal, the clauses after it without one
add to it ("...; xong trong tháng 3/2026"). The lead is the agency named after "Giao", "Đề
nghị", "Yêu cầu" (also after "Bộ Chính trị giao"), the one before "chủ trì", or the subject
that opens the sentence ("Văn phòng Trung ương Đảng theo dõi ..."); agencies named with it
("Thành ủy Hà Nội, Thành ủy TP. Hồ Chí Minh tổng kết ...") and those after "phối hợp (với)",
"với sự phối hợp của" or before "phối hợp" coordinate. Agencies that receive a report or a
submission ("báo cáo Bộ Chính trị") are neither. A header ending with ":" that names a lead
gives it to the list entries below it that name none. Deadlines: `deadlines`; agency names:
`agencies`; the rules, the corpus and measured precision and recall: docs/extraction.md.
"""

from dondoc.tracking.extraction.agencies import GROUPS, AgencyMatcher, AgencyRef
from dondoc.tracking.extraction.deadlines import Deadline
from dondoc.tracking.extraction.tasks import ProposedTask, extract_tasks

__all__ = ["GROUPS", "AgencyMatcher", "AgencyRef", "Deadline", "ProposedTask", "extract_tasks"]
