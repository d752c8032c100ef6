"""What the recording fragments show: progress, the timed transcript with its fillers, hedges and
long pauses marked, the grade with its covered passages, and the delivery metrics beside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup, escape

from ...domain import Question
from ...practice.feedback import read_feedback
from ...speech.delivery import answer_kind, measure_delivery
from ...speech.recordings import RecordingStatus, StoredRecording
from ...speech.transcript import Transcript
from ..practice.views import highlighted_answer


def recording_url(recording: StoredRecording | str) -> str:
    recording_id = recording if isinstance(recording, str) else recording.id
    return f"/recordings/{recording_id}"


def _clock(seconds: float) -> str:
    minutes, rest = divmod(max(0.0, seconds), 60)
    return f"{int(minutes)}:{rest:04.1f}"


def marked_transcript(transcript: Transcript, delivery: dict[str, Any]) -> Markup:
    """The transcript word by word, each with its time; fillers and hedges in ``<mark>``, and a
    marker where a long pause fell."""
    fillers = {
        index: mark["phrase"]
        for mark in delivery.get("fillers", ())
        for index in range(mark["first"], mark["last"] + 1)
    }
    hedges = {
        index: mark["phrase"]
        for mark in delivery.get("hedges", ())
        for index in range(mark["first"], mark["last"] + 1)
    }
    pauses = {pause["after"]: pause["seconds"] for pause in delivery.get("pauses", ())}
    html = Markup()
    for index, word in enumerate(transcript.words):
        when = f"{_clock(word.start)}–{_clock(word.end)}"
        text = escape(word.text)
        marked = ("filler", fillers[index]) if index in fillers else None
        if marked is None and index in hedges:
            marked = ("hedge", hedges[index])
        if marked is not None:
            html += Markup(
                '<mark class="word {0}" data-start="{1:.2f}" title="{2}: {0} “{3}”">{4}</mark>'
            ).format(marked[0], word.start, when, marked[1], text)
        else:
            html += Markup('<span class="word" data-start="{0:.2f}" title="{1}">{2}</span>').format(
                word.start, when, text
            )
        if index in pauses:
            html += Markup(
                ' <span class="pause" title="Pause of {0:.1f} s">pause {0:.1f} s</span>'
            ).format(pauses[index])
        html += " "
    return html


@dataclass(frozen=True)
class MetricView:
    name: str
    value: str
    verdict: str
    range_text: str
    source: str


def _value_text(metric: dict[str, Any]) -> str:
    unit = metric["range"]["unit"]
    value = float(metric["value"])
    if unit == "seconds":
        return f"{value:.0f} s"
    if metric["name"] == "long pauses":
        return f"{value:.0f}"
    return f"{value:.0f}" if metric["name"] == "pace" else f"{value:.1f}"


def metric_views(delivery: dict[str, Any]) -> list[MetricView]:
    """Each delivery metric as shown: its value, verdict, the recommended range and its source."""
    views = []
    for metric in delivery.get("metrics", ()):
        low, high, unit = metric["range"]["low"], metric["range"]["high"], metric["range"]["unit"]
        range_text = f"{low:g}–{high:g} {unit}" if low != high else f"{high:g} {unit}"
        if low == 0 and high > 0:
            range_text = f"up to {high:g} {unit}"
        views.append(
            MetricView(
                name=str(metric["name"]).capitalize(),
                value=_value_text(metric),
                verdict=str(metric["verdict"]),
                range_text=range_text,
                source=str(metric["range"]["source"]),
            )
        )
    return views


def delivery_of(question: Question, transcript: Transcript) -> dict[str, Any]:
    """The delivery metrics of ``transcript`` as an answer to ``question``."""
    return measure_delivery(transcript, answer_kind(question)).to_dict()


def recording_view(
    recording: StoredRecording, question: Question, *, now: datetime, abandoned: bool
) -> dict[str, Any]:
    """The context of the recording fragment at whatever stage the recording is."""
    context: dict[str, Any] = {
        "recording": recording,
        "url": recording_url(recording),
        "question": question,
        "working": recording.status.is_working and not abandoned,
        "abandoned": abandoned,
        "percent": round(recording.progress * 100),
        "failed": recording.status is RecordingStatus.FAILED,
        "in_session": recording.session_id is not None,
    }
    transcript = recording.transcript
    if recording.status is RecordingStatus.TRANSCRIBED and transcript is not None:
        delivery = recording.delivery or delivery_of(question, transcript)
        context.update(
            transcript=transcript,
            transcript_html=marked_transcript(transcript, delivery),
            delivery=delivery,
            metrics=metric_views(delivery),
            coaching=delivery.get("coaching", ()),
            duration_text=_clock(transcript.duration),
            real_time_factor=transcript.real_time_factor,
        )
    if recording.grade is not None and transcript is not None:
        feedback = read_feedback(recording.grade)
        context.update(
            feedback=feedback,
            score_text="–" if feedback.score is None else f"{feedback.score:.1f}",
            graded_html=highlighted_answer(transcript.text, feedback),
        )
    return context


def delivery_panel(recording: StoredRecording | None) -> dict[str, Any] | None:
    """What the practice feedback page shows beside the grade of a spoken answer."""
    if recording is None or recording.delivery is None or recording.transcript is None:
        return None
    return {
        "recording": recording,
        "url": recording_url(recording),
        "transcript_html": marked_transcript(recording.transcript, recording.delivery),
        "metrics": metric_views(recording.delivery),
        "coaching": recording.delivery.get("coaching", ()),
    }
