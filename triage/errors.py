"""One error hierarchy with stable codes. The service renders it as JSON, the CLI as a message."""

from __future__ import annotations


class TriageError(Exception):
    """Base of every error the project raises on purpose. `code` is stable; `status` is the HTTP status."""

    code = "triage_error"
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(TriageError):
    code = "invalid_input"
    status = 422


class UnsupportedLanguage(InvalidInput):
    """The text's language, given or detected, is not one the engine scores."""

    code = "unsupported_language"

    def __init__(self, message: str, languages: list[str], attribute: str = "") -> None:
        super().__init__(message)
        self.languages = languages
        self.attribute = attribute


class ModelError(TriageError):
    """A model folder is missing, incomplete or incompatible."""

    code = "model_error"
    status = 500


class NotFound(TriageError):
    code = "not_found"
    status = 404


class Unauthorized(TriageError):
    code = "unauthorized"
    status = 401


class Forbidden(TriageError):
    code = "forbidden"
    status = 403


class Conflict(TriageError):
    code = "conflict"
    status = 409


class Gone(TriageError):
    """The content existed but was deleted on purpose (retention or erasure); its audit stub remains."""

    code = "gone"
    status = 410


class PayloadTooLarge(TriageError):
    code = "payload_too_large"
    status = 413


class UnsupportedMediaType(TriageError):
    code = "unsupported_media_type"
    status = 415


class DatabaseNotMigrated(TriageError):
    """The database schema is missing or older than this code; `triage db upgrade` fixes it."""

    code = "database_not_migrated"
    status = 503


class OcrUnavailable(TriageError):
    code = "ocr_unavailable"
    status = 503


class DatabaseUnavailable(TriageError):
    """The database cannot be reached right now; the request can be retried once it is back."""

    code = "database_unavailable"
    status = 503


class TooManyRequests(TriageError):
    """A rate limit or a login lock-out; `retry_after` says in how many seconds to try again."""

    code = "too_many_requests"
    status = 429

    def __init__(self, message: str, retry_after: int = 60) -> None:
        super().__init__(message)
        self.retry_after = retry_after
