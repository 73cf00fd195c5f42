#!/usr/bin/env python3
"""Interop check: a client written from proto-spec/WIRE.md alone calls an Aftercare echo server.

    python3 interop_client.py --socket /tmp/x/echo.sock --ca ca.pem --cert client.pem \\
        --key client.key --server-name echo.aftercare.internal --proto-dir proto-spec

Connects over a Unix socket with mutual TLS 1.3 (ALPN aftercare/1), performs HELLO and calls
aftercare.echo.v1.Echo/Say (checking everything the server echoes back), an unknown method, and
a Say that fails on purpose. Prints `ok - ...` / `FAIL - ...` per check and a last line
`interop: N passed, M failed`. Exit status: 0 all passed, 1 a check failed, 2 no connection
(or no echo_pb2).

Needs `protoc` and the `protobuf` package (pip install -r Tests/Interop/requirements.txt).
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import aftercare_wire as w  # noqa: E402

SAY = "aftercare.echo.v1.Echo/Say"
NOPE = "aftercare.echo.v1.Echo/Nope"
CLIENT_PRINCIPAL = "name:python-interop.aftercare.internal"


class Report:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def check(self, condition: bool, what: str, detail: str = "") -> bool:
        if condition:
            self.passed += 1
            print(f"ok - {what}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL - {what}" + (f": {detail}" if detail else ""), flush=True)
        return condition

    def finish(self, exit_code: int | None = None) -> int:
        print(f"interop: {self.passed} passed, {self.failed} failed", flush=True)
        if exit_code is not None:
            return exit_code
        return 1 if self.failed else 0


def compile_echo_proto(proto_dir: Path, protoc: str, out_dir: Path) -> ModuleType:
    """Runs `protoc --python_out` on echo.proto and imports the generated echo_pb2."""
    subprocess.run(
        [protoc, f"--proto_path={proto_dir}", f"--python_out={out_dir}", str(proto_dir / "echo.proto")],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    spec = importlib.util.spec_from_file_location("echo_pb2", out_dir / "echo_pb2.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["echo_pb2"] = module
    spec.loader.exec_module(module)
    return module


def tls_context(ca: Path, cert: Path, key: Path) -> ssl.SSLContext:
    """WIRE.md section 12: TLS 1.3, ALPN aftercare/1, verify against the CA, client certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verify_mode CERT_REQUIRED, check_hostname on
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    context.check_hostname = True
    context.verify_mode = ssl.CERT_REQUIRED
    context.load_verify_locations(cafile=str(ca))
    context.load_cert_chain(certfile=str(cert), keyfile=str(key))
    context.set_alpn_protocols([w.ALPN_PROTOCOL])
    return context


def connect(args: argparse.Namespace, report: Report) -> w.Connection | None:
    raw = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    raw.settimeout(args.timeout)
    try:
        raw.connect(args.socket)
        tls = tls_context(args.ca, args.cert, args.key).wrap_socket(raw, server_hostname=args.server_name)
    except (OSError, ssl.SSLError) as error:
        raw.close()
        report.check(False, f"connect to {args.socket} with TLS", f"{type(error).__name__}: {error}")
        return None
    report.check(tls.version() == "TLSv1.3", "TLS 1.3 negotiated", f"got {tls.version()}")
    report.check(
        tls.selected_alpn_protocol() == w.ALPN_PROTOCOL,
        f"ALPN {w.ALPN_PROTOCOL} negotiated",
        f"got {tls.selected_alpn_protocol()!r}",
    )
    try:
        connection = w.Connection(tls, peer_name="python-interop", build="1.0.0",
                                  connect_timeout=args.timeout, io_timeout=args.timeout)
    except w.ConnectError as error:
        tls.close()
        report.check(False, "HELLO exchange", str(error))
        return None
    server = connection.server_hello
    report.check(
        server.version[0] == 1,
        f"HELLO exchange: server {server.peer_name or '?'} build {server.build or '?'} "
        f"speaks {server.version[0]}.{server.version[1]}",
    )
    return connection


def check_say(connection: w.Connection, echo_pb2: ModuleType, report: Report) -> None:
    traceparent = w.Traceparent.random()
    saga = w.SagaContext("sg_py", "reserve", w.Direction.FORWARD, 2)
    request = echo_pb2.EchoRequest(text="hello from python", payload=b"\x00\x01\x02")
    result = connection.call(
        SAY,
        request.SerializeToString(),
        timeout_us=5_000_000,
        traceparent=traceparent,
        saga=saga,
        actor="buyer:b_py",
        metadata={"tenant": "acme"},
    )
    status, outcome, message, body = result
    report.check(
        status == w.Status.OK and outcome == w.Outcome.EXECUTED,
        "Say: END status 0 (OK), outcome 1 (executed)",
        f"status {status}, outcome {outcome}, message {message!r}",
    )
    if not report.check(body is not None, "Say: one response message"):
        return
    try:
        response = echo_pb2.EchoResponse.FromString(body)
    except Exception as error:  # noqa: BLE001 - any decode failure is a failed check
        report.check(False, "Say: response decodes as EchoResponse", str(error))
        return
    report.check(True, "Say: response decodes as EchoResponse")
    report.check(response.text == "hello from python", "Say: text echoed", repr(response.text))
    report.check(response.payload == b"\x00\x01\x02", "Say: payload echoed", repr(response.payload))
    report.check(
        response.trace_id == traceparent.trace_id_hex,
        f"Say: trace_id is the one sent ({traceparent.trace_id_hex})",
        repr(response.trace_id),
    )
    report.check(response.saga == "sg_py/reserve/forward/2", "Say: saga is sg_py/reserve/forward/2", repr(response.saga))
    report.check(
        response.idempotency_key == "sg_py/reserve/forward",
        "Say: idempotency key defaults to sg_py/reserve/forward",
        repr(response.idempotency_key),
    )
    report.check(response.actor == "buyer:b_py", "Say: actor is buyer:b_py", repr(response.actor))
    report.check(
        response.metadata.get("tenant") == "acme",
        "Say: metadata tenant=acme",
        repr(dict(response.metadata)),
    )
    report.check(
        CLIENT_PRINCIPAL in [p.strip() for p in response.caller.split(",")],
        f"Say: caller includes {CLIENT_PRINCIPAL}",
        repr(response.caller),
    )


def check_unknown_method(connection: w.Connection, echo_pb2: ModuleType, report: Report) -> None:
    status, outcome, message, body = connection.call(NOPE, echo_pb2.EchoRequest(text="x").SerializeToString(),
                                                     timeout_us=5_000_000)
    report.check(
        status == w.Status.UNIMPLEMENTED and outcome == w.Outcome.NOT_EXECUTED,
        "Nope: END status 12 (UNIMPLEMENTED), outcome 0 (not executed)",
        f"status {status}, outcome {outcome}, message {message!r}",
    )
    report.check(body is None, "Nope: no response message", f"got {body!r}")


def check_failing_say(connection: w.Connection, echo_pb2: ModuleType, report: Report) -> None:
    request = echo_pb2.EchoRequest(text="fail", fail_code=9, fail_message="nope")
    status, outcome, message, _ = connection.call(SAY, request.SerializeToString(), timeout_us=5_000_000)
    report.check(
        status == w.Status.FAILED_PRECONDITION and outcome == w.Outcome.EXECUTED,
        "Say with fail_code 9: END status 9 (FAILED_PRECONDITION), outcome 1 (executed)",
        f"status {status}, outcome {outcome}, message {message!r}",
    )
    report.check(message == "nope", "Say with fail_code 9: END message is the fail_message 'nope'", repr(message))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Calls an Aftercare echo server over a Unix socket with mutual TLS and checks the answers.",
    )
    parser.add_argument("--socket", required=True, help="path of the server's Unix socket")
    parser.add_argument("--ca", required=True, type=Path, help="CA certificate (PEM) the server's chain must verify against")
    parser.add_argument("--cert", required=True, type=Path, help="client certificate (PEM) for mutual TLS")
    parser.add_argument("--key", required=True, type=Path, help="client private key (PEM)")
    parser.add_argument("--server-name", default="echo.aftercare.internal",
                        help="name to verify in the server certificate and send as SNI (default %(default)s)")
    parser.add_argument("--proto-dir", type=Path, default=HERE.parent.parent / "proto-spec",
                        help="directory holding echo.proto (default %(default)s)")
    parser.add_argument("--protoc", default=shutil.which("protoc") or "/usr/bin/protoc",
                        help="protoc binary (default %(default)s)")
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="socket timeout in seconds for connecting and every read (default %(default)s)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    report = Report()
    with tempfile.TemporaryDirectory(prefix="aftercare-interop-") as out_dir:
        try:
            echo_pb2 = compile_echo_proto(args.proto_dir, args.protoc, Path(out_dir))
        except subprocess.CalledProcessError as error:
            report.check(False, "compile echo.proto with protoc", error.stderr.strip())
            return report.finish(2)
        except (OSError, subprocess.TimeoutExpired, ImportError) as error:
            hint = " (pip install -r Tests/Interop/requirements.txt)" if isinstance(error, ImportError) else ""
            report.check(False, "compile echo.proto with protoc and import echo_pb2", f"{error}{hint}")
            return report.finish(2)
        report.check(True, "compile echo.proto with protoc and import echo_pb2")

        connection = connect(args, report)
        if connection is None:
            return report.finish(2)
        with connection:
            check_say(connection, echo_pb2, report)
            check_unknown_method(connection, echo_pb2, report)
            check_failing_say(connection, echo_pb2, report)
    return report.finish()


if __name__ == "__main__":
    sys.exit(main())
