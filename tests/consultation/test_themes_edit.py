"""The office renames, merges and splits themes; each change audited, counts kept true."""

import pytest
from django.core.exceptions import ValidationError

from dondoc.audit.models import AuditEntry
from dondoc.consultation import services
from dondoc.consultation.access import DraftActionRefused
from dondoc.consultation.models import Comment, Stance, Theme

from .conftest import section, web


@pytest.fixture
def themes(office_user, draft, open_round):
    """Two themes of Điều 2 as a synthesis would leave them: three comments (one with a
    campaign copy) and one comment."""
    article = section(draft, "Điều 2")
    rows = [("partial", f"Ý kiến số {n} về giá bồi thường", "citizen", "web", article.pk)
            for n in range(5)]  # fmt: skip
    services._comments_import(open_round, rows)
    first, second, third, copy, other = Comment.objects.order_by("pk")
    Comment.objects.filter(pk=copy.pk).update(campaign=first)
    Comment.objects.filter(pk=first.pk).update(campaign_size=2)
    Comment.objects.filter(pk=third.pk).update(stance=Stance.DISAGREE)
    big = Theme.objects.create(draft=draft, section=article, label="giá bồi thường",
                               representative=first)  # fmt: skip
    small = Theme.objects.create(draft=draft, section=article, label="tái định cư")
    Comment.objects.filter(pk__in=[first.pk, second.pk, third.pk, copy.pk]).update(theme=big)
    Comment.objects.filter(pk=other.pk).update(theme=small)
    return big, small, [first, second, third, copy, other]


def test_the_office_renames_a_theme_and_it_is_audited(office_user, leader, themes):
    big, _small, _ = themes
    answer = web(office_user).post(f"/consultation/themes/{big.pk}/",
                                   {"action": "rename", "label": "Giá đất bồi thường"})  # fmt: skip
    assert answer.status_code == 302
    big.refresh_from_db()
    assert big.label == "Giá đất bồi thường"
    entry = AuditEntry.objects.get(action="theme_rename")
    assert entry.changes["label"] == ["giá bồi thường", "Giá đất bồi thường"]
    with pytest.raises(DraftActionRefused):
        services.theme_rename(leader, big, "x")
    assert web(leader).get(f"/consultation/themes/{big.pk}/").status_code in (403, 404)


def test_merging_moves_every_comment_and_recounts(office_user, themes):
    big, small, _comments = themes
    web(office_user).post(f"/consultation/themes/{small.pk}/", {"action": "merge", "into": big.pk})
    assert not Theme.objects.filter(pk=small.pk).exists()
    big.refresh_from_db()
    assert (big.size, big.weighted_size, big.partial, big.disagree) == (4, 5, 3, 1)
    assert Comment.objects.filter(theme=big).count() == 5
    assert AuditEntry.objects.get(action="theme_merge").changes["label_merged"] == [
        "tái định cư", None]  # fmt: skip


def test_an_answered_theme_is_not_merged_away(office_user, themes):
    big, small, _ = themes
    services.theme_respond(office_user, small, "accepted", "Đã bổ sung khoản 3.")
    with pytest.raises(ValidationError) as refused:
        services.theme_merge(office_user, small, big)
    assert "đã có tiếp thu" in str(refused.value)
    assert Theme.objects.filter(pk=small.pk).exists()


def test_splitting_moves_the_chosen_comments_and_their_copies(office_user, themes):
    big, _small, (first, second, third, copy, _other) = themes
    page = web(office_user).get(f"/consultation/themes/{big.pk}/").content.decode()
    assert "Ý kiến số 0" in page
    web(office_user).post(f"/consultation/themes/{big.pk}/",
                          {"action": "split", "label": "Bồi thường cho người thuê đất",
                           "comments": [str(first.pk)]})  # fmt: skip
    created = Theme.objects.get(label="Bồi thường cho người thuê đất")
    assert set(Comment.objects.filter(theme=created).values_list("pk", flat=True)) == {
        first.pk, copy.pk}  # fmt: skip
    big.refresh_from_db()
    created.refresh_from_db()
    assert (created.size, created.weighted_size, created.representative_id) == (1, 2, first.pk)
    assert (big.size, big.weighted_size, big.representative_id) == (2, 2, second.pk)
    assert AuditEntry.objects.filter(action="theme_split").count() == 1
    with pytest.raises(ValidationError):  # splitting off every comment is no split
        services.theme_split(office_user, big, [second.pk, third.pk], "tất cả")
