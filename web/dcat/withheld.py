"""Why a dataset document cannot be had in the profile asked for: a plain reason for programs."""

from __future__ import annotations

from catalog.job_findings import compact_iri, report_results
from catalog.models import DatasetRecord
from dcat.profiles import PROFILES, Profile
from dcat.validation import Severity

REASONS_SHOWN = 3


def withheld_reason(record: DatasetRecord, profile: Profile) -> tuple[str, str]:
    """German and English: the record is held back in `profile`, for what, and where 2.0 is."""
    label = PROFILES[profile].label
    found: dict[tuple[str, str, str], None] = {}
    for result in report_results(record.validation_report_v3):
        if result.severity is Severity.VIOLATION:
            found[(compact_iri(result.path or ""), result.message_de, result.message_en)] = None
    reasons = list(found)[:REASONS_SHOWN]
    other = PROFILES[Profile.DCATAPDE_2]
    asking = f"?profile={other.profile.value}"
    ask_de = f"Abrufbar in {other.label}: {asking} oder Accept-Profile: <{other.uri}>."
    ask_en = f"Available in {other.label}: {asking} or Accept-Profile: <{other.uri}>."
    if record.violation_count_v3 is None:
        return (
            f"Datensatz {record.name!r} ist noch nicht nach {label} geprüft und wird darin "
            f"zurückgehalten. {ask_de}",
            f"Dataset {record.name!r} has not been checked against {label} yet and is held "
            f"back in it. {ask_en}",
        )
    more = len(found) - len(reasons)
    tail_de = f"; {more} weitere" if more > 0 else ""
    tail_en = f"; {more} more" if more > 0 else ""
    return (
        f"Datensatz {record.name!r} ist nach {label} nicht gültig und wird darin zurückgehalten "
        f"({'; '.join(f'{path}: {de}' for path, de, _ in reasons)}{tail_de}). {ask_de}",
        f"Dataset {record.name!r} is not valid {label} and is held back in it "
        f"({'; '.join(f'{path}: {en}' for path, _, en in reasons)}{tail_en}). {ask_en}",
    )
