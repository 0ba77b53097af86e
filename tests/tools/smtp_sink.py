"""A real SMTP server for the notification tests (aiosmtpd, from PyPI).

    python smtp_sink.py PORT OUT_DIR [--cert CERT --key KEY]

Listens on 127.0.0.1:PORT. With --cert/--key it offers STARTTLS and refuses
mail sent without it. Each message received is written to OUT_DIR as N.json:
the envelope (MAIL FROM, RCPT TO), every header as sent, and every MIME part
(content type, file name, decoded text or the size and SHA-256 of a binary),
parsed with the standard library's email package. Prints "ready" once
listening; runs until killed.
"""

import argparse
import asyncio
import email
import email.policy
import hashlib
import json
import os
import ssl
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, out):
        self.out = out
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        parts = []
        for part in message.walk():
            if part.is_multipart():
                continue
            payload = part.get_payload(decode=True) or b""
            entry = {
                "type": part.get_content_type(),
                "filename": part.get_filename(),
                "size": len(payload),
                "sha256": hashlib.sha256(payload).hexdigest(),
            }
            if part.get_content_maintype() == "text":
                entry["text"] = part.get_content()
            parts.append(entry)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "headers": [[k, str(v)] for k, v in message.items()],
            "raw_headers": envelope.content.split(b"\r\n\r\n", 1)[0].decode("ascii", "replace"),
            "parts": parts,
        }
        self.count += 1
        path = os.path.join(self.out, f"{self.count:04}.json")
        with open(path + ".part", "w") as f:
            json.dump(record, f)
        os.replace(path + ".part", path)
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("out")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    options = {}
    if args.cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        options = {"tls_context": context, "require_starttls": True}
    controller = Controller(Sink(args.out), hostname="127.0.0.1", port=args.port, **options)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    sys.exit(main())
