#!/usr/bin/env python3
"""A local SMTP sink for the demo and the tests: every message CKAN sends is kept, never relayed.

    mailsink.py [--host 127.0.0.1] [--port 8025] [--dir var/mail]

Each message lands in DIR as ``<date>-<time>-<microseconds>.eml`` (open it with any mail
program), with a decoded copy beside it (``.txt``: the headers and the text, Chinese readable,
whereas CKAN sends the text base64-encoded), and one line per message is appended to
``DIR/index.txt``: date, recipients, subject and file name, tab-separated, decoded. Started by
``config/bin/mailsink.sh`` (``make run``); CKAN's ``smtp.server`` points at it.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import email
import email.message
import email.policy
import logging
import pathlib
import signal
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

log = logging.getLogger("mailsink")

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
INDEX = "index.txt"


class MailSink:
    """aiosmtpd handler: writes each message to a folder and indexes it."""

    def __init__(self, folder: pathlib.Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        now = datetime.datetime.now()
        path = self._new_path(now)
        path.write_bytes(content)
        message = email.message_from_bytes(content, policy=email.policy.default)
        to = _one_line(str(message.get("To") or "")) or ", ".join(envelope.rcpt_tos)
        subject = _one_line(str(message.get("Subject") or ""))
        path.with_suffix(".txt").write_text(_readable(message, envelope), encoding="utf-8")
        line = "\t".join([now.strftime("%Y-%m-%d %H:%M:%S"), to, subject, path.name])
        with (self.folder / INDEX).open("a", encoding="utf-8") as index:
            index.write(line + "\n")
        log.info("%s: to %s, %s", path.name, to, subject)
        return "250 Message accepted for delivery"

    def _new_path(self, now: datetime.datetime) -> pathlib.Path:
        stem = now.strftime("%Y%m%d-%H%M%S-%f")
        path = self.folder / f"{stem}.eml"
        n = 1
        while path.exists():
            path = self.folder / f"{stem}-{n}.eml"
            n += 1
        return path


def _readable(message: email.message.EmailMessage, envelope: Envelope) -> str:
    lines = [f"{name}: {message.get(name)}" for name in ("Date", "From", "To", "Subject")]
    lines.append(f"Envelope-To: {', '.join(envelope.rcpt_tos)}")
    part = message.get_body(preferencelist=("plain", "html"))
    text = part.get_content() if part is not None else ""
    return "\n".join(lines) + "\n\n" + str(text)


def _one_line(text: str) -> str:
    return " ".join(text.split())


async def serve(host: str, port: int, folder: pathlib.Path) -> None:
    loop = asyncio.get_running_loop()
    handler = MailSink(folder)

    def factory() -> Any:
        return SMTP(handler, enable_SMTPUTF8=True, hostname="mailsink.local")

    server = await loop.create_server(factory, host=host, port=port)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    log.info("SMTP sink on %s:%d, mails in %s", host, port, folder)
    async with server:
        await stop.wait()
    log.info("SMTP sink stopped")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--dir", type=pathlib.Path, default=ROOT / "var" / "mail")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's every SMTP command
    asyncio.run(serve(args.host, args.port, args.dir.resolve()))


if __name__ == "__main__":
    main()
