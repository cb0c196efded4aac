"""Sends e-mail through the configured SMTP relay."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from bookings.config import settings


def send(to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(settings.smtp_host) as smtp:
        smtp.send_message(message)
