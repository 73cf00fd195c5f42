#!/usr/bin/env python3
"""Writes proto-spec/vectors/*.hex (WIRE.md section 14) with the Python encoder.

    python3 Tests/Interop/make_vectors.py            # write the files
    python3 Tests/Interop/make_vectors.py --check    # only compare with the files on disk

Each file: `#` comment lines describing the frame field by field, then the bytes as lowercase
hex pairs, one line for the 12-byte header, one per TLV, then the payload (split where it has
a fixed part and a text part).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import aftercare_wire as w  # noqa: E402

DEFAULT_OUT = HERE.parent.parent / "proto-spec" / "vectors"

HELLO_TAG_NAMES = {
    w.HELLO_VERSION: "protocol version",
    w.HELLO_MAX_FRAME_SIZE: "max frame size",
    w.HELLO_MAX_MESSAGE_SIZE: "max message size",
    w.HELLO_MAX_METADATA_SIZE: "max metadata size",
    w.HELLO_MAX_CONCURRENT_CALLS: "max concurrent calls",
    w.HELLO_INITIAL_WINDOW: "initial stream window",
    w.HELLO_PEER_NAME: "peer name",
    w.HELLO_BUILD: "build",
}
CALL_TAG_NAMES = {
    w.CALL_METHOD: "method",
    w.CALL_TIMEOUT: "timeout",
    w.CALL_TRACEPARENT: "traceparent",
    w.CALL_SAGA: "saga context",
    w.CALL_IDEMPOTENCY_KEY: "idempotency key",
    w.CALL_ACTOR: "actor",
    w.METADATA_ENTRY: "metadata entry",
}

TRACEPARENT = w.Traceparent.from_hex("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", 0x01)
PING_DATA = bytes(range(1, 9))


@dataclass
class Vector:
    name: str
    title: str  # the frame as WIRE.md section 14 describes it
    frame: w.TypedFrame | None  # None for the preface
    field_notes: list[str]  # one comment line per field of the ext block / payload


def vectors() -> list[Vector]:
    hello_client = w.HelloFields((1, 0), 1_048_576, 4_194_304, 8_192, 1_024, 16, "python-interop", "1.0.0")
    hello_server = w.HelloFields((1, 0), 1_048_576, 4_194_304, 8_192, 1_024, 16, "aftercare-echo", "0.1.0")
    call_fields = w.CallFields(
        method="aftercare.echo.v1.Echo/Say",
        timeout_us=1_500_000,
        traceparent=TRACEPARENT,
        saga=w.SagaContext("sg_01", "reserve", w.Direction.FORWARD, 1),
        idempotency_key="sg_01/reserve/forward",
        actor="buyer:b_42",
        metadata=[("tenant", b"acme")],
    )
    hello_notes = lambda h: [  # noqa: E731
        f"TLV 0x8001 protocol version: {h.version[0]}.{h.version[1]}",
        f"TLV 0x0002 max frame size: {h.max_frame_size:,}",
        f"TLV 0x0003 max message size: {h.max_message_size:,}",
        f"TLV 0x0004 max metadata size: {h.max_metadata_size:,}",
        f"TLV 0x0005 max concurrent calls: {h.max_concurrent_calls:,}",
        f"TLV 0x0006 initial stream window: {h.initial_window}",
        f"TLV 0x0007 peer name: {h.peer_name!r}",
        f"TLV 0x0008 build: {h.build!r}",
        "payload: empty",
    ]
    too_many = "too many concurrent calls (limit 1024)"
    return [
        Vector("01-preface", "the preface", None, ['"AFTC" CR LF SUB LF (41 46 54 43 0d 0a 1a 0a)']),
        Vector("02-hello-client", "HELLO from the client", w.Hello(hello_client), hello_notes(hello_client)),
        Vector("03-hello-server", "HELLO from the server", w.Hello(hello_server), hello_notes(hello_server)),
        Vector(
            "04-call",
            "CALL stream 1, END_STREAM",
            w.Call(1, call_fields, bytes.fromhex("0a026869"), end_stream=True),
            [
                "TLV 0x8001 method: 'aftercare.echo.v1.Echo/Say'",
                "TLV 0x8002 timeout: u64 1,500,000 microseconds",
                "TLV 0x0003 traceparent: version 0, trace 4bf92f3577b34da6a3ce929d0e0e4736, "
                "parent 00f067aa0ba902b7, flags 01",
                "TLV 0x8004 saga context: saga 'sg_01' (len 5), step 'reserve' (len 7), direction 0 forward, attempt 1",
                "TLV 0x8005 idempotency key: 'sg_01/reserve/forward'",
                "TLV 0x0006 actor: 'buyer:b_42'",
                "TLV 0x1000 metadata entry: key_len 6, key 'tenant', value 'acme'",
                'payload: EchoRequest{text: "hi"}',
            ],
        ),
        Vector("05-message", "MESSAGE stream 1", w.Message(1, bytes.fromhex("0a026869")), ['payload: EchoResponse{text: "hi"}']),
        Vector(
            "06-end-ok",
            "END stream 1",
            w.End(1, w.Status.OK, w.Outcome.EXECUTED, None, ""),
            ["payload: status 0 OK, outcome 1 executed, reserved 0, retry_after_ms 0xffffffff (no hint), message empty"],
        ),
        Vector(
            "07-end-exhausted",
            "END stream 3",
            w.End(3, w.Status.RESOURCE_EXHAUSTED, w.Outcome.NOT_EXECUTED, 250, too_many),
            [
                "payload: status 8 RESOURCE_EXHAUSTED, outcome 0 not executed, reserved 0, retry_after_ms 250",
                f"payload (rest): message {too_many!r}",
            ],
        ),
        Vector("08-cancel", "CANCEL stream 5", w.Cancel(5, w.CancelReason.CANCELLED), ["payload: reason 2 (cancelled by the caller)"]),
        Vector("09-credit", "CREDIT stream 7", w.Credit(7, 16), ["payload: increment u32 16"]),
        Vector("10-ping", "PING", w.Ping(PING_DATA), ["payload: 8 opaque bytes 01 02 03 04 05 06 07 08"]),
        Vector("11-pong", "PING with ACK (PONG)", w.Ping(PING_DATA, ack=True), ["payload: the same 8 bytes as the PING"]),
        Vector(
            "12-drain",
            "DRAIN",
            w.Drain(9, w.DrainReason.SHUTDOWN, 5_000),
            ["payload: last_stream_id u32 9, reason u8 0 (shutdown), deadline_ms u32 5,000"],
        ),
        Vector(
            "13-conn-error",
            "CONN_ERROR",
            w.ConnError(w.ConnErrorCode.PROTOCOL_ERROR, "expected HELLO, got CALL"),
            ["payload: code u16 1 PROTOCOL_ERROR", "payload (rest): text 'expected HELLO, got CALL'"],
        ),
        Vector(
            "14-message-fragment",
            "MESSAGE stream 11 with MORE",
            w.Message(11, bytes.fromhex("0a0568656c"), more=True),
            ['payload: the first fragment of EchoResponse{text: "hello"} (0a 05 68 65 6c)'],
        ),
    ]


def flag_names(frame_type: int, flags: int) -> str:
    names = [flag.name for flag in w.Flag if flags & flag]
    return f"0x{flags:02x}" + (f" {'|'.join(names)}" if names else "")


def groups(frame: w.Frame) -> list[bytes]:
    """The frame's bytes cut into readable lines: header, one per TLV, payload part(s)."""
    parts = [frame.header.encode()]
    for tlv in w.decode_tlvs(frame.ext, "vector"):
        parts.append(w.encode_tlvs([tlv]))
    if frame.type == w.FrameType.END and len(frame.payload) > 8:
        parts += [frame.payload[:8], frame.payload[8:]]
    elif frame.type == w.FrameType.CONN_ERROR and len(frame.payload) > 2:
        parts += [frame.payload[:2], frame.payload[2:]]
    elif frame.payload:
        parts.append(frame.payload)
    return parts


def render(vector: Vector) -> bytes:
    lines = [f"# {vector.name}.hex: {vector.title} (WIRE.md section 14). Generated by Tests/Interop/make_vectors.py."]
    if vector.frame is None:
        data_groups = [w.PREFACE]
        lines += [f"# {note}" for note in vector.field_notes]
    else:
        frame = w.encode_typed(vector.frame)
        data_groups = groups(frame)
        h = frame.header
        lines.append(
            f"# header: length {h.length}, type 0x{h.type:02x} {w.FrameType(h.type).name}, "
            f"flags {flag_names(h.type, h.flags)}, ext_len {h.ext_len}, stream_id {h.stream_id}"
        )
        lines += [f"# {note}" for note in vector.field_notes]
        lines.append("# lines below: the 12-byte header" + (", one line per TLV" if frame.ext else "") + (", the payload" if frame.payload else ""))
        assert b"".join(data_groups) == frame.encode()
    lines += [" ".join(f"{b:02x}" for b in group) for group in data_groups]
    return ("\n".join(lines) + "\n").encode("ascii")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"directory (default {DEFAULT_OUT})")
    parser.add_argument("--check", action="store_true", help="compare with the files instead of writing them")
    args = parser.parse_args()
    stale = 0
    for vector in vectors():
        path = args.out / f"{vector.name}.hex"
        content = render(vector)
        if args.check:
            if not path.exists() or path.read_bytes() != content:
                print(f"stale: {path}")
                stale += 1
        else:
            args.out.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            print(f"wrote {path}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
