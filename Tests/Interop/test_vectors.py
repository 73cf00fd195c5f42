#!/usr/bin/env python3
"""Checks proto-spec/vectors/*.hex against WIRE.md section 14 with the Python codec.

    python3 Tests/Interop/test_vectors.py [--vectors DIR]

For every file: parse the hex dump, decode it, compare the decoded fields with the frame WIRE.md
describes, and re-encode it byte for byte. Frames small enough to assemble by hand are also
compared with bytes written out below directly from the spec's tables (this catches a mistake
that the encoder and decoder would share, such as a wrong byte order). Prints
`vectors: N passed, M failed` and exits non-zero on failure.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import aftercare_wire as w  # noqa: E402

DEFAULT_VECTORS = HERE.parent.parent / "proto-spec" / "vectors"


def parse_hex_file(text: str) -> bytes:
    """WIRE.md section 14: `#` starts a comment; bytes are hex pairs separated by white space."""
    tokens: list[str] = []
    for line in text.splitlines():
        tokens += line.split("#", 1)[0].split()
    for token in tokens:
        if not re.fullmatch(r"[0-9a-fA-F]{2}", token):
            raise ValueError(f"not a hex pair: {token!r}")
    return bytes(int(token, 16) for token in tokens)


def check_format(text: str) -> None:
    """The layout asked of these files: comments first, lowercase pairs, a trailing newline."""
    if not text.endswith("\n"):
        raise AssertionError("no trailing newline")
    lines = text.splitlines()
    if not lines or not lines[0].startswith("#"):
        raise AssertionError("does not start with a # comment")
    for line in lines:
        if line.startswith("#"):
            continue
        if not re.fullmatch(r"[0-9a-f]{2}( [0-9a-f]{2})*", line):
            raise AssertionError(f"not lowercase hex pairs separated by single spaces: {line!r}")


def h(text: str) -> bytes:
    return bytes.fromhex(text.replace("|", " "))


def ascii_hex(text: str) -> str:
    return text.encode("ascii").hex()


# Bytes assembled by hand from WIRE.md sections 3-5 (not from the encoder).
HELLO_TLVS_COMMON = (
    "80 01 00 02 01 00"  # version 1.0
    "|00 02 00 04 00 10 00 00"  # max frame 1,048,576
    "|00 03 00 04 00 40 00 00"  # max message 4,194,304
    "|00 04 00 04 00 00 20 00"  # max metadata 8,192
    "|00 05 00 04 00 00 04 00"  # max concurrent calls 1,024
    "|00 06 00 04 00 00 00 10"  # window 16
)
CALL_TLVS = (
    "80 01 00 1a" + ascii_hex("aftercare.echo.v1.Echo/Say")
    + "|80 02 00 08 00 00 00 00 00 16 e3 60"  # 1,500,000 us
    + "|00 03 00 1a 00 4bf92f3577b34da6a3ce929d0e0e4736 00f067aa0ba902b7 01"
    + "|80 04 00 11 05" + ascii_hex("sg_01") + "07" + ascii_hex("reserve") + "00 00 01"
    + "|80 05 00 15" + ascii_hex("sg_01/reserve/forward")
    + "|00 06 00 0a" + ascii_hex("buyer:b_42")
    + "|10 00 00 0b 06" + ascii_hex("tenant") + ascii_hex("acme")
)
BY_HAND: dict[str, bytes] = {
    "01-preface": h("41 46 54 43 0d 0a 1a 0a"),
    "02-hello-client": h(
        "00 00 00 49 41 00 00 49 00 00 00 00|" + HELLO_TLVS_COMMON
        + "|00 07 00 0e" + ascii_hex("python-interop") + "|00 08 00 05" + ascii_hex("1.0.0")
    ),
    "03-hello-server": h(
        "00 00 00 49 41 00 00 49 00 00 00 00|" + HELLO_TLVS_COMMON
        + "|00 07 00 0e" + ascii_hex("aftercare-echo") + "|00 08 00 05" + ascii_hex("0.1.0")
    ),
    "04-call": h("00 00 00 97 01 01 00 93 00 00 00 01|" + CALL_TLVS + "|0a 02 68 69"),
    "05-message": h("00 00 00 04 02 00 00 00 00 00 00 01|0a 02 68 69"),
    "06-end-ok": h("00 00 00 08 03 00 00 00 00 00 00 01|00 00 01 00 ff ff ff ff"),
    "07-end-exhausted": h(
        "00 00 00 2e 03 00 00 00 00 00 00 03|00 08 00 00 00 00 00 fa|"
        + ascii_hex("too many concurrent calls (limit 1024)")
    ),
    "08-cancel": h("00 00 00 01 04 00 00 00 00 00 00 05|02"),
    "09-credit": h("00 00 00 04 05 00 00 00 00 00 00 07|00 00 00 10"),
    "10-ping": h("00 00 00 08 42 00 00 00 00 00 00 00|01 02 03 04 05 06 07 08"),
    "11-pong": h("00 00 00 08 42 08 00 00 00 00 00 00|01 02 03 04 05 06 07 08"),
    "12-drain": h("00 00 00 09 43 00 00 00 00 00 00 00|00 00 00 09|00|00 00 13 88"),
    "13-conn-error": h("00 00 00 1a 44 00 00 00 00 00 00 00|00 01|" + ascii_hex("expected HELLO, got CALL")),
    "14-message-fragment": h("00 00 00 05 02 04 00 00 00 00 00 0b|0a 05 68 65 6c"),
}


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)


def expect_header(frame: w.Frame, frame_type: int, flags: int, stream_id: int) -> None:
    expect(frame.type == frame_type, f"type 0x{frame.type:02x}, expected 0x{frame_type:02x}")
    expect(frame.flags == flags, f"flags 0x{frame.flags:02x}, expected 0x{flags:02x}")
    expect(frame.stream_id == stream_id, f"stream id {frame.stream_id}, expected {stream_id}")


def tlv_tags(frame: w.Frame) -> list[int]:
    return [tag for tag, _ in w.decode_tlvs(frame.ext, "vector")]


HELLO_ORDER = [0x8001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0008]
CALL_ORDER = [0x8001, 0x8002, 0x0003, 0x8004, 0x8005, 0x0006, 0x1000]


def check_hello(peer: str, build: str) -> Callable[[w.Frame], None]:
    def check(frame: w.Frame) -> None:
        expect_header(frame, 0x41, 0, 0)
        expect(frame.payload == b"", "HELLO payload not empty")
        expect(tlv_tags(frame) == HELLO_ORDER, f"TLV order {[hex(t) for t in tlv_tags(frame)]}")
        f = w.decode_hello(frame).fields
        got = (f.version, f.max_frame_size, f.max_message_size, f.max_metadata_size, f.max_concurrent_calls,
               f.initial_window, f.peer_name, f.build)
        want = ((1, 0), 1_048_576, 4_194_304, 8_192, 1_024, 16, peer, build)
        expect(got == want, f"HELLO fields {got}, expected {want}")

    return check


def check_call(frame: w.Frame) -> None:
    expect_header(frame, 0x01, 0x01, 1)
    expect(tlv_tags(frame) == CALL_ORDER, f"TLV order {[hex(t) for t in tlv_tags(frame)]}")
    call = w.decode_call(frame)
    f = call.fields
    expect(call.end_stream and not call.more, "END_STREAM set, MORE clear")
    expect(f.method == "aftercare.echo.v1.Echo/Say", f"method {f.method!r}")
    expect(f.timeout_us == 1_500_000, f"timeout {f.timeout_us}")
    tp = f.traceparent
    expect(tp is not None and tp.is_valid, "traceparent present and valid")
    expect(tp.version == 0 and tp.trace_id_hex == "4bf92f3577b34da6a3ce929d0e0e4736", f"trace id {tp.trace_id_hex}")
    expect(tp.parent_id_hex == "00f067aa0ba902b7" and tp.flags == 0x01, f"parent {tp.parent_id_hex} flags {tp.flags}")
    expect(f.saga == w.SagaContext("sg_01", "reserve", 0, 1), f"saga {f.saga}")
    expect(f.idempotency_key == "sg_01/reserve/forward", f"idempotency key {f.idempotency_key!r}")
    expect(f.saga.default_idempotency_key == f.idempotency_key, "key equals the default key of the saga context")
    expect(f.actor == "buyer:b_42", f"actor {f.actor!r}")
    expect(f.metadata == [("tenant", b"acme")], f"metadata {f.metadata}")
    expect(call.payload == h("0a 02 68 69"), f"payload {call.payload.hex()}")


def check_message(stream_id: int, payload: bytes, more: bool) -> Callable[[w.Frame], None]:
    def check(frame: w.Frame) -> None:
        expect_header(frame, 0x02, 0x04 if more else 0, stream_id)
        expect(frame.ext == b"", "MESSAGE has no ext block")
        m = w.decode_message(frame)
        expect(m == w.Message(stream_id, payload, more=more), f"decoded {m}")

    return check


def check_end(stream_id: int, status: int, outcome: int, retry: int | None, message: str) -> Callable[[w.Frame], None]:
    def check(frame: w.Frame) -> None:
        expect_header(frame, 0x03, 0, stream_id)
        expect(frame.payload[3] == 0, "reserved byte 0")
        e = w.decode_end(frame)
        got = (e.status, e.outcome, e.retry_after_ms, e.message, e.trailers)
        expect(got == (status, outcome, retry, message, []), f"END fields {got}")

    return check


def check_simple(frame_type: int, flags: int, expected: object) -> Callable[[w.Frame], None]:
    def check(frame: w.Frame) -> None:
        sid = getattr(expected, "stream_id", 0)
        expect_header(frame, frame_type, flags, sid)
        got = w.decode_typed(frame)
        expect(got == expected, f"decoded {got}, expected {expected}")

    return check


PING = bytes(range(1, 9))
CHECKS: dict[str, Callable[[w.Frame], None]] = {
    "02-hello-client": check_hello("python-interop", "1.0.0"),
    "03-hello-server": check_hello("aftercare-echo", "0.1.0"),
    "04-call": check_call,
    "05-message": check_message(1, h("0a 02 68 69"), False),
    "06-end-ok": check_end(1, 0, 1, None, ""),
    "07-end-exhausted": check_end(3, 8, 0, 250, "too many concurrent calls (limit 1024)"),
    "08-cancel": check_simple(0x04, 0, w.Cancel(5, 2)),
    "09-credit": check_simple(0x05, 0, w.Credit(7, 16)),
    "10-ping": check_simple(0x42, 0, w.Ping(PING, ack=False)),
    "11-pong": check_simple(0x42, 0x08, w.Ping(PING, ack=True)),
    "12-drain": check_simple(0x43, 0, w.Drain(9, 0, 5_000)),
    "13-conn-error": check_simple(0x44, 0, w.ConnError(1, "expected HELLO, got CALL")),
    "14-message-fragment": check_message(11, h("0a 05 68 65 6c"), True),
}


def run_one(directory: Path, name: str) -> None:
    path = directory / f"{name}.hex"
    text = path.read_text(encoding="ascii")
    check_format(text)
    data = parse_hex_file(text)
    if name == "01-preface":
        expect(data == w.PREFACE, f"preface {data.hex(' ')}")
    else:
        frame = w.decode_frame(data)
        expect(frame.header.length == len(data) - 12, "length counts the body")
        CHECKS[name](frame)
        again = w.encode_typed(w.decode_typed(frame)).encode()
        expect(again == data, f"re-encoding differs:\n  file {data.hex(' ')}\n  ours {again.hex(' ')}")
    hand = BY_HAND[name]
    expect(data == hand, f"bytes differ from the hand-assembled frame:\n  file {data.hex(' ')}\n  hand {hand.hex(' ')}")


def main() -> int:
    parser = argparse.ArgumentParser(description="Checks the WIRE.md section 14 test vectors.")
    parser.add_argument("--vectors", type=Path, default=DEFAULT_VECTORS)
    args = parser.parse_args()
    passed = failed = 0
    names = list(BY_HAND)
    extra = sorted(p.stem for p in args.vectors.glob("*.hex") if p.stem not in BY_HAND)
    for name in names:
        try:
            run_one(args.vectors, name)
        except Exception as error:  # noqa: BLE001 - report every failure and go on
            failed += 1
            print(f"FAIL - {name}: {type(error).__name__}: {error}")
        else:
            passed += 1
            print(f"ok - {name}")
    for name in extra:
        failed += 1
        print(f"FAIL - {name}.hex is not listed in WIRE.md section 14")
    print(f"vectors: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
