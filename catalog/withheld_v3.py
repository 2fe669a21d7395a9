"""Records public in DCAT-AP.de 2.0 but held back in 3.0: how many per source, and why.

3.0 requires facts 2.0 only recommends (a publisher of every dataset, a licence of every
distribution) and reads some texts as references (dct:source, adms:sample). A source that
lacks them gives records valid in 2.0 and invalid in 3.0; the steward sees per source how many
and which fact is missing, with the setting that would supply it (catalog.report_hints), as
the job report does for 2.0 violations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, and_, func, or_, select

from catalog.job_findings import compact_iri, report_results
from catalog.models import DatasetRecord
from catalog.publication import public_record_conditions
from catalog.report_hints import SettingHint, setting_hint
from catalog.store import Store
from dcat.validation import Severity


@dataclass(frozen=True)
class WithheldReason:
    """One 3.0 finding that holds records back, the records it holds, the setting (if any)."""

    path: str
    message_de: str
    message_en: str
    records: int
    hint: SettingHint | None

    def message(self, language: str) -> str:
        return self.message_en if language == "en" and self.message_en else self.message_de


@dataclass(frozen=True)
class V3Withholding:
    """A source's records public in 2.0 and not in 3.0; `unjudged` have no 3.0 verdict yet."""

    withheld: int = 0
    unjudged: int = 0
    reasons: list[WithheldReason] = field(default_factory=list)


def _withheld_conditions() -> list[ColumnElement[bool]]:
    """Public by the 2.0 rule (without publish_invalid, as the publishable share counts),
    and a 3.0 violation or no 3.0 verdict."""
    return [
        *public_record_conditions(publish_invalid=False),
        or_(DatasetRecord.violation_count_v3.is_(None), DatasetRecord.violation_count_v3 > 0),
    ]


def withheld_in_v3_counts(store: Store, source_ids: Sequence[str]) -> dict[str, int]:
    """Per source: how many of its 2.0-public records are held back in 3.0 (0 for none)."""
    query = (
        select(DatasetRecord.source_id, func.count())
        .where(DatasetRecord.source_id.in_(list(source_ids)), and_(*_withheld_conditions()))
        .group_by(DatasetRecord.source_id)
    )
    counts = dict.fromkeys(source_ids, 0)
    with store.reading() as session:
        for source_id, count in session.execute(query).all():
            if source_id is not None:
                counts[source_id] = int(count)
    return counts


def withheld_in_v3(store: Store, source_id: str) -> V3Withholding:
    """The source's records held back in 3.0 and each reason, most frequent first."""
    query = select(DatasetRecord.violation_count_v3, DatasetRecord.validation_report_v3).where(
        DatasetRecord.source_id == source_id, *_withheld_conditions()
    )
    withheld = unjudged = 0
    records: dict[tuple[str, str, str], set[int]] = {}
    hints: dict[tuple[str, str, str], SettingHint | None] = {}
    with store.reading() as session:
        for index, (count, report) in enumerate(session.execute(query)):
            if count is None:
                unjudged += 1
                continue
            withheld += 1
            for result in report_results(report):
                if result.severity is Severity.VIOLATION:
                    key = (result.path or "", result.message_de, result.message_en)
                    records.setdefault(key, set()).add(index)
                    hints[key] = hints.get(key) or setting_hint(result)
    reasons = [
        WithheldReason(compact_iri(key[0]), key[1], key[2], len(rows), hints[key])
        for key, rows in records.items()
    ]
    reasons.sort(key=lambda reason: (-reason.records, reason.path))
    return V3Withholding(withheld=withheld, unjudged=unjudged, reasons=reasons)
