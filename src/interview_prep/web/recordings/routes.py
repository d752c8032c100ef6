"""The recording routes: upload, follow the transcription, correct and grade, play, delete.

The upload stores the recording and queues its transcription before it answers, so the page
gets its status fragment at once and polls it (htmx) while a worker thread transcribes. Every
route is the visitor's own: another user's recording is "not found". Errors come back as a
fragment with the error's status, which ``recorder.js`` lets htmx show in place.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, JSONResponse, Response

from ...accounts.permissions import Action
from ...errors import InterviewPrepError, InvalidInputError
from ...input_policy import clean_text
from ...practice.attempts import AnswerSource, Attempt, QuestionRef, new_id
from ...speech.audio import AudioError
from ...speech.background import is_abandoned, transcribe_recording
from ...speech.recordings import (
    AUDIO_TYPES,
    NewRecording,
    RecordingStatus,
    StoredRecording,
    base_mime_type,
)
from ...storage import repository
from ...storage.recordings import DatabaseRecordingStore
from ..auth import actor_of, requires
from ..practice import sessions
from ..practice.context import PracticeContext
from ..practice.sessions import session_url
from ..speech_upload import AudioUpload, read_audio_upload
from ..templating import render
from .views import delivery_of, recording_view

router = APIRouter(include_in_schema=False, dependencies=[Depends(requires(Action.PRACTISE))])

NO_STORE = {"Cache-Control": "no-store"}
STATUS_TEMPLATE = "recordings/_status.html"


def _store(request: Request) -> DatabaseRecordingStore:
    store: DatabaseRecordingStore = request.app.state.recordings
    return store


def _error_fragment(request: Request, error: InterviewPrepError) -> HTMLResponse:
    return render(
        request,
        "recordings/_error.html",
        {"message": error.message, "title": error.title},
        status_code=error.status,
        headers=NO_STORE,
    )


def _show(request: Request, recording: StoredRecording, *, status_code: int = 200) -> Response:
    ctx = PracticeContext.of(request)
    ref = QuestionRef(recording.bank_id, recording.question_id)
    question = ctx.record(ref).question
    queue = request.app.state.transcriptions
    abandoned = is_abandoned(recording, ctx.now(), pending_here=queue.is_pending(recording.id))
    if abandoned:
        _store(request).fail_transcribing(
            recording.id,
            "The transcription was interrupted (the server stopped meanwhile). The recording is "
            "kept: transcribe it again.",
        )
        recording = _store(request).get(ctx.user_id, recording.id)
    context = recording_view(recording, question, now=ctx.now(), abandoned=False)
    return render(request, STATUS_TEMPLATE, context, status_code=status_code, headers=NO_STORE)


def _queue(request: Request, recording: StoredRecording) -> None:
    ctx = PracticeContext.of(request)
    question = ctx.record(QuestionRef(recording.bank_id, recording.question_id)).question
    work = partial(transcribe_recording, _store(request), recording.id, question, ctx.config)
    request.app.state.transcriptions.submit(recording.id, work)


def _session_item(
    ctx: PracticeContext, session_id: str, index_text: str
) -> tuple[int, QuestionRef]:
    """The session item a recording answers: it must be the one being answered now."""
    try:
        index = int(index_text)
    except ValueError:
        raise InvalidInputError("field 'index': the question's place in the session") from None
    session = sessions.load_session(ctx, session_id)
    if session.current_index != index:
        raise InvalidInputError(
            "This question of the session is no longer being answered: reload the page."
        )
    return index, session.items[index].question


@router.get("/recordings/csrf-token")
def csrf_token(request: Request) -> Response:
    """The visitor's CSRF token, for the recorder on a page cached for every visitor (a
    question's page carries none). Another site cannot read it: the browser keeps this answer
    from any page that is not the app's own."""
    visitor = getattr(request.state, "visitor", None)
    token = getattr(visitor, "csrf_token", None)
    return JSONResponse({"csrf_token": token}, headers=NO_STORE)


@router.post("/recordings", response_class=HTMLResponse)
async def upload_recording(request: Request) -> Response:
    """Store a recorded answer and queue its transcription; answers with its status fragment.

    Only reading the upload runs on the event loop; the database work (the recording is stored
    before anything else happens to it) runs on the thread pool, as in every sync route.
    """
    try:
        # The settings only: the practice context reads the banks, which is database work.
        upload = await read_audio_upload(request, request.app.state.config)
    except InterviewPrepError as error:
        return _error_fragment(request, error)
    return await run_in_threadpool(_store_and_queue, request, upload)


def _store_and_queue(request: Request, upload: AudioUpload) -> Response:
    ctx = PracticeContext.of(request)
    try:
        mime_type = base_mime_type(upload.content_type)
        if mime_type not in AUDIO_TYPES:
            raise AudioError(
                f"a file of type {mime_type!r} is not a recording: send WAV, FLAC, OGG, MP3 or "
                "WebM audio"
            )
        if not upload.data:
            raise AudioError("the recording is empty (0 bytes): record again")
        fields = {key: clean_text(value).strip() for key, value in upload.fields.items()}
        session_id = fields.get("session_id") or None
        index: int | None = None
        if session_id is not None:
            index, ref = _session_item(ctx, session_id, fields.get("index", ""))
        else:
            if not fields.get("question_id"):
                raise InvalidInputError("field 'question_id': the question answered")
            record = repository.get_question(
                ctx.db, fields["question_id"], bank=fields.get("bank") or None
            )
            ref = QuestionRef(record.bank_id, record.question.id)
        recording = _store(request).save(
            NewRecording(
                id=new_id(),
                user_id=actor_of(request).user_id,
                bank_id=ref.bank_id,
                question_id=ref.question_id,
                mime_type=mime_type,
                audio=upload.data,
                created_at=ctx.now(),
                session_id=session_id,
                item_index=index,
            )
        )
    except InterviewPrepError as error:
        return _error_fragment(request, error)
    _queue(request, recording)
    return _show(request, recording, status_code=201)


@router.get("/recordings/{recording_id}", response_class=HTMLResponse)
def recording_status(request: Request, recording_id: str) -> Response:
    """The recording's fragment: progress while transcribing, then the transcript to correct."""
    try:
        recording = _store(request).get(actor_of(request).user_id, recording_id)
    except InterviewPrepError as error:
        return _error_fragment(request, error)
    return _show(request, recording)


@router.post("/recordings/{recording_id}/retry", response_class=HTMLResponse)
def retry_recording(request: Request, recording_id: str) -> Response:
    """Transcribe a failed recording again (its audio was kept)."""
    try:
        recording = _store(request).get(actor_of(request).user_id, recording_id)
        if recording.status is not RecordingStatus.FAILED or not recording.has_audio:
            raise InvalidInputError("Only a failed recording whose audio is kept can be retried.")
    except InterviewPrepError as error:
        return _error_fragment(request, error)
    _queue(request, recording)
    return _show(request, recording)


@router.post("/recordings/{recording_id}/delete", response_class=HTMLResponse)
def delete_recording(request: Request, recording_id: str) -> Response:
    """Delete the recording's audio; its transcript and metrics stay."""
    try:
        recording = _store(request).delete_audio(actor_of(request).user_id, recording_id)
    except InterviewPrepError as error:
        return _error_fragment(request, error)
    return _show(request, recording)


@router.get("/recordings/{recording_id}/audio")
def recording_audio(request: Request, recording_id: str) -> Response:
    """The recording itself, to listen to."""
    data, mime_type = _store(request).audio(actor_of(request).user_id, recording_id)
    return Response(data, media_type=mime_type, headers=NO_STORE)


@router.post("/recordings/{recording_id}/grade", response_class=HTMLResponse)
def grade_recording(
    request: Request, recording_id: str, text: Annotated[str, Form()] = ""
) -> Response:
    """Grade the transcript as corrected, with the engine typed answers use.

    In a practice session the corrected transcript is submitted as the session's (spoken) answer
    and the page goes on to its feedback; on a question's page it is kept as an attempt outside
    any session (as typed answers are kept) and the grade shows in place.
    """
    ctx = PracticeContext.of(request)
    store = _store(request)
    try:
        recording = store.get(ctx.user_id, recording_id)
        if recording.transcript is None or recording.status is not RecordingStatus.TRANSCRIBED:
            raise InvalidInputError(
                "This recording is not transcribed yet: wait for its transcript."
            )
        text = clean_text(text).replace("\r\n", "\n").strip()
        if not text:
            raise InvalidInputError("The transcript is empty: record again, or type your answer.")
        question = ctx.record(QuestionRef(recording.bank_id, recording.question_id)).question
        corrected = recording.transcript.with_text(text)
        if recording.session_id is not None and recording.item_index is not None:
            session = sessions.submit(
                ctx, recording.session_id, recording.item_index, text, AnswerSource.SPOKEN
            )
            item = session.items[recording.item_index]
            asked = ctx.question_of(item)  # a follow-up's delivery is judged for its question
            store.save_grade(
                ctx.user_id,
                recording.id,
                transcript=corrected,
                delivery=delivery_of(asked, corrected),
                attempt_id=item.attempt_id if item.source is AnswerSource.SPOKEN else None,
            )
            url = session_url(session)
            return Response(status_code=204, headers={"HX-Redirect": url, **NO_STORE})
        from ...speech.service import grade_spoken

        # On a question's page too the answer becomes an attempt, kept before the grader runs
        # as in practice, so it counts in the history and the recording names it.
        attempt = Attempt(
            id=new_id(),
            user_id=ctx.user_id,
            question=QuestionRef(recording.bank_id, recording.question_id),
            category=question.category,
            answer=text,
            submitted_at=ctx.now(),
            source=AnswerSource.SPOKEN,
        )
        ctx.store.save_attempt_before_grading(attempt)
        spoken = grade_spoken(question, recording.transcript, text=text, config=ctx.config)
        grade = spoken.grade.to_dict()
        ctx.store.attach_grade(ctx.user_id, attempt.id, grade)
        recording = store.save_grade(
            ctx.user_id,
            recording.id,
            transcript=spoken.transcript,
            delivery=spoken.delivery.to_dict(),
            grade=grade,
            attempt_id=attempt.id,
        )
    except InterviewPrepError as error:
        return _error_fragment(request, error)
    return _show(request, recording)
