#!/usr/bin/env python3
"""A small OpenTelemetry collector stand-in for the tests: serves OTLP/HTTP `POST /v1/traces`
(protobuf, gzip or not) on 127.0.0.1:PORT and appends every span it receives to OUT as one JSON
object per line: {"service", "trace_id", "span_id", "parent_span_id", "name", "kind", "attributes"}
(ids in lowercase hex, "" for no parent; kind as OTLP's enum name without SPAN_KIND_). OUT exists,
empty, once the port listens; the receiver stops when the file OUT.stop appears, or after an hour.

Usage: scripts/otlp-receiver.py PORT OUT
"""
import gzip
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest, ExportTraceServiceResponse
from opentelemetry.proto.trace.v1.trace_pb2 import Span

port, out = int(sys.argv[1]), sys.argv[2]
written = threading.Lock()


def value(any_value):
    kind = any_value.WhichOneof("value")
    return getattr(any_value, kind) if kind in ("string_value", "bool_value", "int_value", "double_value") else str(any_value)


class Traces(BaseHTTPRequestHandler):
    # A connection that sends nothing for this long is dropped, so no caller can hold the receiver.
    timeout = 10

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        if self.path != "/v1/traces":
            self.send_error(404)
            return
        request = ExportTraceServiceRequest.FromString(body)
        lines = []
        for resource_spans in request.resource_spans:
            resource = {a.key: value(a.value) for a in resource_spans.resource.attributes}
            for scope_spans in resource_spans.scope_spans:
                for span in scope_spans.spans:
                    lines.append(json.dumps({
                        "service": resource.get("service.name", ""),
                        "trace_id": span.trace_id.hex(),
                        "span_id": span.span_id.hex(),
                        "parent_span_id": span.parent_span_id.hex(),
                        "name": span.name,
                        "kind": Span.SpanKind.Name(span.kind).removeprefix("SPAN_KIND_"),
                        "attributes": {a.key: value(a.value) for a in span.attributes},
                    }))
        with written, open(out, "a") as file:
            file.writelines(line + "\n" for line in lines)
        answer = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, format, *args):
        pass


# Each connection on its own thread: the loop below keeps checking for OUT.stop whatever callers do.
server = ThreadingHTTPServer(("127.0.0.1", port), Traces)
server.timeout = 0.1
open(out, "w").close()
until = time.monotonic() + 3600
while not os.path.exists(out + ".stop") and time.monotonic() < until:
    server.handle_request()
