"""``yuegang build`` writes its outputs from worker processes (graph._workers): the same files
as one process writing them all, errors and warnings reach the caller, and no worker is left
behind."""

from __future__ import annotations

import multiprocessing
import os
import signal
import warnings

import pytest

from graph._workers import Worker, WorkerEnded
from graph.errors import NoticeError
from graph.pipeline import build_all


def _tree(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_workers_write_the_same_files_as_one_process(tmp_path, monkeypatch):
    monkeypatch.setenv("YUEGANG_FIGURE_CACHE", "0")  # both draw their figures
    monkeypatch.setenv("YUEGANG_WORKERS", "1")
    forked = build_all(None, tmp_path / "forked")
    monkeypatch.setenv("YUEGANG_WORKERS", "0")
    serial = build_all(None, tmp_path / "serial")
    a, b = _tree(tmp_path / "forked"), _tree(tmp_path / "serial")
    assert sorted(a) == sorted(b)
    assert [k for k in a if a[k] != b[k]] == []
    assert [(k, p.relative_to(forked.out)) for k, p in forked.files.items()] == [
        (k, p.relative_to(serial.out)) for k, p in serial.files.items()
    ]
    assert (forked.triples, forked.items, forked.conforms, forked.report) == (
        serial.triples,
        serial.items,
        serial.conforms,
        serial.report,
    )
    assert multiprocessing.active_children() == []


def test_a_bad_notice_stops_the_build_and_its_workers(tmp_path, monkeypatch):
    monkeypatch.setenv("YUEGANG_WORKERS", "1")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"%PDF-1.7\n\x00\x01binary")
    with pytest.raises(NoticeError):
        build_all([bad], tmp_path / "out")
    assert multiprocessing.active_children() == []


def _fail(message: str) -> None:
    raise ValueError(message)


def _warn_and_return(value: int) -> int:
    warnings.warn("careful", UserWarning, stacklevel=1)
    return value


def _kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _broken_warm() -> None:
    raise ImportError("no such library")


@pytest.mark.parametrize("fork", [True, False])
def test_an_exception_in_the_call_is_raised_in_the_caller(fork):
    worker = Worker(None, fork=fork)
    worker.submit(_fail, "bad value")
    with pytest.raises(ValueError, match="bad value"):
        worker.result()


@pytest.mark.parametrize("fork", [True, False])
def test_warnings_in_the_call_reach_the_caller(fork):
    worker = Worker(None, fork=fork)
    worker.submit(_warn_and_return, 7)
    with pytest.warns(UserWarning, match="careful"):
        assert worker.result() == 7


def test_a_failed_warm_up_is_reported_with_the_call():
    worker = Worker(_broken_warm, fork=True)
    worker.submit(divmod, 7, 2)
    with pytest.raises(ImportError, match="no such library"):
        worker.result()


def test_a_worker_that_dies_is_an_error_not_a_hang():
    worker = Worker(None, fork=True)
    worker.submit(_kill_self)
    with pytest.raises(WorkerEnded, match="exit code -9"):
        worker.result()
    assert multiprocessing.active_children() == []


def _notice_error() -> None:
    raise NoticeError("bracket never closes", source="a.txt", line=12)


def test_an_error_from_a_worker_reads_as_it_was_raised():
    worker = Worker(None, fork=True)
    worker.submit(_notice_error)
    with pytest.raises(NoticeError) as caught:
        worker.result()
    assert str(caught.value) == "a.txt:12: bracket never closes"
    assert (caught.value.source, caught.value.line) == ("a.txt", 12)


class _Awkward(Exception):
    def __init__(self, *, detail: str) -> None:
        super().__init__(f"awkward: {detail}")


def _awkward() -> None:
    raise _Awkward(detail="keyword-only")


def test_an_error_that_does_not_pickle_arrives_as_its_traceback():
    worker = Worker(None, fork=True)
    worker.submit(_awkward)
    with pytest.raises(RuntimeError, match="awkward: keyword-only"):
        worker.result()
