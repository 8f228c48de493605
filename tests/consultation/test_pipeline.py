from dondoc.consultation import pipeline

BASE = "Đề nghị bổ sung quy định về bồi thường khi thu hồi đất theo giá thị trường cho người dân"


def test_campaign_copies_reworded_reordered_and_typod_are_folded_and_different_comments_not():
    texts = [
        BASE,
        BASE.upper(),  # exact after normalization
        "Tôi thấy " + BASE.replace("người dân", "nhân dân"),
        BASE.replace("bồi thường", "bồi thươngg"),
        "Cần công khai quy hoạch sử dụng đất và lấy ý kiến nhân dân trước khi phê duyệt",
        "ok",
        "ok",
    ]
    campaign = pipeline.campaigns([pipeline.normalize(t) for t in texts])
    assert campaign == [0, 0, 0, 0, 4, 5, 5]


def test_an_explicit_reference_wins_over_text_similarity():
    keys = {"điều 1": 10, "điều 2": 20, "chương i": 5}
    texts = {10: "Phạm vi điều chỉnh của luật", 20: "Bồi thường khi thu hồi đất"}
    assigner = pipeline.SectionAssigner(texts, keys=keys)
    found = assigner.assign(
        [
            pipeline.normalize("Chương I, Điều 1: nên nói rõ bồi thường thu hồi đất"),
            pipeline.normalize("mức bồi thường khi thu hồi đất còn thấp"),
        ]
    )
    assert found == [10, 20]


def test_commenters_choices_teach_where_unplaced_comments_go():
    labelled = [("giá đất bồi thường thấp quá", 2)] * 5 + [("quy hoạch treo nhiều năm", 3)] * 5
    assigner = pipeline.SectionAssigner({2: "Bồi thường", 3: "Quy hoạch"}, labelled)
    assert assigner.assign(["bồi thường giá đất", "dự án quy hoạch treo"]) == [2, 3]


def test_small_themes_and_outliers_are_kept_apart_and_labelled_with_whole_syllables():
    texts = (
        ["giá đất bồi thường quá thấp so với thị trường"] * 3
        + [f"giá đất bồi thường thấp, đề nghị tăng mức {i}" for i in range(20)]
        + [f"quy hoạch treo kéo dài nhiều năm ở xã {i}" for i in range(20)]
        + ["cần thêm quy định về đất tôn giáo tín ngưỡng"]
    )
    found = pipeline.themes([pipeline.normalize(t) for t in texts], k=3)
    members = [set(t.members) for t in found]
    assert sum(len(m) for m in members) == len(texts)
    planning = next(t for t in found if 25 in t.members)
    assert set(range(23, 43)) <= set(planning.members)
    assert "quy hoạch" in planning.label or "hoạch treo" in planning.label
    syllables = {w for t in texts for w in pipeline.normalize(t).split()}
    assert set(pipeline.normalize(planning.label).split()) <= syllables  # no broken words
    assert texts[planning.representative].startswith("quy hoạch")


def test_synthesize_assigns_copies_to_their_representatives_section():
    result = pipeline.synthesize(
        [BASE, BASE + "!", "Điều 3 cần lấy ý kiến nhân dân rộng rãi hơn"],
        [2, None, None],
        {2: "Bồi thường", 3: "Lấy ý kiến"},
        keys={"điều 3": 3},
    )
    assert result.campaign == [0, 0, 2]
    assert result.section == [2, 2, 3]
    assert set(result.themes) == {2, 3}


def test_the_other_theme_takes_no_later_comment(monkeypatch):
    """Its members are close to no theme: a later comment like one of them stays new (in no
    theme) rather than joining "Ý kiến khác", while a comment on a real theme joins it."""
    texts = [f"giá đất bồi thường thấp, đề nghị tăng mức {i}" for i in range(20)] + [
        "cần thêm quy định về đất tôn giáo tín ngưỡng",
        "thủ tục cấp sổ đỏ còn rườm rà mất nhiều thời gian",
        "nên công khai bản đồ quy hoạch trên mạng",
    ]
    monkeypatch.setattr(pipeline, "OUTLIER_SIMILARITY", 0.6)  # the odd ones out
    found = pipeline.themes([pipeline.normalize(t) for t in texts], k=2)
    other = next(t for t in found if not t.label)
    assert {20, 21} <= set(other.members)
    assert other.terms == {}
    profiles = {i: t.terms for i, t in enumerate(found)}
    later = ["thủ tục cấp sổ đỏ rườm rà", "giá đất bồi thường thấp, đề nghị tăng mức"]
    near = pipeline.nearest_theme([pipeline.normalize(t) for t in later], profiles)
    assert near[0] is None
    assert near[1] is not None
    assert found[near[1]].label
