"""Errors of the evidence package, in the project's one hierarchy."""

from __future__ import annotations

from triage.errors import TriageError


class EvidenceError(TriageError):
    code = "evidence_error"
    status = 500


class IntakeMismatch(EvidenceError):
    """A file no longer has the SHA-256 recorded at intake: the evidence changed since then."""

    code = "evidence_intake_mismatch"
    status = 409


class SigningKeyError(EvidenceError):
    code = "evidence_signing_key"
    status = 500
