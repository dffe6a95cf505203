"""Starts `$CHAT_ARCHIVE_BIN emulator --port 0` once per session and hands its endpoint to the tests."""

import base64
import hashlib
import hmac
import json
import os
import selectors
import signal
import subprocess
import time
from dataclasses import dataclass

import pytest


@dataclass
class Emulator:
    endpoint: str
    access_key: str
    connection_string: str
    ca_path: str
    seeded_users: list


def _start(tmp_dir, extra_args=()):
    binary = os.environ.get("CHAT_ARCHIVE_BIN")
    if not binary:
        pytest.exit("CHAT_ARCHIVE_BIN is not set (run Tests/Conformance/run.sh PATH/TO/chat-archive)", returncode=2)
    cert = os.path.join(tmp_dir, "emulator-ca.pem")
    seed_out = os.path.join(tmp_dir, "seed.json")
    process = subprocess.Popen(
        [binary, "emulator", "--port", "0", "--cert-out", cert, "--seed-out", seed_out,
         "--seed-threads", "4", "--seed-messages", "400", "--seed", "5", *extra_args],
        stdout=subprocess.PIPE,
        text=True,
    )
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + 120
    line = ""
    while time.monotonic() < deadline and not line:
        if selector.select(timeout=1):
            line = process.stdout.readline()
            if not line:
                break
    selector.close()
    if not line.startswith("ready "):
        process.kill()
        process.wait()
        raise RuntimeError("the emulator did not print its ready line")
    fields = dict(part.split("=", 1) for part in line[len("ready "):].strip().split(";"))
    with open(seed_out, encoding="utf-8") as handle:
        users = json.load(handle)["users"]
    emulator = Emulator(
        endpoint=fields["endpoint"],
        access_key=fields["accesskey"],
        connection_string=line[len("ready "):].strip(),
        ca_path=cert,
        seeded_users=users,
    )
    return process, emulator


def _run(tmp_path_factory, extra_args=()):
    process, running = _start(str(tmp_path_factory.mktemp("emulator")), extra_args)
    try:
        yield running
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise
        assert code == 0, f"the emulator exited with {code} after SIGTERM"


@pytest.fixture(scope="session")
def emulator(tmp_path_factory):
    for running in _run(tmp_path_factory):
        # The sync clients (requests) trust the emulator's root through the environment, as users would set it.
        os.environ["REQUESTS_CA_BUNDLE"] = running.ca_path
        yield running


@pytest.fixture(scope="session")
def live_shaped_emulator(tmp_path_factory):
    """A second emulator answering errors in the live service's {"CommunicationError": ...} shape."""
    yield from _run(tmp_path_factory, ("--error-shape", "live"))


def forge_token(emulator, raw_id, exp):
    """A token in the emulator's own format (HS256 with the access key), e.g. an already-expired one."""

    def b64url(data):
        return base64.urlsafe_b64encode(data).decode().rstrip("=")

    header = b64url(b'{"alg":"HS256","kid":"1","typ":"JWT"}')
    nonce = 0
    while True:
        claims = {"skypeid": raw_id[2:], "scp": 1792, "csi": str(int(time.time())), "exp": int(exp),
                  "acsScope": "chat", "resourceId": "x", "iat": int(time.time()), "gen": 0, "nonce": nonce}
        payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
        if "-" not in payload and "_" not in payload:
            break
        nonce += 1
    signing_input = f"{header}.{payload}".encode()
    signature = hmac.new(base64.b64decode(emulator.access_key), signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"
