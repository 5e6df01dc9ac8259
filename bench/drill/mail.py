"""The drill's SMTP server (aiosmtpd): the workers send certificate mails to
it over SMTP like to a real relay, and it writes one JSON line per message
(time, recipients, subject) for the drill to count.

Usage: python -m bench.drill.mail HOST PORT OUT.jsonl"""

from __future__ import annotations

import json
import signal
import sys
import threading
import time
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        message = message_from_bytes(envelope.content)
        line = {
            "t": round(time.time(), 3),
            "to": list(envelope.rcpt_tos),
            "subject": str(make_header(decode_header(message.get("Subject", "")))),
        }
        with self.lock, self.out.open("a") as handle:
            handle.write(json.dumps(line) + "\n")
        return "250 OK"


def main() -> None:
    host, port, out = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    out.touch()
    controller = Controller(Sink(out), hostname=host, port=port)
    controller.start()
    print(f"[drill:mail] SMTP on {host}:{port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
