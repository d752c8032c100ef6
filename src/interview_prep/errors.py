"""The one error type a person reads, and its few named kinds.

Every edge renders an :class:`InterviewPrepError` the same way: the CLI prints its message and
exits non-zero, the web app shows it as a page, and the API returns
``{"error": code, "message": ...}`` with its HTTP
status. Anything that is not an ``InterviewPrepError`` is a bug, not user error.
"""

from __future__ import annotations


class InterviewPrepError(Exception):
    """Something the user can fix: the message says what went wrong and where."""

    status = 400
    code = "error"
    title = "Something went wrong"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, str]:
        return {"error": self.code, "message": self.message}


class BankFormatError(InterviewPrepError):
    """A bank file or payload that does not follow the bank format."""

    status = 422
    code = "invalid_bank"
    title = "This bank file cannot be read"


class NotFoundError(InterviewPrepError):
    """A bank, question or record that does not exist."""

    status = 404
    code = "not_found"
    title = "Not found"


class InvalidInputError(InterviewPrepError):
    """A parameter or field with a value the app cannot use."""

    status = 422
    code = "invalid_input"
    title = "Invalid input"


class ConflictError(InterviewPrepError):
    """A record that already exists, such as a bank whose id is taken."""

    status = 409
    code = "conflict"
    title = "Already exists"


class StaleWriteError(ConflictError):
    """Another request (perhaps in another process) recorded this step first."""

    title = "Already done"


class ConfigurationError(InterviewPrepError):
    """A setting with a value the app cannot use."""

    status = 500
    code = "configuration"
    title = "Configuration problem"


class LoginRequiredError(InterviewPrepError):
    """A page or call that needs a logged-in user, from a visitor who has not logged in."""

    status = 401
    code = "login_required"
    title = "Please log in"


class PasswordChangeRequiredError(InterviewPrepError):
    """A user logged in with a one-time password, asking for anything before choosing their own."""

    status = 403
    code = "password_change_required"
    title = "Choose your password"


class ClientGoneError(InterviewPrepError):
    """The client disconnected while its request waited its turn; the work was not done."""

    status = 499  # nginx's "client closed request": no one reads this answer
    code = "client_gone"
    title = "Client gone"


class LoginError(InterviewPrepError):
    """A username and password that do not match an active account."""

    status = 401
    code = "login_failed"
    title = "Login failed"


class TooManyAttemptsError(InterviewPrepError):
    """Too many failed logins for an account or from an address; try again later."""

    status = 429
    code = "too_many_attempts"
    title = "Too many attempts"

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.retry_after_seconds = retry_after_seconds


class CsrfError(InterviewPrepError):
    """A state-changing request without the page's CSRF token, or with another session's."""

    status = 403
    code = "csrf"
    title = "This form has expired"


class ReadOnlyError(InterviewPrepError):
    """A change to something that cannot be changed, such as a bank that ships with the app."""

    status = 403
    code = "read_only"
    title = "Read-only"


class EditConflictError(ConflictError):
    """A save made from a version that another save has replaced meanwhile."""

    code = "edit_conflict"
    title = "Changed in another window"


class DatabaseUnavailableError(InterviewPrepError):
    """The database could not be reached for a moment (restarting, or the network dropped)."""

    status = 503
    code = "database_unavailable"
    title = "The database is unavailable"
    retry_after_seconds = 2
