"""On a generated history (see dondoc/demo), the model against the baselines, and scoring."""

import datetime as dt

import pytest

from dondoc.accounts.models import User
from dondoc.demo.load import demo_load
from dondoc.forecast.features import History
from dondoc.forecast.model import backtest
from dondoc.forecast.models import ForecastModel, Prediction
from dondoc.forecast.selectors import tasks_at_risk
from dondoc.forecast.services import forecast_retrain
from dondoc.tracking.access import tasks_visible_to
from dondoc.tracking.models import Task

TODAY = dt.date(2026, 11, 1)


@pytest.fixture
def history_db(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    demo_load(tasks=600, seed=1, today=TODAY)


@pytest.mark.usefixtures("history_db")
def test_model_beats_the_agency_baseline_in_the_backtest():
    result = backtest(History.load(TODAY), TODAY - dt.timedelta(days=120), ("boosting",))
    model, agency = (result.score(n) for n in ("boosting", "agency_late_rate"))
    assert result.n_test > 50
    assert model.auc > agency.auc + 0.1
    assert model.auc > 0.8
    # Not asserted: beating the "progress behind schedule" rule. On 600 generated tasks it
    # wins on some seeds and loses on others (docs/forecast.md); on 3,000 it wins.


@pytest.mark.usefixtures("history_db")
def test_train_and_score_write_predictions_for_open_tasks_only():
    record, scored = forecast_retrain(TODAY)
    assert ForecastModel.objects.get() == record
    assert record.n_samples > 0
    assert "backtest" in record.metrics
    predictions = list(Prediction.objects.select_related("task"))
    assert len(predictions) == scored > 0
    for p in predictions:
        task = p.task
        assert task.created_on <= TODAY
        assert task.reported_done_on is None or task.reported_done_on > TODAY
        assert task.cancelled_on is None or task.cancelled_on > TODAY
        assert (task.extended_due_on or task.due_on) >= TODAY
        assert 0 <= p.probability <= 1
        assert len(p.reasons) <= 3
    texts = [r for p in predictions for r in p.reasons]
    assert any("chậm" in r or "chưa báo cáo" in r or "còn chờ" in r for r in texts)
    # scoring again replaces, not adds
    _, again = forecast_retrain(TODAY)
    assert Prediction.objects.count() == again


@pytest.mark.usefixtures("history_db")
def test_tasks_at_risk_respects_the_scoped_queryset(django_assert_max_num_queries):
    forecast_retrain(TODAY)
    focal = User.objects.get(username="daumoi.btctw")
    scoped = tasks_visible_to(focal)
    with django_assert_max_num_queries(1):
        at_risk = tasks_at_risk(scoped, limit=500)
    visible = set(scoped.values_list("pk", flat=True))
    assert at_risk
    assert {a.task.pk for a in at_risk} <= visible
    assert len({a.task.pk for a in at_risk}) < Prediction.objects.count()
    probabilities = [a.probability for a in at_risk]
    assert probabilities == sorted(probabilities, reverse=True)
    everything = tasks_at_risk(Task.objects.all(), limit=5)
    assert len(everything) == 5
    assert everything[0].probability == Prediction.objects.order_by("-probability")[0].probability
