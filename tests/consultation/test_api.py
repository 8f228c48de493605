"""The consultation API: the same rules as the pages, answered in JSON."""

from dondoc.consultation.models import Comment, Theme

from .conftest import section
from .test_flow import COMPENSATION, _comments, synthesize


def test_a_focal_point_comments_through_the_api_and_a_closed_state_answers_409(
    api, draft, open_round, lead_focal, office_user
):
    article = section(draft, "Điều 2")
    client = api(lead_focal)
    created = client.post(f"consultation/drafts/{draft.pk}/comments",
                          {"stance": "partial", "text": COMPENSATION, "section": article.pk})  # fmt: skip
    assert created.status_code == 201
    assert Comment.objects.get().chosen_section == article
    refused = client.post(f"consultation/drafts/{draft.pk}/comments", {"stance": "disagree"})
    assert refused.status_code == 400
    assert refused.json()["code"] == "text_required"
    answer = api(office_user).post(f"consultation/themes/{Theme.objects.create(draft=draft, label='x').pk}/response",
                                   {"kind": "explained", "explanation": "Giữ như dự thảo."})  # fmt: skip
    assert answer.status_code == 200
    assert api(lead_focal).get(f"consultation/drafts/{draft.pk}/synthesis").status_code == 403


def test_the_synthesis_answers_counts_and_themes_without_identities(
    api, draft, open_round, lead_focal, office_user, leader
):
    _comments(draft, open_round, lead_focal)
    synthesize(office_user, draft)
    body = api(leader).get(f"consultation/drafts/{draft.pk}/synthesis").json()
    article = next(entry for entry in body if entry["title"].startswith("Điều 2"))
    assert (article["comments"], article["distinct"]) == (13, 1)
    assert article["themes"][0]["comments"] == 13
    assert "full_name" not in str(body)
    listed = api(leader).get("consultation/drafts").json()
    assert listed == [{"id": draft.pk, "title": draft.title, "version": 1, "sections": 6}]
