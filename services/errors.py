"""Domain errors raised by services and mapped by views onto form fields or error pages."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: a use case refused, with a message for the user (Chinese, translatable)."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field


class RuleViolation(DomainError):
    """The request breaks a rule; `field` names the form field to show the message beside."""


class NotAllowed(DomainError):
    """The user may not do this (answered with 403)."""


class NotFound(DomainError):
    """No such object within the user's reach (answered with 404, also for other enterprises)."""
