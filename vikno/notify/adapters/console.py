"""Development adapter: writes the SMS to the log instead of sending it."""

from __future__ import annotations

import logging

from .base import SendResult, SmsGateway, SmsMessage
from .registry import register

logger = logging.getLogger("vikno.notify.sms")


@register
class ConsoleGateway(SmsGateway):
    name = "console"

    def send(self, message: SmsMessage) -> SendResult:
        logger.info("SMS to %s: %s", message.to, message.text)
        return SendResult(message_id=f"console-{message.key}", status="logged")
