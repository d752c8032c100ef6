"""Reading a recorded answer from a form upload, within the size limit, and grading it.

The size limit is checked on the declared length before the body is read, and again on the bytes
received, so a 20-minute file is refused without being stored or decoded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request

from ..errors import InvalidInputError
from ..settings import Config
from ..storage import repository

# A form adds a few hundred bytes of boundaries and field names around the file.
_FORM_OVERHEAD = 64 * 1024


def _check_declared_size(request: Request, config: Config) -> None:
    from ..speech.service import check_size

    declared = request.headers.get("content-length")
    if declared and declared.isdigit():
        check_size(max(0, int(declared) - _FORM_OVERHEAD), config)


@dataclass(frozen=True)
class AudioUpload:
    """A multipart form's text fields, and its ``audio`` file's bytes and declared type."""

    fields: dict[str, str]
    data: bytes
    content_type: str


async def read_audio_upload(request: Request, config: Config) -> AudioUpload:
    """Read a multipart form with an ``audio`` file, within the size limit.

    Raises:
        AudioTooLongError: the body or the file is over ``max_audio_mb``.
        InvalidInputError: no ``audio`` file in the form.
    """
    from ..speech.service import check_size

    _check_declared_size(request, config)
    form = await request.form(max_files=1, max_fields=10)
    try:
        upload = form.get("audio")
        if not isinstance(upload, UploadFile):
            raise InvalidInputError("the form has no recording: send the file in the field 'audio'")
        data = await upload.read()
        check_size(len(data), config)
        fields = {key: value for key, value in form.items() if isinstance(value, str)}
        content_type = upload.content_type or "application/octet-stream"
    finally:
        await form.close()
    return AudioUpload(fields, data, content_type)


async def read_audio_form(request: Request, config: Config) -> tuple[dict[str, str], bytes]:
    """The text fields and the ``audio`` file's bytes of a multipart form (see
    :func:`read_audio_upload`)."""
    upload = await read_audio_upload(request, config)
    return upload.fields, upload.data


async def grade_uploaded_audio(request: Request, config: Config) -> dict[str, Any]:
    """Transcribe and grade the recording of ``POST /api/grade`` (a multipart form)."""
    from ..speech.service import grade_spoken, transcribe_answer

    fields, data = await read_audio_form(request, config)
    question_id = fields.get("question_id", "").strip()
    if not question_id:
        raise InvalidInputError("field 'question_id': Field required.")

    def work() -> dict[str, Any]:
        # The question is read here too, off the event loop, like the transcription.
        record = repository.get_question(request.app.state.db, question_id, bank=fields.get("bank"))
        transcript = transcribe_answer(record.question, data, config=config)
        graded = grade_spoken(record.question, transcript, config=config).to_dict()
        return {"bank": record.bank_id, "question_id": record.question.id, **graded}

    result: dict[str, Any] = await run_in_threadpool(work)
    return result
