"""Sending one e-mail through the configured SMTP server (settings `mail:`)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from catalog.settings import MailSettings


def send_mail(settings: MailSettings, to: str, subject: str, body: str) -> None:
    """Send a plain-text mail; raises OSError or smtplib.SMTPException when that fails."""
    if not settings.host:
        raise ValueError("no mail.host configured")
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
        if settings.starttls:
            smtp.starttls(context=ssl.create_default_context())
        if settings.username:
            smtp.login(settings.username, settings.password or "")
        smtp.send_message(message)
