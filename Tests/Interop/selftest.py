#!/usr/bin/env python3
"""Self-test of the Python client, without the Swift server.

    python3 Tests/Interop/selftest.py

Part 1 plays the server by hand over a socketpair and checks what `Connection` does: the
preface and HELLO, PING answers, MORE reassembly, request fragmentation, deadlines (CANCEL),
DRAIN, CONN_ERROR, oversized frames and ignored extension frames.

Part 2 (needs `openssl`, `protoc` and the protobuf package; skipped otherwise) runs a small fake
echo server, written here with the same codec, behind mutual TLS 1.3 on a Unix socket in /tmp,
and runs interop_client.py against it, plus a refused client certificate and a wrong server name.
The fake server proves only that the client and the checks work, not that the spec is complete.

Prints `selftest: N passed, M failed` and exits non-zero on failure. SELFTEST_VERBOSE=1 also
prints what interop_client.py printed in part 2.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import aftercare_wire as w  # noqa: E402

PROTO_DIR = HERE.parent.parent / "proto-spec"


# --------------------------------------------------------------------------------------------
# A hand-played server end
# --------------------------------------------------------------------------------------------


class Peer:
    """The server side of a socketpair, driven step by step by a test."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.sock.settimeout(5)

    def read_exact(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise EOFError("client closed")
            data += chunk
        return data

    def read_frame(self) -> w.Frame:
        header = w.FrameHeader.decode(self.read_exact(w.HEADER_SIZE))
        return w.Frame.from_parts(header, self.read_exact(header.length))

    def read_typed(self):
        return w.decode_typed(self.read_frame())

    def send(self, *frames) -> None:
        for frame in frames:
            if isinstance(frame, bytes):
                data = frame
            elif isinstance(frame, w.Frame):
                data = frame.encode()
            else:
                data = w.encode_typed(frame).encode()
            self.sock.sendall(data)

    def accept_client(self, server_hello: w.HelloFields | None = None) -> w.HelloFields:
        assert self.read_exact(8) == w.PREFACE, "preface"
        hello = self.read_typed()
        assert isinstance(hello, w.Hello), f"expected HELLO, got {hello}"
        self.send(w.Hello(server_hello or w.HelloFields(peer_name="fake", build="0")))
        return hello.fields


def with_peer(script: Callable[[Peer], object], client: Callable[[socket.socket], object]) -> tuple[object, object]:
    """Runs ``script`` as the server in a thread and ``client`` here; returns both results."""
    client_sock, server_sock = socket.socketpair()
    result: dict[str, object] = {}

    def run() -> None:
        try:
            result["server"] = script(Peer(server_sock))
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            result["server_error"] = error
        finally:
            server_sock.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        client_result = client(client_sock)
    finally:
        thread.join(10)
    if thread.is_alive():
        raise AssertionError("the fake server did not finish")
    if "server_error" in result:
        raise result["server_error"]
    return client_result, result.get("server")


def connect(sock: socket.socket, **kwargs) -> w.Connection:
    return w.Connection(sock, connect_timeout=3, io_timeout=3, **kwargs)


# --------------------------------------------------------------------------------------------
# Part 1: Connection against a hand-played server
# --------------------------------------------------------------------------------------------


def test_unary_call_with_ping_and_fragments() -> None:
    response = b"\x0a\x05hello" + b"\x12\x10" + bytes(range(16))

    def server(peer: Peer):
        assert peer.read_exact(8) == w.PREFACE
        hello = peer.read_typed()
        assert hello.fields.version == (1, 0) and hello.fields.peer_name == "python-interop"
        peer.send(w.Ping(b"pre-helo"))  # a PING before the server HELLO is answered too
        assert peer.read_typed() == w.Ping(b"pre-helo", ack=True)
        peer.send(w.Hello(w.HelloFields(peer_name="fake", build="0")))
        call_frame = peer.read_frame()
        assert call_frame.flags == w.Flag.END_STREAM, call_frame.flags
        call = w.decode_call(call_frame)
        peer.send(w.Ping(b"12345678"))
        assert peer.read_typed() == w.Ping(b"12345678", ack=True)
        peer.send(
            w.Message(call.stream_id, response[:3], more=True),
            w.Frame(0x9A, 0, 0, b"", b"an extension frame"),  # ignored
            w.Message(call.stream_id, response[3:10], more=True),
            w.Ping(b"87654321", ack=True),  # a PONG that answers nothing: ignored
            w.Ping(b"abcdefgh"),  # between fragments
            w.Message(call.stream_id, response[10:]),
            w.End(call.stream_id, w.Status.OK, w.Outcome.EXECUTED, None, "", [("trailer-bin", b"\x00\xff")]),
        )
        assert peer.read_typed() == w.Ping(b"abcdefgh", ack=True)
        return call

    def client(sock):
        with connect(sock) as connection:
            result = connection.call(
                "aftercare.echo.v1.Echo/Say", b"\x0a\x02hi", timeout_us=2_000_000,
                traceparent=w.Traceparent.from_hex("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"),
                saga=w.SagaContext("sg_1", "pay", w.Direction.COMPENSATE, 3), actor="buyer:b_1",
                metadata=[("tenant", "acme"), ("blob-bin", b"\x00\x01")],
            )
            assert connection.pings_answered == 3, connection.pings_answered
            return result

    result, call = with_peer(server, client)
    status, outcome, message, body = result
    assert (status, outcome, message, body) == (0, 1, "", response), result
    assert result.trailers == (("trailer-bin", b"\x00\xff"),)
    f = call.fields
    assert call.stream_id == 1 and f.method == "aftercare.echo.v1.Echo/Say" and f.timeout_us == 2_000_000
    assert f.traceparent.trace_id_hex == "4bf92f3577b34da6a3ce929d0e0e4736"
    assert f.saga == w.SagaContext("sg_1", "pay", 1, 3) and f.idempotency_key is None
    assert f.effective_idempotency_key == "sg_1/pay/compensate"
    assert f.actor == "buyer:b_1" and f.metadata == [("tenant", b"acme"), ("blob-bin", b"\x00\x01")]


def test_stream_ids_are_odd_and_increasing() -> None:
    def server(peer: Peer):
        peer.accept_client()
        ids = []
        for _ in range(3):
            call = peer.read_typed()
            ids.append(call.stream_id)
            peer.send(w.End(call.stream_id, w.Status.NOT_FOUND, w.Outcome.EXECUTED, 10, "no such thing"))
        return ids

    def client(sock):
        with connect(sock) as connection:
            return [tuple(connection.call("a.b/C", b"")) for _ in range(3)]

    results, ids = with_peer(server, client)
    assert ids == [1, 3, 5], ids
    assert results == [(5, 1, "no such thing", None)] * 3, results


def test_conn_error_instead_of_hello() -> None:
    def server(peer: Peer):
        peer.read_exact(8)
        peer.read_frame()
        peer.send(w.ConnError(w.ConnErrorCode.UNSUPPORTED_VERSION, "aftercare-echo speaks protocol 2.x, the client sent 1.0"))

    def client(sock):
        try:
            connect(sock)
        except w.ConnectError as error:
            return error
        raise AssertionError("no ConnectError")

    error, _ = with_peer(server, client)
    assert error.code == 2 and "speaks protocol 2.x" in error.text, (error.code, error.text)
    assert "UNSUPPORTED_VERSION" in str(error) and "speaks protocol 2.x" in str(error), str(error)


def test_close_before_hello() -> None:
    def server(peer: Peer):
        peer.read_exact(8)
        peer.read_frame()  # the HELLO; closing with it unread could reset instead of close

    def client(sock):
        try:
            connect(sock)
        except w.ConnectError as error:
            return error
        raise AssertionError("no ConnectError")

    error, _ = with_peer(server, client)
    assert error.code is None and "closed" in str(error), str(error)


def test_server_hello_with_other_major() -> None:
    def server(peer: Peer):
        peer.accept_client(w.HelloFields(version=(2, 0)))

    def client(sock):
        try:
            connect(sock)
        except w.ConnectError as error:
            return error
        raise AssertionError("no ConnectError")

    error, _ = with_peer(server, client)
    assert "2.0" in str(error), str(error)


def test_bad_server_hello_is_protocol_error() -> None:
    def server(peer: Peer):
        peer.read_exact(8)
        peer.read_frame()
        ext = w.encode_tlvs([(0x8001, b"\x01\x00"), (0x0002, struct.pack(">I", 100))])  # max frame below 16,384
        peer.send(w.Frame(w.FrameType.HELLO, 0, 0, ext, b"").encode())
        return peer.read_typed()

    def client(sock):
        try:
            connect(sock)
        except w.ConnectError as error:
            return error
        raise AssertionError("no ConnectError")

    error, sent = with_peer(server, client)
    assert isinstance(sent, w.ConnError) and sent.code == 1 and "max frame size" in sent.text, sent
    assert "max frame size" in str(error)


def test_no_hello_times_out() -> None:
    def server(peer: Peer):
        peer.read_exact(8)
        peer.read_frame()
        time.sleep(1.5)

    def client(sock):
        try:
            w.Connection(sock, connect_timeout=0.5)
        except w.ConnectError as error:
            return error
        raise AssertionError("no ConnectError")

    error, _ = with_peer(server, client)
    assert "no HELLO" in str(error), str(error)


def test_request_fragmentation() -> None:
    request = bytes(i % 251 for i in range(40_000))

    def server(peer: Peer):
        peer.accept_client(w.HelloFields(max_frame_size=16_384))
        first = peer.read_frame()
        assert first.type == w.FrameType.CALL and first.flags == w.Flag.MORE, first.flags
        assert first.header.length == 16_384, first.header.length
        parts = [first.payload]
        while True:
            frame = peer.read_frame()
            assert frame.type == w.FrameType.MESSAGE and frame.header.length <= 16_384
            parts.append(frame.payload)
            if frame.flags & w.Flag.END_STREAM:
                assert not frame.flags & w.Flag.MORE
                break
            assert frame.flags == w.Flag.MORE
        peer.send(w.Message(first.stream_id, b"ok"), w.End(first.stream_id))
        return b"".join(parts), len(parts)

    def client(sock):
        with connect(sock) as connection:
            return connection.call("a.b/C", request)

    result, (received, count) = with_peer(server, client)
    assert received == request and count == 3, count
    assert tuple(result) == (0, 1, "", b"ok")


def test_deadline_sends_cancel_and_late_frames_are_ignored() -> None:
    def server(peer: Peer):
        peer.accept_client()
        first = peer.read_typed()
        cancel = peer.read_typed()
        peer.send(w.Message(first.stream_id, b"late"), w.End(first.stream_id, w.Status.CANCELLED, w.Outcome.UNKNOWN))
        second = peer.read_typed()
        peer.send(w.Message(second.stream_id, b"second"), w.End(second.stream_id))
        return cancel, second.stream_id

    def client(sock):
        with connect(sock) as connection:
            started = time.monotonic()
            first = connection.call("a.b/Slow", b"", timeout_us=200_000)
            took = time.monotonic() - started
            return first, took, connection.call("a.b/C", b"")

    (first, took, second), (cancel, second_id) = with_peer(server, client)
    assert tuple(first) == (w.Status.DEADLINE_EXCEEDED, w.Outcome.UNKNOWN, "deadline exceeded (client side)", None), first
    assert 0.15 < took < 2, took
    assert cancel == w.Cancel(1, w.CancelReason.DEADLINE_EXCEEDED), cancel
    assert second_id == 3 and tuple(second) == (0, 1, "", b"second"), second


def test_drain() -> None:
    def server(peer: Peer):
        peer.accept_client()
        peer.read_typed()  # call 1
        peer.read_typed()  # call 3
        peer.send(w.Drain(1, w.DrainReason.SHUTDOWN, 5_000), w.Message(1, b"one"), w.End(1))
        return None

    def client(sock):
        with connect(sock) as connection:
            # write two CALLs by hand so that both are open when DRAIN arrives
            c1 = w.encode_call(w.Call(1, w.CallFields("a.b/C"))).encode()
            c3 = w.encode_call(w.Call(3, w.CallFields("a.b/C"))).encode()
            connection._send(c1 + c3)
            connection._next_stream_id, connection._highest_stream_id = 5, 3
            dropped = connection._await_end(3, time.monotonic() + 3)
            kept = connection._await_end(1, time.monotonic() + 3)
            after = connection.call("a.b/C", b"")
            return dropped, kept, after

    (dropped, kept, after), _ = with_peer(server, client)
    assert (dropped.status, dropped.outcome) == (w.Status.UNAVAILABLE, w.Outcome.NOT_EXECUTED), dropped
    assert tuple(kept) == (0, 1, "", b"one"), kept
    assert (after.status, after.outcome) == (w.Status.UNAVAILABLE, w.Outcome.NOT_EXECUTED), after


def test_conn_error_mid_call() -> None:
    def server(peer: Peer):
        peer.accept_client()
        peer.read_typed()
        peer.send(w.ConnError(w.ConnErrorCode.INTERNAL_ERROR, "disk on fire"))

    def client(sock):
        with connect(sock) as connection:
            return connection.call("a.b/C", b""), connection.call("a.b/C", b"")

    (during, after), _ = with_peer(server, client)
    assert (during.status, during.outcome) == (w.Status.UNAVAILABLE, w.Outcome.UNKNOWN), during
    assert "disk on fire" in during.message and "INTERNAL_ERROR" in during.message, during.message
    assert (after.status, after.outcome) == (w.Status.UNAVAILABLE, w.Outcome.NOT_EXECUTED), after


def test_close_mid_call() -> None:
    def server(peer: Peer):
        peer.accept_client()
        peer.read_typed()

    def client(sock):
        with connect(sock) as connection:
            return connection.call("a.b/C", b"", timeout_us=3_000_000)

    result, _ = with_peer(server, client)
    assert (result.status, result.outcome) == (w.Status.UNAVAILABLE, w.Outcome.UNKNOWN), result


def test_frame_too_large() -> None:
    def server(peer: Peer):
        peer.accept_client()
        call = peer.read_typed()
        # header only: the client must refuse it from the header alone (its max is 1,048,576)
        peer.send(w.FrameHeader(1_048_577, w.FrameType.MESSAGE, 0, 0, call.stream_id).encode())
        return peer.read_typed()

    def client(sock):
        with connect(sock) as connection:
            return connection.call("a.b/C", b"")

    result, sent = with_peer(server, client)
    assert sent.code == w.ConnErrorCode.FRAME_TOO_LARGE, sent
    assert (result.status, result.outcome) == (w.Status.UNAVAILABLE, w.Outcome.UNKNOWN), result


def test_protocol_errors_from_server() -> None:
    cases = [
        ("unknown type 0x10", lambda sid: w.Frame(0x10, 0, sid, b"", b"").encode()),
        ("stream frame with id 0", lambda sid: w.Frame(w.FrameType.MESSAGE, 0, 0, b"", b"x").encode()),
        ("never opened", lambda sid: w.encode_message(w.Message(sid + 2, b"x")).encode()),
        ("compressed", lambda sid: w.Frame(w.FrameType.MESSAGE, w.Flag.COMPRESSED, sid, b"", b"x").encode()),
        ("MESSAGE with ext", lambda sid: w.Frame(w.FrameType.MESSAGE, 0, sid, b"\x00\x01\x00\x00", b"").encode()),
        ("short END", lambda sid: w.Frame(w.FrameType.END, 0, sid, b"", b"\x00" * 7).encode()),
        ("second HELLO", lambda sid: w.encode_hello(w.Hello(w.HelloFields())).encode()),
        ("CALL from server", lambda sid: w.encode_call(w.Call(sid, w.CallFields("a.b/C"))).encode()),
        ("END after MORE", lambda sid: w.encode_message(w.Message(sid, b"x", more=True)).encode()
         + w.encode_end(w.End(sid)).encode()),
        ("bit 31", lambda sid: w.HEADER.pack(0, w.FrameType.END, 0, 0, 0x8000_0001)),
    ]
    for name, make in cases:
        def server(peer: Peer, make=make):
            peer.accept_client()
            call = peer.read_typed()
            peer.send(make(call.stream_id))
            return peer.read_typed()

        def client(sock):
            with connect(sock) as connection:
                return connection.call("a.b/C", b"")

        result, sent = with_peer(server, client)
        assert isinstance(sent, w.ConnError) and sent.code == w.ConnErrorCode.PROTOCOL_ERROR, (name, sent)
        assert (result.status, result.outcome) == (w.Status.UNAVAILABLE, w.Outcome.UNKNOWN), (name, result)


def test_response_too_large() -> None:
    def server(peer: Peer):
        peer.accept_client()
        call = peer.read_typed()
        piece = b"x" * 16_000
        for _ in range(2):
            peer.send(w.Message(call.stream_id, piece, more=True))
        return peer.read_typed()

    def client(sock):
        hello = w.HelloFields(max_message_size=16_384)
        with connect(sock, hello=hello) as connection:
            return connection.call("a.b/C", b"")

    result, cancel = with_peer(server, client)
    assert (result.status, result.outcome) == (w.Status.RESOURCE_EXHAUSTED, w.Outcome.UNKNOWN), result
    assert isinstance(cancel, w.Cancel) and cancel.stream_id == 1, cancel


def test_argument_checks() -> None:
    def server(peer: Peer):
        peer.accept_client()

    def client(sock):
        with connect(sock) as connection:
            for key in ("actor", "saga-id", "traceparent", "idempotency-key", "Upper", "", "x" * 65):
                try:
                    connection.call("a.b/C", b"", metadata={key: "v"})
                except ValueError:
                    continue
                raise AssertionError(f"metadata key {key!r} accepted")

    with_peer(server, client)


def test_codec_edges() -> None:
    # END: status above 16 reads as UNKNOWN; retry hint 0 is a hint, not "none"
    end = w.decode_end(w.Frame(w.FrameType.END, 0, 1, b"", struct.pack(">HBBI", 99, 1, 0, 0) + b"m"))
    assert (end.status, end.outcome, end.retry_after_ms, end.message) == (w.Status.UNKNOWN, 1, 0, "m")
    # TLV running past the ext block
    for block in (b"\x00\x07\x00\x05abc", b"\x00"):
        try:
            w.decode_hello_fields(block)
        except w.ProtocolError:
            continue
        raise AssertionError(f"accepted {block!r}")
    # must-understand unknown HELLO tag fails, unknown optional tag is skipped
    try:
        w.decode_hello_fields(w.encode_tlvs([(0x8001, b"\x01\x00"), (0x8099, b"")]))
        raise AssertionError("accepted unknown must-understand HELLO tag")
    except w.ProtocolError:
        pass
    assert w.decode_hello_fields(w.encode_tlvs([(0x0099, b"zz"), (0x8001, b"\x01\x03")])).version == (1, 3)
    # CALL field errors a server would answer with INVALID_ARGUMENT
    bad_blocks = {
        "missing method": w.encode_tlvs([(0x8002, bytes(8))]),
        "unknown must-understand": w.encode_tlvs([(0x8001, b"a.b/C"), (0x80FF, b"")]),
        "duplicate": w.encode_tlvs([(0x8001, b"a.b/C"), (0x8001, b"a.b/D")]),
        "direction 7": w.encode_tlvs([(0x8001, b"a.b/C"), (0x8004, b"\x01s\x01t\x07\x00\x01")]),
        "attempt 0": w.encode_tlvs([(0x8001, b"a.b/C"), (0x8004, b"\x01s\x01t\x00\x00\x00")]),
        "reserved key": w.encode_tlvs([(0x8001, b"a.b/C"), (0x1000, b"\x05actorx")]),
        "bad key": w.encode_tlvs([(0x8001, b"a.b/C"), (0x1000, b"\x01Ax")]),
        "short timeout": w.encode_tlvs([(0x8001, b"a.b/C"), (0x8002, bytes(4))]),
    }
    for name, block in bad_blocks.items():
        try:
            w.decode_call_fields(block)
        except w.CallFieldError as error:
            assert error.status == w.Status.INVALID_ARGUMENT
            continue
        raise AssertionError(f"accepted CALL fields: {name}")
    # an invalid traceparent is ignored, not an error; metadata repeats; any TLV order
    fields = w.decode_call_fields(w.encode_tlvs([
        (0x1000, b"\x01ax"), (0x0003, bytes(5)), (0x8001, b"a.b/C"), (0x1000, b"\x01by"),
    ]))
    assert fields.traceparent is None and fields.metadata == [("a", b"x"), ("b", b"y")]
    zero = w.decode_call_fields(w.encode_tlvs([(0x8001, b"a.b/C"), (0x0003, bytes(26))]))
    assert zero.traceparent is not None and not zero.traceparent.is_valid


PART1 = [
    test_unary_call_with_ping_and_fragments,
    test_stream_ids_are_odd_and_increasing,
    test_conn_error_instead_of_hello,
    test_close_before_hello,
    test_server_hello_with_other_major,
    test_bad_server_hello_is_protocol_error,
    test_no_hello_times_out,
    test_request_fragmentation,
    test_deadline_sends_cancel_and_late_frames_are_ignored,
    test_drain,
    test_conn_error_mid_call,
    test_close_mid_call,
    test_frame_too_large,
    test_protocol_errors_from_server,
    test_response_too_large,
    test_argument_checks,
    test_codec_edges,
]


# --------------------------------------------------------------------------------------------
# Part 2: a fake echo server behind mutual TLS, and interop_client.py against it
# --------------------------------------------------------------------------------------------


def make_pki(directory: Path) -> dict[str, Path]:
    """A throwaway CA, a server certificate for echo.aftercare.internal, and client certificates."""
    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=directory, timeout=60)

    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
        "-subj", "/CN=interop test CA", "-keyout", "ca.key", "-out", "ca.pem",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign")
    for name, san in (("server", "echo.aftercare.internal"), ("client", "python-interop.aftercare.internal")):
        run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", f"/CN={name}",
            "-keyout", f"{name}.key", "-out", f"{name}.csr")
        (directory / f"{name}.ext").write_text(f"subjectAltName=DNS:{san}\nbasicConstraints=CA:FALSE\n")
        run("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-days", "2", "-out", f"{name}.pem", "-extfile", f"{name}.ext")
    # a client certificate from another CA, which the server must refuse
    run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2",
        "-subj", "/CN=stranger", "-keyout", "stranger.key", "-out", "stranger.pem",
        "-addext", "subjectAltName=DNS:stranger.aftercare.internal")
    return {name: directory / name for name in
            ("ca.pem", "server.pem", "server.key", "client.pem", "client.key", "stranger.pem", "stranger.key")}


class FakeEchoServer:
    """Just enough of an echo server (WIRE.md + echo.proto) to exercise interop_client.py."""

    def __init__(self, path: str, pki: dict[str, Path], echo_pb2) -> None:
        self.echo_pb2 = echo_pb2
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.minimum_version = ssl.TLSVersion.TLSv1_3
        self.context.load_cert_chain(str(pki["server.pem"]), str(pki["server.key"]))
        self.context.load_verify_locations(str(pki["ca.pem"]))
        self.context.verify_mode = ssl.CERT_REQUIRED
        self.context.set_alpn_protocols([w.ALPN_PROTOCOL])
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        self.listener.listen(8)
        self.listener.settimeout(0.2)
        self.stopping = False
        self.errors: list[str] = []
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopping = True
        self.thread.join(5)
        self.listener.close()

    def serve(self) -> None:
        while not self.stopping:
            try:
                raw, _ = self.listener.accept()
            except (TimeoutError, socket.timeout):
                continue
            threading.Thread(target=self.handle, args=(raw,), daemon=True).start()

    def handle(self, raw: socket.socket) -> None:
        raw.settimeout(5)
        creds = raw.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        _pid, uid, gid = struct.unpack("3i", creds)
        try:
            tls = self.context.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError) as error:
            self.errors.append(f"handshake: {error}")
            raw.close()
            return
        try:
            if tls.selected_alpn_protocol() != w.ALPN_PROTOCOL:
                return
            cert = tls.getpeercert()
            sans = [value for kind, value in cert.get("subjectAltName", ()) if kind == "DNS"]
            principals = sorted([f"name:{sans[0]}", f"uid:{uid}", f"gid:{gid}"])
            peer = Peer(tls)
            if peer.read_exact(8) != w.PREFACE:
                return
            first = peer.read_frame()
            if first.type != w.FrameType.HELLO:
                peer.send(w.ConnError(1, f"expected HELLO, got {w._enum_name(w.FrameType, first.type)}"))
                return
            w.decode_hello(first)
            peer.send(w.Hello(w.HelloFields(peer_name="fake-echo", build="selftest")))
            while True:
                try:
                    frame = peer.read_frame()
                except (EOFError, OSError):
                    return
                if frame.type == w.FrameType.PING and not frame.flags & w.Flag.ACK:
                    peer.send(w.Ping(frame.payload, ack=True))
                elif frame.type == w.FrameType.CALL:
                    self.answer(peer, frame, ",".join(principals))
        except Exception:  # noqa: BLE001
            self.errors.append(traceback.format_exc())
        finally:
            tls.close()

    def answer(self, peer: Peer, frame: w.Frame, caller: str) -> None:
        sid = frame.stream_id
        try:
            call = w.decode_call(frame)
        except w.CallFieldError as error:
            peer.send(w.End(sid, error.status, w.Outcome.NOT_EXECUTED, None, error.text))
            return
        if call.fields.method != "aftercare.echo.v1.Echo/Say":
            peer.send(w.End(sid, w.Status.UNIMPLEMENTED, w.Outcome.NOT_EXECUTED, None, f"unknown method {call.fields.method}"))
            return
        request = self.echo_pb2.EchoRequest.FromString(call.payload)
        if request.fail_code:
            peer.send(w.End(sid, request.fail_code, w.Outcome.EXECUTED, None, request.fail_message))
            return
        f = call.fields
        tp = f.traceparent if f.traceparent and f.traceparent.is_valid else w.Traceparent.random()
        saga = f"{f.saga.saga_id}/{f.saga.step}/{f.saga.direction_name}/{f.saga.attempt}" if f.saga else ""
        response = self.echo_pb2.EchoResponse(
            text=request.text, payload=request.payload, caller=caller, trace_id=tp.trace_id_hex, saga=saga,
            idempotency_key=f.effective_idempotency_key or "", actor=f.actor or "",
            metadata={k: v.decode() for k, v in f.metadata if not k.endswith("-bin")},
        )
        body = response.SerializeToString()
        peer.send(w.Message(sid, body[:5], more=True), w.Message(sid, body[5:]), w.End(sid))


def load_echo_pb2(out_dir: Path):
    subprocess.run(["protoc", f"--proto_path={PROTO_DIR}", f"--python_out={out_dir}", str(PROTO_DIR / "echo.proto")],
                   check=True, capture_output=True, timeout=60)
    spec = importlib.util.spec_from_file_location("selftest_echo_pb2", out_dir / "echo_pb2.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def part2(results: list[tuple[str, str | None]]) -> None:
    missing = [tool for tool in ("openssl", "protoc") if not shutil.which(tool)]
    try:
        import google.protobuf  # noqa: F401
    except ImportError:
        missing.append("python package protobuf")
    if missing:
        print(f"skip - part 2 (needs {', '.join(missing)})")
        return
    client = HERE / "interop_client.py"
    with tempfile.TemporaryDirectory(prefix="aft-", dir="/tmp") as tmp:
        tmp_path = Path(tmp)
        pki = make_pki(tmp_path)
        echo_pb2 = load_echo_pb2(tmp_path)
        sock_path = str(tmp_path / "echo.sock")  # short: Unix socket paths are limited to 107 bytes
        server = FakeEchoServer(sock_path, pki, echo_pb2)
        try:
            def run_client(cert: str, key: str, name: str = "echo.aftercare.internal"):
                return subprocess.run(
                    [sys.executable, str(client), "--socket", sock_path, "--ca", str(pki["ca.pem"]),
                     "--cert", str(pki[cert]), "--key", str(pki[key]), "--server-name", name,
                     "--proto-dir", str(PROTO_DIR), "--timeout", "5"],
                    capture_output=True, text=True, timeout=60,
                )

            def case(name: str, check: Callable[[], None]) -> None:
                try:
                    check()
                except Exception as error:  # noqa: BLE001
                    results.append((name, f"{type(error).__name__}: {error}"))
                else:
                    results.append((name, None))

            def good() -> None:
                run = run_client("client.pem", "client.key")
                last = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
                assert run.returncode == 0 and last.startswith("interop: ") and last.endswith(" passed, 0 failed"), \
                    run.stdout + run.stderr
                assert "FAIL - " not in run.stdout and not run.stderr.strip(), run.stdout + run.stderr

            def stranger() -> None:
                run = run_client("stranger.pem", "stranger.key")
                assert run.returncode == 2 and "interop: " in run.stdout and "FAIL - " in run.stdout, \
                    run.stdout + run.stderr

            def wrong_name() -> None:
                run = run_client("client.pem", "client.key", name="orders.aftercare.internal")
                assert run.returncode == 2 and "CERTIFICATE_VERIFY_FAILED" in run.stdout, run.stdout + run.stderr

            if os.environ.get("SELFTEST_VERBOSE"):
                for cert, key, name in (("client.pem", "client.key", "echo.aftercare.internal"),
                                        ("stranger.pem", "stranger.key", "echo.aftercare.internal"),
                                        ("client.pem", "client.key", "orders.aftercare.internal")):
                    run = run_client(cert, key, name)
                    print(f"--- {cert} {name}: exit {run.returncode}\n{run.stdout}{run.stderr}")
            case("part 2: interop_client.py against a fake echo server (mutual TLS, Unix socket)", good)
            case("part 2: a client certificate from another CA fails to connect (exit 2)", stranger)
            case("part 2: a server name the certificate does not carry fails to connect (exit 2)", wrong_name)
        finally:
            server.stop()


def main() -> int:
    results: list[tuple[str, str | None]] = []
    for test in PART1:
        try:
            test()
        except Exception:  # noqa: BLE001
            results.append((test.__name__, traceback.format_exc()))
        else:
            results.append((test.__name__, None))
    part2(results)
    failed = 0
    for name, error in results:
        if error is None:
            print(f"ok - {name}")
        else:
            failed += 1
            print(f"FAIL - {name}\n{error}")
    print(f"selftest: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
