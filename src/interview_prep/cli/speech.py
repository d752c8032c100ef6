"""Spoken answers on the command line: ``grade ID --audio FILE`` and ``practice --voice``.

The transcript is printed with its fillers and long pauses marked, then the same grade as for a
typed answer, then the delivery metrics with the range each is judged against.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from rich.markup import escape
from rich.table import Table

from ..errors import InvalidInputError
from .context import console, err_console

if TYPE_CHECKING:
    from ..domain import Question
    from ..settings import Config
    from ..speech.delivery import DeliveryReport
    from ..speech.service import SpokenGrade
    from ..speech.transcript import Transcript

_VERDICT_STYLE = {"ok": "green", "low": "yellow", "high": "red"}


def transcribe_file(question: Question, path: Path, config: Config) -> Transcript:
    """Transcribe ``path``, showing progress on standard error."""
    from ..speech.service import transcribe_answer

    if not path.is_file():
        raise InvalidInputError(f"no audio file at {path}")
    with err_console.status("Transcribing (the speech model loads on first use)…") as status:
        return transcribe_answer(
            question,
            path,
            config=config,
            progress=lambda share: status.update(f"Transcribing… {share:.0%}"),
        )


def grade_audio(question: Question, path: Path, config: Config) -> SpokenGrade:
    """Transcribe and grade a recorded answer to ``question``."""
    from ..speech.service import grade_spoken

    return grade_spoken(question, transcribe_file(question, path, config), config=config)


def marked_transcript(transcript: Transcript, delivery: DeliveryReport) -> str:
    """The transcript as rich markup: fillers underlined in yellow, hedges in cyan, pauses shown."""
    style: dict[int, str] = {}
    for mark in delivery.fillers:
        for index in range(mark.first, mark.last + 1):
            style[index] = "yellow underline"
    for mark in delivery.hedges:
        for index in range(mark.first, mark.last + 1):
            style.setdefault(index, "cyan")
    pauses = {pause.after: pause.seconds for pause in delivery.pauses}
    parts: list[str] = []
    for index, word in enumerate(transcript.words):
        text = escape(word.text)
        parts.append(f"[{style[index]}]{text}[/]" if index in style else text)
        if index in pauses:
            parts.append(f"[red]⏸ {pauses[index]:.1f} s[/]")
    return " ".join(parts)


def show_delivery(spoken: SpokenGrade) -> None:
    """The transcript with its marks, and the delivery metrics with their ranges."""
    console.print("[bold]Transcript[/] [dim](fillers underlined, hedges in cyan)[/]")
    console.print(marked_transcript(spoken.transcript, spoken.delivery))
    table = Table(title="Delivery (not part of the score)", title_justify="left")
    table.add_column("Metric")
    table.add_column("Value")
    table.add_column("Coaches recommend")
    for metric in spoken.delivery.metrics:
        colour = _VERDICT_STYLE[metric.verdict]
        wanted = f"{metric.range.low:g}–{metric.range.high:g} {metric.range.unit}"
        table.add_row(metric.name, f"[{colour}]{metric.value:.1f}[/]", escape(wanted))
    console.print(table)
    for tip in spoken.delivery.coaching():
        console.print(f"• {escape(tip)}")
    sources = {metric.range.source for metric in spoken.delivery.metrics}
    console.print("[dim]Sources: " + escape(" · ".join(sorted(sources))) + "[/]")


def microphone_recorder() -> list[str]:
    """The command that records from the default microphone, or a clear error when none exists.

    Raises:
        InvalidInputError: no recording program, or no capture device.
    """
    arecord = shutil.which("arecord")
    if arecord is None:
        raise InvalidInputError(
            "no microphone recorder found: install alsa-utils (arecord), "
            "or record elsewhere and run `interview-prep grade ID --audio FILE`"
        )
    listing = subprocess.run([arecord, "-l"], capture_output=True, text=True, check=False)
    if "card" not in listing.stdout:
        raise InvalidInputError(
            "no microphone found on this machine: connect one, or record elsewhere and run "
            "`interview-prep grade ID --audio FILE`"
        )
    return [arecord, "-q", "-f", "S16_LE", "-r", "16000", "-c", "1"]


def record_answer(max_seconds: int) -> Path:
    """Record from the microphone until Enter is pressed (or ``max_seconds``); the WAV's path."""
    command = microphone_recorder()
    folder = Path(tempfile.mkdtemp(prefix="interview-prep-"))
    target = folder / "answer.wav"
    process = subprocess.Popen([*command, "-d", str(max_seconds), str(target)])
    try:
        console.print("[bold]Recording…[/] press Enter to stop.")
        input()
    finally:
        process.terminate()
        process.wait(timeout=5)
    if not target.is_file() or target.stat().st_size <= 44:
        raise InvalidInputError("nothing was recorded: check the microphone and its volume")
    return target


def spoken_answer_reader(
    config: Config, stream: TextIO, time_limit: int | None
) -> Callable[[Question], str | None]:
    """For ``practice --voice``: record, transcribe, show, and let the candidate correct."""
    from ..speech.delivery import answer_kind, measure_delivery

    max_seconds = min(int(config.max_audio_seconds), time_limit or int(config.max_audio_seconds))

    def speak(question: Question) -> str | None:
        path = record_answer(max_seconds)
        try:
            transcript = transcribe_file(question, path, config)
        finally:
            if not config.keep_audio:
                path.unlink(missing_ok=True)
        delivery = measure_delivery(transcript, answer_kind(question))
        console.print(marked_transcript(transcript, delivery))
        console.print("Press Enter to keep this transcript, or type the corrected answer:")
        line = stream.readline()
        if not line:
            return None
        corrected = line.strip()
        return corrected or transcript.text

    return speak
