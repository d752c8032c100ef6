import numpy as np
import pytest

from interview_prep.errors import ConfigurationError
from interview_prep.grading.models import embedders
from interview_prep.grading.models.embedders import (
    MODEL_PATH_ENV,
    ModelUnavailableError,
    OnnxMiniLMEmbedder,
    get_embedder,
)


def test_the_real_model_embeds_unit_vectors_that_mean_something():
    model = get_embedder()
    vectors = model.embed(
        ["The cat sat on the mat.", "A cat was sitting on a rug.", "Gradient descent diverged."]
    )
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-4)
    assert vectors[0] @ vectors[1] > 0.6 > vectors[0] @ vectors[2]
    assert model.embed([]).shape == (0, 384)


def test_a_file_with_the_wrong_checksum_is_refused(tmp_path, monkeypatch):
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not a model")
    monkeypatch.setenv(MODEL_PATH_ENV, str(fake))
    with pytest.raises(ModelUnavailableError, match="sha256"):
        OnnxMiniLMEmbedder().load()


def test_a_missing_package_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, embedders.MODEL_PACKAGE, None)
    with pytest.raises(ModelUnavailableError, match="not installed"):
        OnnxMiniLMEmbedder().load()


def test_registered_embedders_are_shared_and_unknown_names_fail(fake_embedder):
    assert get_embedder("fake-hashing") is fake_embedder
    assert "fake-hashing" in embedders.embedder_names()
    with pytest.raises(ConfigurationError, match="unknown embedder"):
        get_embedder("nope")
