"""The bank editor's pages: create, edit, copy and delete banks and questions, undo and history,
upload to import (with a preview) and download to export.

Plain forms that POST and redirect (303), so the editor works without JavaScript;
``authoring.js`` adds rows to the lists and checks the question form as the user types, against
the same rules (and messages) as a bank file. Every request that changes a bank is the one
named action ``manage-banks`` (:class:`~interview_prep.accounts.permissions.Action`); reading is
``view-banks``.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import UploadFile
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from ...accounts.permissions import Action
from ...authoring import service
from ...authoring.forms import FormData, blank_form, form_of
from ...domain.questions import slugify
from ...errors import InterviewPrepError, InvalidInputError
from ...formats import WRITABLE, BankFormat
from ...formats.validation import validate_bank_data
from ...storage import authoring as store
from ...storage import repository
from ..auth import requires
from ..templating import bank_url, render

NO_STORE = {"Cache-Control": "no-store"}


router = APIRouter(include_in_schema=False, dependencies=[Depends(requires(Action.VIEW_BANKS))])
changes = APIRouter(include_in_schema=False, dependencies=[Depends(requires(Action.MANAGE_BANKS))])


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=NO_STORE)


def edit_url(bank_id: str) -> str:
    return f"/banks/{bank_id}/edit"


def question_edit_url(bank_id: str, question_id: str) -> str:
    return f"/banks/{bank_id}/questions/{question_id}/edit"


def _changed(request: Request) -> None:
    # Pages are cached per bank summary; see the change at once rather than within the TTL.
    request.app.state.banks.invalidate()


async def _form(request: Request) -> FormData:
    form = await request.form()
    return FormData([(key, value) for key, value in form.multi_items() if isinstance(value, str)])


# Banks


@router.get("/banks/new", response_class=HTMLResponse)
def new_bank(request: Request) -> Response:
    """The form for a new bank of one's own."""
    return render(
        request,
        "authoring/new_bank.html",
        {"values": {}, "error": None, "active_nav": "banks"},
        headers=NO_STORE,
    )


@changes.post("/banks/new", response_class=HTMLResponse)
async def create_bank(request: Request) -> Response:
    form = await _form(request)
    values = {name: form.get(name, "") for name in ("id", "title", "role", "description")}
    try:
        service.create_bank(
            request.app.state.db,
            values["id"],
            values["title"],
            values["role"],
            values["description"],
        )
    except InterviewPrepError as error:
        return render(
            request,
            "authoring/new_bank.html",
            {"values": values, "error": error.message, "active_nav": "banks"},
            status_code=error.status,
            headers=NO_STORE,
        )
    _changed(request)
    bank_id = values["id"].strip() or slugify(values["title"])
    return _redirect(edit_url(bank_id))


def _bank_context(request: Request, bank_id: str) -> dict[str, Any]:
    summary = request.app.state.banks.get(bank_id)
    bank = repository.get_bank(request.app.state.db, bank_id)
    return {
        "summary": summary,
        "bank": bank,
        "formats": WRITABLE,
        "active_nav": "banks",
        "question_edit_url": question_edit_url,
        "bank_page_url": bank_url(bank_id),
    }


@router.get("/banks/{bank_id}/edit", response_class=HTMLResponse)
def edit_bank(request: Request, bank_id: str) -> Response:
    """A bank's editor: its details, its questions, export, copy and delete."""
    context = {**_bank_context(request, bank_id), "error": None, "values": None}
    return render(request, "authoring/bank.html", context, headers=NO_STORE)


@changes.post("/banks/{bank_id}/edit", response_class=HTMLResponse)
async def save_bank(request: Request, bank_id: str) -> Response:
    form = await _form(request)
    values = {name: form.get(name, "") for name in ("title", "role", "description")}
    try:
        service.update_bank(request.app.state.db, bank_id, **values)
    except InterviewPrepError as error:
        context = {**_bank_context(request, bank_id), "error": error.message, "values": values}
        return render(
            request, "authoring/bank.html", context, status_code=error.status, headers=NO_STORE
        )
    _changed(request)
    return _redirect(edit_url(bank_id))


@changes.post("/banks/{bank_id}/delete")
def delete_bank(request: Request, bank_id: str) -> Response:
    service.delete_bank(request.app.state.db, bank_id)
    _changed(request)
    return _redirect("/")


@changes.post("/banks/{bank_id}/copy")
def copy_bank(request: Request, bank_id: str) -> Response:
    new_id = service.copy_bank(request.app.state.db, bank_id)
    _changed(request)
    return _redirect(edit_url(new_id))


@router.get("/banks/{bank_id}/export/{fmt}")
def export_bank(request: Request, bank_id: str, fmt: str) -> Response:
    """Download a bank as YAML, JSON, Markdown or an Anki deck."""
    try:
        chosen = BankFormat(fmt)
    except ValueError:
        chosen = None
    if chosen not in WRITABLE:
        choices = ", ".join(item.value for item in WRITABLE)
        raise InvalidInputError(f"unknown format {fmt!r}: choose one of {choices}")
    assert chosen is not None
    data, name = service.export_bank(request.app.state.db, bank_id, chosen)
    return Response(
        data,
        media_type=service.EXPORT_MEDIA_TYPE[chosen],
        headers={"Content-Disposition": f'attachment; filename="{name}"', **NO_STORE},
    )


# Questions


def _question_page(
    request: Request,
    bank_id: str,
    form: Any,
    *,
    editing: str | None,
    revision: int | None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        **_bank_context(request, bank_id),
        "form": form,
        "editing": editing,
        "revision": revision,
        "error": error,
        "difficulties": ("easy", "medium", "hard"),
        "kinds": ("number", "names", "expansion", "text"),
    }
    return render(
        request, "authoring/question.html", context, status_code=status_code, headers=NO_STORE
    )


@router.get("/banks/{bank_id}/questions/new", response_class=HTMLResponse)
def new_question(request: Request, bank_id: str, category: str = "") -> Response:
    request.app.state.banks.get(bank_id)
    return _question_page(request, bank_id, blank_form(category), editing=None, revision=None)


@changes.post("/banks/{bank_id}/questions/new", response_class=HTMLResponse)
async def create_question(request: Request, bank_id: str) -> Response:
    return await _save(request, bank_id, editing=None)


@router.get("/banks/{bank_id}/questions/{question_id}/edit", response_class=HTMLResponse)
def edit_question(request: Request, bank_id: str, question_id: str) -> Response:
    """The question form, filled with the question as stored now."""
    db = request.app.state.db
    record = repository.get_question(db, question_id, bank=bank_id)
    revision = store.question_revision(db, bank_id, question_id)
    return _question_page(
        request, bank_id, form_of(record.question.to_dict()), editing=question_id, revision=revision
    )


@changes.post("/banks/{bank_id}/questions/{question_id}/edit", response_class=HTMLResponse)
async def save_question(request: Request, bank_id: str, question_id: str) -> Response:
    return await _save(request, bank_id, editing=question_id)


def _revision(form: FormData) -> int:
    try:
        return int(form.get("revision", ""))
    except ValueError:
        raise InvalidInputError("the form lost its revision: open the question again") from None


async def _save(request: Request, bank_id: str, *, editing: str | None) -> Response:
    form = await _form(request)
    revision = _revision(form) if editing is not None else None
    try:
        saved = service.save_question(
            request.app.state.db, bank_id, form, editing=editing, revision=revision
        )
    except InterviewPrepError as error:
        # Nothing is lost: the page comes back with what the user typed, and why it was refused.
        data, _ = service.check_question(request.app.state.db, bank_id, form, editing)
        return _question_page(
            request,
            bank_id,
            form_of(data),
            editing=editing,
            revision=revision,
            error=error.message,
            status_code=error.status,
        )
    _changed(request)
    return _redirect(question_edit_url(bank_id, saved.question.id) + "?saved=1")


@router.post("/banks/{bank_id}/questions/check")
async def check_question(request: Request, bank_id: str) -> Response:
    """The form's problems as the user types: ``{"problems": [{"field", "message"}]}``."""
    form = await _form(request)
    editing = form.get("editing") or None
    _, problems = service.check_question(request.app.state.db, bank_id, form, editing)
    return JSONResponse(
        {"problems": [{"field": p.field, "message": p.message} for p in problems]},
        headers=NO_STORE,
    )


@changes.post("/banks/{bank_id}/questions/{question_id}/undo")
async def undo_question(request: Request, bank_id: str, question_id: str) -> Response:
    form = await _form(request)
    service.undo_question(request.app.state.db, bank_id, question_id, revision=_revision(form))
    _changed(request)
    return _redirect(question_edit_url(bank_id, question_id) + "?undone=1")


@changes.post("/banks/{bank_id}/questions/{question_id}/delete")
async def delete_question(request: Request, bank_id: str, question_id: str) -> Response:
    form = await _form(request)
    service.delete_question(request.app.state.db, bank_id, question_id, revision=_revision(form))
    _changed(request)
    return _redirect(edit_url(bank_id))


@changes.post("/banks/{bank_id}/questions/{question_id}/restore/{number}")
async def restore_question(
    request: Request, bank_id: str, question_id: str, number: int
) -> Response:
    form = await _form(request)
    service.restore_question(
        request.app.state.db, bank_id, question_id, number, revision=_revision(form)
    )
    _changed(request)
    return _redirect(question_edit_url(bank_id, question_id))


@router.get("/banks/{bank_id}/questions/{question_id}/history", response_class=HTMLResponse)
def question_history(request: Request, bank_id: str, question_id: str) -> Response:
    """Every saved version of a question, newest first, each one restorable."""
    db = request.app.state.db
    versions = store.question_history(db, bank_id, question_id)
    record = repository.get_question(db, question_id, bank=bank_id)
    context = {
        **_bank_context(request, bank_id),
        "record": record,
        "versions": versions,
        "revision": versions[0].number if versions else 0,
    }
    return render(request, "authoring/history.html", context, headers=NO_STORE)


# Import


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request) -> Response:
    return render(
        request, "authoring/import.html", {"error": None, "active_nav": "banks"}, headers=NO_STORE
    )


def _max_bytes(request: Request) -> int:
    return int(request.app.state.config.max_import_mb) * 1024 * 1024


@changes.post("/import", response_class=HTMLResponse)
async def preview_import(request: Request) -> Response:
    """Read the uploaded file and show what importing it would add or change."""
    form = await request.form()
    upload = form.get("file")
    title = form.get("title")
    try:
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise InvalidInputError("choose a bank file to upload")
        limit = _max_bytes(request)
        if upload.size is not None and upload.size > limit:
            raise InvalidInputError(
                f"{upload.filename}: the file is {upload.size / 1024 / 1024:.1f} MB, over the "
                f"{limit / 1024 / 1024:.0f} MB limit for a bank; nothing was imported"
            )
        data = await upload.read(limit + 1)
        preview = service.preview_import(
            request.app.state.db,
            data,
            upload.filename,
            title=title if isinstance(title, str) else None,
            max_bytes=limit,
        )
    except InterviewPrepError as error:
        return render(
            request,
            "authoring/import.html",
            {"error": error.message, "active_nav": "banks"},
            status_code=error.status,
            headers=NO_STORE,
        )
    payload = json.dumps(preview.bank.to_dict(), ensure_ascii=False)
    return render(
        request,
        "authoring/import_preview.html",
        {"preview": preview, "payload": payload, "active_nav": "banks"},
        headers=NO_STORE,
    )


@changes.post("/import/confirm")
async def confirm_import(request: Request) -> Response:
    form = await _form(request)
    try:
        data = json.loads(form.get("bank", ""))
    except json.JSONDecodeError:
        raise InvalidInputError("the preview was lost: upload the file again") from None
    bank = validate_bank_data(data, "the previewed file")
    service.confirm_import(request.app.state.db, bank)
    _changed(request)
    return _redirect(edit_url(bank.id))


router.include_router(changes)
