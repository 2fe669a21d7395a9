"""Reading harvest messages in tests: both languages of a message, one after the other.

Messages are kept in German and English apart (harvesters.base.HarvestProblem, the
message/message_en columns); a test that checks what a message says looks in both.
"""

from __future__ import annotations

from typing import Any

from dcat.bilingual import Bilingual


def both(message: Any) -> str:
    """German and English of a Bilingual, a JobOutcome, a HarvestJob or a HarvestError, a
    line each."""
    if isinstance(message, Bilingual):
        return "\n".join(text for text in (message.de, message.en) if text)
    if isinstance(getattr(message, "message", None), Bilingual):
        return both(message.message)
    if hasattr(message, "message_en"):
        return "\n".join(text for text in (message.message, message.message_en) if text)
    return str(message)
