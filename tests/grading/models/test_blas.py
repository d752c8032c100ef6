"""numpy's BLAS kept to one thread, unless the user chose a thread count."""

from interview_prep.grading.models import blas


def test_a_thread_count_from_the_environment_is_left_alone(monkeypatch):
    monkeypatch.setattr(blas, "_done", False)
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "4")
    assert blas.limit_blas_threads() is False


def test_limiting_is_safe_to_repeat(monkeypatch):
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.delenv(name, raising=False)
    first = blas.limit_blas_threads()
    assert blas.limit_blas_threads() is first
