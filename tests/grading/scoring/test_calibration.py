import json

import numpy as np
import pytest

from interview_prep.errors import ConfigurationError
from interview_prep.grading.scoring.calibration import (
    CalibrationModel,
    fit,
    load_calibration,
    save_calibration,
)
from interview_prep.grading.scoring.features import feature_names


def test_fit_learns_a_monotonic_mapping_inside_0_to_5():
    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, size=(400, 2))
    y = np.clip(5 * x[:, 0] + rng.normal(0, 0.3, 400), 0, 5)
    model = fit(x, y, ("signal", "noise"), l2=1.0)
    low, high = model.predict(np.array([[0.05, 0.5], [0.95, 0.5]]))
    assert 0 <= low < 1.5 and 3.5 < high <= 5
    assert abs(model.weights[0]) > 5 * abs(model.weights[1])


def test_fit_rejects_mismatched_shapes():
    with pytest.raises(ValueError):
        fit(np.zeros((3, 2)), np.zeros(3), ("only-one",))


def test_models_round_trip_through_the_text_file(tmp_path):
    model = fit(np.array([[0.0], [1.0], [2.0]]), np.array([0.0, 2.5, 5.0]), ("x",))
    path = tmp_path / "calibration.json"
    save_calibration({"m": model}, path, command="test")
    loaded = load_calibration(str(path))["m"]
    assert loaded.predict_one(np.array([1.0])) == pytest.approx(model.predict_one(np.array([1.0])))
    assert json.loads(path.read_text())["command"] == "test"


def test_a_broken_file_is_a_configuration_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{")
    with pytest.raises(ConfigurationError):
        load_calibration(str(path))


def test_the_shipped_models_match_the_feature_sets():
    models = load_calibration()
    for name in ("embedding", "lexical"):
        assert isinstance(models[name], CalibrationModel)
        assert models[name].features == feature_names(name)
