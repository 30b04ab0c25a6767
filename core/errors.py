"""Domain errors with stable machine codes; the edges map them to HTTP or chat replies."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the domain raises on purpose."""

    code = "domain_error"

    def __init__(self, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code is not None:
            self.code = code


class NotFound(DomainError):
    """The thing asked for does not exist."""

    code = "not_found"


class PermissionDenied(DomainError):
    """The caller may not do this."""

    code = "permission_denied"


class Conflict(DomainError):
    """The request clashes with the current state."""

    code = "conflict"


class InvalidInput(DomainError):
    """The input is malformed; `location` names the record and field."""

    code = "invalid_input"

    def __init__(self, detail: str, *, location: str | None = None, code: str | None = None):
        super().__init__(detail, code=code)
        self.location = location
