"""Evidence bundles: a signed ZIP of the originals, their metadata, the machine assessment kept apart,
the reviews, the chain of custody and a Dutch report (HTML, PDF) for the police and GIR.

Independent of the database: the service maps its rows onto `triage.evidence.model`.
"""

from triage.evidence.aftercare import Aftercare, aftercare
from triage.evidence.builder import build_bundle
from triage.evidence.errors import EvidenceError, IntakeMismatch, SigningKeyError
from triage.evidence.keys import Signer, load_public_key
from triage.evidence.model import (
    Attachment,
    ContextMessage,
    CustodyEvent,
    FollowUp,
    MachineAssessment,
    MessageMetadata,
    Organisation,
    Recipient,
    ReportEvidence,
    Review,
)
from triage.evidence.timestamp import Rfc3161Timestamper, Timestamper, timestamper_for
from triage.evidence.verify import Problem, VerifyResult, verify_bundle

__all__ = [
    "Aftercare",
    "Attachment",
    "ContextMessage",
    "CustodyEvent",
    "EvidenceError",
    "FollowUp",
    "IntakeMismatch",
    "MachineAssessment",
    "MessageMetadata",
    "Organisation",
    "Problem",
    "Recipient",
    "ReportEvidence",
    "Review",
    "Rfc3161Timestamper",
    "Signer",
    "SigningKeyError",
    "Timestamper",
    "VerifyResult",
    "aftercare",
    "build_bundle",
    "load_public_key",
    "timestamper_for",
    "verify_bundle",
]
