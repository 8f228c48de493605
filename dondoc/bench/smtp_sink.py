"""A mail server that accepts every message and keeps only a count, for the outbox benchmark
(`dondoc bench jobs --only outbox`). Run as `python -m dondoc.bench.smtp_sink`: it prints the
port it listens on (loopback), and on SIGTERM the number of messages and SMTP sessions it took.

Python 3.11's `smtpd` (deprecated, gone in 3.13; no dependency to add for a benchmark)."""

import asyncore
import signal
import smtpd
import sys
from typing import Any

received = {"messages": 0, "sessions": 0}


class Channel(smtpd.SMTPChannel):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        received["sessions"] += 1


class Sink(smtpd.SMTPServer):
    channel_class = Channel

    def process_message(self, *args: Any, **kwargs: Any) -> None:
        received["messages"] += 1


def main() -> None:
    sink = Sink(("127.0.0.1", 0), ("127.0.0.1", 0), decode_data=False)  # relays nowhere
    assert sink.socket is not None
    sys.stdout.write(f"{sink.socket.getsockname()[1]}\n")
    sys.stdout.flush()

    def stop(*_args: Any) -> None:
        sys.stdout.write(f"{received['messages']} {received['sessions']}\n")
        sys.stdout.flush()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    asyncore.loop(timeout=0.2)


if __name__ == "__main__":
    main()
