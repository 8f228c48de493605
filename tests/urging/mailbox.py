"""An e-mail backend for the real-worker test: the mail server, replaced by a journal file with
one line per message sent (the outbox row's id), so the test can count real sends."""

import os
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class JournalBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        with open(os.environ["URGING_MAIL_JOURNAL"], "a", encoding="utf-8") as journal:
            for message in email_messages:
                journal.write(f"{message.extra_headers['X-Dondoc-Outbox']}\n")
        return len(email_messages)
