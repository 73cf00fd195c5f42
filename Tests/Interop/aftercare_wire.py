"""The Aftercare wire protocol 1.0, written from proto-spec/WIRE.md alone.

Standard library only. Section numbers in comments refer to WIRE.md.

Layers, bottom up:

* the preface and the 12-byte frame header (sections 2.1, 3);
* TLV blocks and the HELLO, CALL and END field sets (section 5);
* one dataclass plus an ``encode_*`` / ``decode_*`` pair per frame type (section 4);
* :class:`Connection`, a blocking client for unary calls (sections 2.2, 6-10).

Encoders check only what the wire format itself can carry (field widths); decoders check the
rules WIRE.md gives a receiver and raise :class:`ProtocolError` (or :class:`CallFieldError` for
CALL fields, which fail the call rather than the connection).
"""

from __future__ import annotations

import enum
import os
import re
import socket
import struct
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping, Sequence, Union

# --------------------------------------------------------------------------------------------
# Constants (sections 2, 3, 4, 7)
# --------------------------------------------------------------------------------------------

PREFACE = b"AFTC\r\n\x1a\n"  # 41 46 54 43 0d 0a 1a 0a
PROTOCOL_VERSION = (1, 0)
ALPN_PROTOCOL = "aftercare/1"

HEADER = struct.Struct(">IBBHI")  # length, type, flags, ext_len, stream_id
HEADER_SIZE = HEADER.size  # 12
CONNECTION_FRAME_BIT = 0x40
EXTENSION_TYPE_MIN = 0x80
MAX_STREAM_ID = 0x7FFF_FFFF
MUST_UNDERSTAND = 0x8000
NO_RETRY_HINT = 0xFFFF_FFFF


class FrameType(enum.IntEnum):
    CALL = 0x01
    MESSAGE = 0x02
    END = 0x03
    CANCEL = 0x04
    CREDIT = 0x05
    HELLO = 0x41
    PING = 0x42
    DRAIN = 0x43
    CONN_ERROR = 0x44


class Flag(enum.IntFlag):
    END_STREAM = 0x01
    COMPRESSED = 0x02
    MORE = 0x04
    ACK = 0x08


class Status(enum.IntEnum):
    OK = 0
    CANCELLED = 1
    UNKNOWN = 2
    INVALID_ARGUMENT = 3
    DEADLINE_EXCEEDED = 4
    NOT_FOUND = 5
    ALREADY_EXISTS = 6
    PERMISSION_DENIED = 7
    RESOURCE_EXHAUSTED = 8
    FAILED_PRECONDITION = 9
    ABORTED = 10
    OUT_OF_RANGE = 11
    UNIMPLEMENTED = 12
    INTERNAL = 13
    UNAVAILABLE = 14
    DATA_LOSS = 15
    UNAUTHENTICATED = 16


class Outcome(enum.IntEnum):
    NOT_EXECUTED = 0
    EXECUTED = 1
    UNKNOWN = 2


class ConnErrorCode(enum.IntEnum):
    PROTOCOL_ERROR = 1
    UNSUPPORTED_VERSION = 2
    FRAME_TOO_LARGE = 3
    PEER_NOT_ALLOWED = 4
    HELLO_TIMEOUT = 5
    INTERNAL_ERROR = 6


class CancelReason(enum.IntEnum):
    DEADLINE_EXCEEDED = 1
    CANCELLED = 2
    CLIENT_SHUTDOWN = 3


class DrainReason(enum.IntEnum):
    SHUTDOWN = 0
    CONNECTION_TOO_OLD = 1
    STREAM_IDS_EXHAUSTED = 2


class Direction(enum.IntEnum):
    FORWARD = 0
    COMPENSATE = 1


def _enum_name(enum_type: type[enum.IntEnum], value: int) -> str:
    try:
        return enum_type(value).name
    except ValueError:
        return str(value)


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


class WireError(Exception):
    """Base class of everything this module raises about the protocol."""


class ProtocolError(WireError):
    """Bytes that break a rule of WIRE.md; the receiver closes with CONN_ERROR ``code``."""

    def __init__(self, text: str, code: int = ConnErrorCode.PROTOCOL_ERROR) -> None:
        super().__init__(text)
        self.code = int(code)
        self.text = text


class CallFieldError(WireError):
    """A malformed or unknown must-understand CALL field (section 6.3 step 2)."""

    def __init__(self, text: str, status: int = Status.INVALID_ARGUMENT) -> None:
        super().__init__(text)
        self.status = int(status)
        self.text = text


class ConnectError(WireError):
    """The connection failed before it was ready (section 2.2 step 4).

    ``code`` and ``text`` are the server's CONN_ERROR code and text when it sent one,
    else ``code`` is None and ``text`` says what happened.
    """

    def __init__(self, text: str, code: int | None = None) -> None:
        if code is None:
            message = f"could not connect: {text}"
        else:
            message = (
                f"could not connect: the server sent CONN_ERROR "
                f"{_enum_name(ConnErrorCode, code)} ({code}): {text!r}"
            )
        super().__init__(message)
        self.code = code
        self.text = text


# --------------------------------------------------------------------------------------------
# Frame header and frames (section 3)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrameHeader:
    length: int
    type: int
    flags: int
    ext_len: int
    stream_id: int

    def encode(self) -> bytes:
        return HEADER.pack(self.length, self.type, self.flags, self.ext_len, self.stream_id)

    @classmethod
    def decode(cls, data: bytes) -> "FrameHeader":
        """Decodes the 12 header bytes and checks what the header alone can show."""
        if len(data) != HEADER_SIZE:
            raise ValueError(f"a frame header is {HEADER_SIZE} bytes, got {len(data)}")
        header = cls(*HEADER.unpack(data))
        if header.ext_len > header.length:
            raise ProtocolError(
                f"frame type 0x{header.type:02x}: ext_len {header.ext_len} exceeds length {header.length}"
            )
        if header.stream_id > MAX_STREAM_ID:
            raise ProtocolError(f"frame type 0x{header.type:02x}: stream id has bit 31 set")
        return header

    @property
    def is_extension(self) -> bool:
        return self.type >= EXTENSION_TYPE_MIN

    @property
    def is_connection_frame(self) -> bool:
        return bool(self.type & CONNECTION_FRAME_BIT)


@dataclass(frozen=True)
class Frame:
    """One frame: header fields plus the body split into ext block and payload."""

    type: int
    flags: int = 0
    stream_id: int = 0
    ext: bytes = b""
    payload: bytes = b""

    @property
    def header(self) -> FrameHeader:
        return FrameHeader(len(self.ext) + len(self.payload), self.type, self.flags, len(self.ext), self.stream_id)

    def encode(self) -> bytes:
        if len(self.ext) > 0xFFFF:
            raise ValueError(f"an ext block is at most 65535 bytes, got {len(self.ext)}")
        if not 0 <= self.stream_id <= MAX_STREAM_ID:
            raise ValueError(f"stream id {self.stream_id} out of range")
        return self.header.encode() + self.ext + self.payload

    @classmethod
    def from_parts(cls, header: FrameHeader, body: bytes) -> "Frame":
        if len(body) != header.length:
            raise ValueError(f"body is {len(body)} bytes, header says {header.length}")
        return cls(header.type, header.flags, header.stream_id, body[: header.ext_len], body[header.ext_len :])


def decode_frame(data: bytes) -> Frame:
    """Decodes exactly one frame (header and body) from ``data``."""
    if len(data) < HEADER_SIZE:
        raise ProtocolError(f"a frame is at least {HEADER_SIZE} bytes, got {len(data)}")
    header = FrameHeader.decode(data[:HEADER_SIZE])
    if len(data) != HEADER_SIZE + header.length:
        raise ProtocolError(f"frame length {header.length} does not match the {len(data) - HEADER_SIZE} body bytes")
    return Frame.from_parts(header, data[HEADER_SIZE:])


def check_frame_class(frame: Frame) -> None:
    """Section 3.1: connection frames have stream id 0, stream frames a non-zero one."""
    if frame.type >= EXTENSION_TYPE_MIN:
        return
    if frame.type & CONNECTION_FRAME_BIT:
        if frame.stream_id != 0:
            raise ProtocolError(f"{_enum_name(FrameType, frame.type)} is a connection frame but has stream id {frame.stream_id}")
    elif frame.stream_id == 0:
        raise ProtocolError(f"{_enum_name(FrameType, frame.type)} is a stream frame but has stream id 0")


def _expect_type(frame: Frame, frame_type: FrameType) -> None:
    if frame.type != frame_type:
        raise ValueError(f"expected a {frame_type.name} frame, got type 0x{frame.type:02x}")
    check_frame_class(frame)


def _expect_no_ext(frame: Frame, name: str) -> None:
    if frame.ext:
        raise ProtocolError(f"{name} defines no ext block but has ext_len {len(frame.ext)}")


# --------------------------------------------------------------------------------------------
# TLV blocks (section 5)
# --------------------------------------------------------------------------------------------

TLVHeader = struct.Struct(">HH")
TLV = tuple[int, bytes]


def encode_tlvs(tlvs: Iterable[TLV]) -> bytes:
    out = bytearray()
    for tag, value in tlvs:
        if len(value) > 0xFFFF:
            raise ValueError(f"TLV 0x{tag:04x}: value of {len(value)} bytes does not fit a u16 length")
        out += TLVHeader.pack(tag, len(value)) + value
    return bytes(out)


def decode_tlvs(block: bytes, where: str) -> list[TLV]:
    """Splits an ext block into (tag, value) pairs, in wire order."""
    tlvs: list[TLV] = []
    offset = 0
    while offset < len(block):
        if len(block) - offset < TLVHeader.size:
            raise ProtocolError(f"{where}: a TLV header runs past the end of the ext block")
        tag, length = TLVHeader.unpack_from(block, offset)
        offset += TLVHeader.size
        if offset + length > len(block):
            raise ProtocolError(f"{where}: TLV 0x{tag:04x} runs past the end of the ext block")
        tlvs.append((tag, block[offset : offset + length]))
        offset += length
    return tlvs


def _u8(value: int) -> bytes:
    return struct.pack(">B", value)


def _u16(value: int) -> bytes:
    return struct.pack(">H", value)


def _u32(value: int) -> bytes:
    return struct.pack(">I", value)


def _u64(value: int) -> bytes:
    return struct.pack(">Q", value)


def _utf8(data: bytes, what: str, error: Callable[[str], Exception]) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise error(f"{what} is not valid UTF-8") from None


# --- HELLO fields (section 5.1) ---------------------------------------------------------------

HELLO_VERSION = 0x8001
HELLO_MAX_FRAME_SIZE = 0x0002
HELLO_MAX_MESSAGE_SIZE = 0x0003
HELLO_MAX_METADATA_SIZE = 0x0004
HELLO_MAX_CONCURRENT_CALLS = 0x0005
HELLO_INITIAL_WINDOW = 0x0006
HELLO_PEER_NAME = 0x0007
HELLO_BUILD = 0x0008

# tag -> (attribute, name in errors, minimum, maximum, default)
_HELLO_U32_FIELDS = {
    HELLO_MAX_FRAME_SIZE: ("max_frame_size", "max frame size", 16_384, 16_777_216, 1_048_576),
    HELLO_MAX_MESSAGE_SIZE: ("max_message_size", "max message size", 16_384, 16_777_216, 4_194_304),
    HELLO_MAX_METADATA_SIZE: ("max_metadata_size", "max metadata size", 1_024, 65_535, 8_192),
    HELLO_MAX_CONCURRENT_CALLS: ("max_concurrent_calls", "max concurrent calls", 1, 0xFFFF_FFFF, 1_024),
    HELLO_INITIAL_WINDOW: ("initial_window", "initial stream window", 1, 0xFFFF_FFFF, 16),
}
_HELLO_TEXT_FIELDS = {HELLO_PEER_NAME: ("peer_name", "peer name"), HELLO_BUILD: ("build", "build")}

DEFAULT_MAX_FRAME_SIZE = 1_048_576
DEFAULT_MAX_MESSAGE_SIZE = 4_194_304
DEFAULT_MAX_METADATA_SIZE = 8_192


@dataclass
class HelloFields:
    """HELLO fields. ``None`` means the TLV is absent; ``effective()`` applies the defaults."""

    version: tuple[int, int] = PROTOCOL_VERSION
    max_frame_size: int | None = None
    max_message_size: int | None = None
    max_metadata_size: int | None = None
    max_concurrent_calls: int | None = None
    initial_window: int | None = None
    peer_name: str | None = None
    build: str | None = None

    def effective(self, name: str) -> int | str:
        """The value of a field, or its section 5.1 default when absent."""
        value = getattr(self, name)
        if value is not None:
            return value
        for attribute, _, _, _, default in _HELLO_U32_FIELDS.values():
            if attribute == name:
                return default
        return ""


def encode_hello_fields(fields: HelloFields) -> bytes:
    major, minor = fields.version
    tlvs: list[TLV] = [(HELLO_VERSION, _u8(major) + _u8(minor))]
    for tag, (attribute, *_rest) in _HELLO_U32_FIELDS.items():
        value = getattr(fields, attribute)
        if value is not None:
            tlvs.append((tag, _u32(value)))
    for tag, (attribute, _name) in _HELLO_TEXT_FIELDS.items():
        value = getattr(fields, attribute)
        if value is not None:
            tlvs.append((tag, value.encode("utf-8")))
    return encode_tlvs(tlvs)


def decode_hello_fields(block: bytes) -> HelloFields:
    """Decodes and checks a HELLO ext block; every error is a connection PROTOCOL_ERROR."""
    fields = HelloFields()
    seen: set[int] = set()
    for tag, value in decode_tlvs(block, "HELLO"):
        if tag in seen:
            raise ProtocolError(f"HELLO field 0x{tag:04x} appears more than once")
        seen.add(tag)
        if tag == HELLO_VERSION:
            if len(value) != 2:
                raise ProtocolError(f"HELLO field 0x8001 (protocol version): {len(value)} bytes, expected 2")
            fields.version = (value[0], value[1])
        elif tag in _HELLO_U32_FIELDS:
            attribute, name, low, high, _default = _HELLO_U32_FIELDS[tag]
            if len(value) != 4:
                raise ProtocolError(f"HELLO field 0x{tag:04x} ({name}): {len(value)} bytes, expected 4")
            (number,) = struct.unpack(">I", value)
            if not low <= number <= high:
                raise ProtocolError(f"HELLO field 0x{tag:04x} ({name}): {number} is not in {low}..{high}")
            setattr(fields, attribute, number)
        elif tag in _HELLO_TEXT_FIELDS:
            attribute, name = _HELLO_TEXT_FIELDS[tag]
            if len(value) > 255:
                raise ProtocolError(f"HELLO field 0x{tag:04x} ({name}): {len(value)} bytes, at most 255")
            setattr(fields, attribute, _utf8(value, f"HELLO field 0x{tag:04x} ({name})", ProtocolError))
        elif tag & MUST_UNDERSTAND:
            raise ProtocolError(f"HELLO field 0x{tag:04x} is must-understand and unknown")
        # other unknown tags are skipped
    if HELLO_VERSION not in seen:
        raise ProtocolError("HELLO field 0x8001 (protocol version) is missing")
    return fields


# --- CALL fields (section 5.2) ----------------------------------------------------------------

CALL_METHOD = 0x8001
CALL_TIMEOUT = 0x8002
CALL_TRACEPARENT = 0x0003
CALL_SAGA = 0x8004
CALL_IDEMPOTENCY_KEY = 0x8005
CALL_ACTOR = 0x0006
METADATA_ENTRY = 0x1000

_METADATA_KEY = re.compile(rb"[a-z0-9._-]{1,64}")
RESERVED_METADATA_KEYS = ("traceparent", "idempotency-key", "actor")


def is_reserved_metadata_key(key: str) -> bool:
    return key in RESERVED_METADATA_KEYS or key.startswith("saga-")


@dataclass(frozen=True)
class Traceparent:
    """W3C Trace Context in binary: 26 bytes (CALL field 0x0003)."""

    trace_id: bytes  # 16 bytes
    parent_id: bytes  # 8 bytes
    flags: int = 0x01
    version: int = 0

    SIZE = 26

    @classmethod
    def random(cls, flags: int = 0x01) -> "Traceparent":
        def nonzero(n: int) -> bytes:
            while True:
                value = os.urandom(n)
                if any(value):
                    return value

        return cls(nonzero(16), nonzero(8), flags)

    @classmethod
    def from_hex(cls, trace_id: str, parent_id: str, flags: int = 0x01) -> "Traceparent":
        return cls(bytes.fromhex(trace_id), bytes.fromhex(parent_id), flags)

    @property
    def trace_id_hex(self) -> str:
        return self.trace_id.hex()

    @property
    def parent_id_hex(self) -> str:
        return self.parent_id.hex()

    @property
    def is_valid(self) -> bool:
        """Section 5.2: version 0, non-zero ids (the size is checked when decoding)."""
        return (
            self.version == 0
            and len(self.trace_id) == 16
            and len(self.parent_id) == 8
            and any(self.trace_id)
            and any(self.parent_id)
        )

    def encode(self) -> bytes:
        if len(self.trace_id) != 16 or len(self.parent_id) != 8:
            raise ValueError("a traceparent has a 16-byte trace id and an 8-byte parent id")
        return _u8(self.version) + self.trace_id + self.parent_id + _u8(self.flags)

    @classmethod
    def decode(cls, value: bytes) -> "Traceparent | None":
        """The traceparent, or None for a wrong size (the server ignores an invalid one)."""
        if len(value) != cls.SIZE:
            return None
        return cls(value[1:17], value[17:25], value[25], value[0])


@dataclass(frozen=True)
class SagaContext:
    """CALL field 0x8004."""

    saga_id: str
    step: str
    direction: int = Direction.FORWARD
    attempt: int = 1

    @property
    def direction_name(self) -> str:
        return "compensate" if self.direction == Direction.COMPENSATE else "forward"

    @property
    def default_idempotency_key(self) -> str:
        """Section 5.2: ``<saga id>/<step>/<forward|compensate>`` when no key is sent."""
        return f"{self.saga_id}/{self.step}/{self.direction_name}"

    def encode(self) -> bytes:
        saga = self.saga_id.encode("utf-8")
        step = self.step.encode("utf-8")
        if len(saga) > 255 or len(step) > 255:
            raise ValueError("saga id and step are each at most 255 bytes on the wire")
        return _u8(len(saga)) + saga + _u8(len(step)) + step + _u8(self.direction) + _u16(self.attempt)

    @classmethod
    def decode(cls, value: bytes) -> "SagaContext":
        def bad(text: str) -> CallFieldError:
            return CallFieldError(f"CALL field 0x8004 (saga context): {text}")

        offset = 0
        parts: list[str] = []
        for what in ("saga id", "step"):
            if offset >= len(value):
                raise bad(f"truncated before the {what} length")
            length = value[offset]
            offset += 1
            if not 1 <= length <= 128:
                raise bad(f"{what} length {length} is not in 1..128")
            if offset + length > len(value):
                raise bad(f"the {what} runs past the end of the field")
            parts.append(_utf8(value[offset : offset + length], f"CALL field 0x8004 (saga context): {what}", CallFieldError))
            offset += length
        if len(value) - offset != 3:
            raise bad(f"{len(value) - offset} bytes after the step, expected 3 (direction u8, attempt u16)")
        direction = value[offset]
        (attempt,) = struct.unpack_from(">H", value, offset + 1)
        if direction not in (0, 1):
            raise bad(f"direction {direction} is not 0 or 1")
        if attempt < 1:
            raise bad(f"attempt {attempt} is not at least 1")
        return cls(parts[0], parts[1], direction, attempt)


MetadataValue = Union[str, bytes]
Metadata = Union[Mapping[str, MetadataValue], Sequence[tuple[str, MetadataValue]]]


def metadata_pairs(metadata: Metadata | None) -> list[tuple[str, bytes]]:
    """Normalises metadata (dict or list of pairs, str or bytes values) to (key, bytes) pairs."""
    if metadata is None:
        return []
    items = metadata.items() if isinstance(metadata, Mapping) else metadata
    return [(key, value.encode("utf-8") if isinstance(value, str) else bytes(value)) for key, value in items]


def check_metadata_key(key: str) -> str | None:
    """Why ``key`` may not be sent as a metadata key (section 5.2), or None if it may."""
    raw = key.encode("utf-8")
    if not _METADATA_KEY.fullmatch(raw):
        return f"metadata key {key!r} is not 1-64 bytes of a-z 0-9 - _ ."
    if is_reserved_metadata_key(key):
        return f"metadata key {key!r} is reserved"
    return None


def encode_metadata_entry(key: str, value: bytes) -> bytes:
    raw = key.encode("utf-8")
    if not 1 <= len(raw) <= 255:
        raise ValueError(f"metadata key {key!r} does not fit a u8 length")
    return _u8(len(raw)) + raw + value


def decode_metadata_entry(value: bytes, where: str, error: Callable[[str], Exception]) -> tuple[str, bytes]:
    """One 0x1000 entry. Checks the key's form and, for non ``-bin`` keys, the value's UTF-8."""
    if not value:
        raise error(f"{where} field 0x1000 (metadata entry): empty")
    key_len = value[0]
    if not 1 <= key_len <= 64 or 1 + key_len > len(value):
        raise error(f"{where} field 0x1000 (metadata entry): key length {key_len} is not in 1..64 or runs past the entry")
    raw_key = value[1 : 1 + key_len]
    if not _METADATA_KEY.fullmatch(raw_key):
        raise error(f"{where} field 0x1000 (metadata entry): key {raw_key!r} is not a-z 0-9 - _ .")
    key = raw_key.decode("ascii")
    data = value[1 + key_len :]
    if not key.endswith("-bin"):
        _utf8(data, f"{where} metadata {key!r}", error)
    return key, data


@dataclass
class CallFields:
    """CALL fields. ``None`` means absent."""

    method: str
    timeout_us: int | None = None
    traceparent: Traceparent | None = None
    saga: SagaContext | None = None
    idempotency_key: str | None = None
    actor: str | None = None
    metadata: list[tuple[str, bytes]] = field(default_factory=list)

    @property
    def effective_idempotency_key(self) -> str | None:
        if self.idempotency_key is not None:
            return self.idempotency_key
        return self.saga.default_idempotency_key if self.saga else None


def encode_call_fields(fields: CallFields) -> bytes:
    """TLVs in the order of the section 5.2 table."""
    tlvs: list[TLV] = [(CALL_METHOD, fields.method.encode("utf-8"))]
    if fields.timeout_us is not None:
        tlvs.append((CALL_TIMEOUT, _u64(fields.timeout_us)))
    if fields.traceparent is not None:
        tlvs.append((CALL_TRACEPARENT, fields.traceparent.encode()))
    if fields.saga is not None:
        tlvs.append((CALL_SAGA, fields.saga.encode()))
    if fields.idempotency_key is not None:
        tlvs.append((CALL_IDEMPOTENCY_KEY, fields.idempotency_key.encode("utf-8")))
    if fields.actor is not None:
        tlvs.append((CALL_ACTOR, fields.actor.encode("utf-8")))
    for key, value in fields.metadata:
        tlvs.append((METADATA_ENTRY, encode_metadata_entry(key, value)))
    return encode_tlvs(tlvs)


def _bounded_text(value: bytes, tag: int, name: str, low: int, high: int) -> str:
    if not low <= len(value) <= high:
        raise CallFieldError(f"CALL field 0x{tag:04x} ({name}): {len(value)} bytes, expected {low}-{high}")
    return _utf8(value, f"CALL field 0x{tag:04x} ({name})", CallFieldError)


def decode_call_fields(block: bytes) -> CallFields:
    """Decodes a CALL ext block as a server would (section 6.3 steps 2-3).

    A TLV running past the block is a connection ProtocolError; everything else wrong raises
    CallFieldError (END INVALID_ARGUMENT, not executed).
    """
    method: str | None = None
    fields = CallFields(method="")
    seen: set[int] = set()
    for tag, value in decode_tlvs(block, "CALL"):
        if tag != METADATA_ENTRY:
            if tag in seen:
                raise CallFieldError(f"CALL field 0x{tag:04x} appears more than once")
            seen.add(tag)
        if tag == CALL_METHOD:
            method = _bounded_text(value, tag, "method", 3, 255)
        elif tag == CALL_TIMEOUT:
            if len(value) != 8:
                raise CallFieldError(f"CALL field 0x8002 (timeout): {len(value)} bytes, expected 8")
            (fields.timeout_us,) = struct.unpack(">Q", value)
        elif tag == CALL_TRACEPARENT:
            fields.traceparent = Traceparent.decode(value)  # None if the size is wrong: ignored
        elif tag == CALL_SAGA:
            fields.saga = SagaContext.decode(value)
        elif tag == CALL_IDEMPOTENCY_KEY:
            fields.idempotency_key = _bounded_text(value, tag, "idempotency key", 1, 255)
        elif tag == CALL_ACTOR:
            fields.actor = _bounded_text(value, tag, "actor", 1, 255)
        elif tag == METADATA_ENTRY:
            key, data = decode_metadata_entry(value, "CALL", CallFieldError)
            if is_reserved_metadata_key(key):
                raise CallFieldError(f"CALL metadata key {key!r} is reserved")
            fields.metadata.append((key, data))
        elif tag & MUST_UNDERSTAND:
            raise CallFieldError(f"CALL field 0x{tag:04x} is must-understand and unknown")
    if method is None:
        raise CallFieldError("CALL field 0x8001 (method) is missing")
    fields.method = method
    return fields


# --- END trailing metadata (sections 4.3, 5.2) ------------------------------------------------


def encode_end_fields(trailers: Sequence[tuple[str, bytes]]) -> bytes:
    return encode_tlvs((METADATA_ENTRY, encode_metadata_entry(key, value)) for key, value in trailers)


def decode_end_fields(block: bytes) -> list[tuple[str, bytes]]:
    trailers: list[tuple[str, bytes]] = []
    for tag, value in decode_tlvs(block, "END"):
        if tag == METADATA_ENTRY:
            trailers.append(decode_metadata_entry(value, "END", ProtocolError))
        elif tag & MUST_UNDERSTAND:
            raise ProtocolError(f"END field 0x{tag:04x} is must-understand and unknown")
        # END holds only 0x1000; other tags without bit 15 are skipped like any unknown TLV
    return trailers


# --------------------------------------------------------------------------------------------
# Frame types (section 4): one dataclass and one encode/decode pair each
# --------------------------------------------------------------------------------------------


@dataclass
class Call:
    """CALL (0x01): opens a call; payload is the request or its first fragment."""

    stream_id: int
    fields: CallFields
    payload: bytes = b""
    end_stream: bool = True
    more: bool = False


def encode_call(call: Call) -> Frame:
    flags = (Flag.END_STREAM if call.end_stream else 0) | (Flag.MORE if call.more else 0)
    return Frame(FrameType.CALL, int(flags), call.stream_id, encode_call_fields(call.fields), call.payload)


def decode_call(frame: Frame) -> Call:
    _expect_type(frame, FrameType.CALL)
    if frame.stream_id % 2 == 0:
        raise ProtocolError(f"CALL on even stream id {frame.stream_id}")
    return Call(
        frame.stream_id,
        decode_call_fields(frame.ext),
        frame.payload,
        bool(frame.flags & Flag.END_STREAM),
        bool(frame.flags & Flag.MORE),
    )


@dataclass
class Message:
    """MESSAGE (0x02): a message or a fragment of one."""

    stream_id: int
    payload: bytes
    more: bool = False
    end_stream: bool = False  # only from the client, on the last fragment of a request


def encode_message(message: Message) -> Frame:
    flags = (Flag.MORE if message.more else 0) | (Flag.END_STREAM if message.end_stream else 0)
    return Frame(FrameType.MESSAGE, int(flags), message.stream_id, b"", message.payload)


def decode_message(frame: Frame) -> Message:
    _expect_type(frame, FrameType.MESSAGE)
    _expect_no_ext(frame, "MESSAGE")
    if frame.flags & Flag.COMPRESSED:
        raise ProtocolError("MESSAGE has the COMPRESSED flag, which version 1 does not negotiate")
    return Message(frame.stream_id, frame.payload, bool(frame.flags & Flag.MORE), bool(frame.flags & Flag.END_STREAM))


END_PAYLOAD = struct.Struct(">HBBI")  # status, outcome, reserved, retry_after_ms


@dataclass
class End:
    """END (0x03): the status of a call. ``retry_after_ms`` None means no hint (0xFFFFFFFF)."""

    stream_id: int
    status: int = Status.OK
    outcome: int = Outcome.EXECUTED
    retry_after_ms: int | None = None
    message: str = ""
    trailers: list[tuple[str, bytes]] = field(default_factory=list)


def encode_end(end: End) -> Frame:
    retry = NO_RETRY_HINT if end.retry_after_ms is None else end.retry_after_ms
    payload = END_PAYLOAD.pack(end.status, end.outcome, 0, retry) + end.message.encode("utf-8")
    return Frame(FrameType.END, 0, end.stream_id, encode_end_fields(end.trailers), payload)


def decode_end(frame: Frame) -> End:
    _expect_type(frame, FrameType.END)
    if len(frame.payload) < END_PAYLOAD.size:
        raise ProtocolError(f"END payload is {len(frame.payload)} bytes, at least {END_PAYLOAD.size}")
    status, outcome, _reserved, retry = END_PAYLOAD.unpack_from(frame.payload)
    if status > 16:
        status = Status.UNKNOWN  # section 4.3
    # WIRE.md does not say how to read an outcome above 2; read it as "unknown", the safe side.
    if outcome > 2:
        outcome = Outcome.UNKNOWN
    message = frame.payload[END_PAYLOAD.size :].decode("utf-8", errors="replace")
    return End(
        frame.stream_id,
        status,
        outcome,
        None if retry == NO_RETRY_HINT else retry,
        message,
        decode_end_fields(frame.ext),
    )


@dataclass
class Cancel:
    """CANCEL (0x04): the client gives up on a call."""

    stream_id: int
    reason: int = CancelReason.CANCELLED


def encode_cancel(cancel: Cancel) -> Frame:
    return Frame(FrameType.CANCEL, 0, cancel.stream_id, b"", _u8(cancel.reason))


def decode_cancel(frame: Frame) -> Cancel:
    _expect_type(frame, FrameType.CANCEL)
    _expect_no_ext(frame, "CANCEL")
    if len(frame.payload) != 1:
        raise ProtocolError(f"CANCEL payload is {len(frame.payload)} bytes, expected 1")
    return Cancel(frame.stream_id, frame.payload[0])


@dataclass
class Credit:
    """CREDIT (0x05): grants the server ``increment`` more response messages."""

    stream_id: int
    increment: int


def encode_credit(credit: Credit) -> Frame:
    return Frame(FrameType.CREDIT, 0, credit.stream_id, b"", _u32(credit.increment))


def decode_credit(frame: Frame) -> Credit:
    _expect_type(frame, FrameType.CREDIT)
    _expect_no_ext(frame, "CREDIT")
    if len(frame.payload) != 4:
        raise ProtocolError(f"CREDIT payload is {len(frame.payload)} bytes, expected 4")
    (increment,) = struct.unpack(">I", frame.payload)
    if increment < 1:
        raise ProtocolError("CREDIT increment is 0, at least 1")
    return Credit(frame.stream_id, increment)


@dataclass
class Hello:
    """HELLO (0x41): stream 0, empty payload, the hello fields in the ext block."""

    fields: HelloFields


def encode_hello(hello: Hello) -> Frame:
    return Frame(FrameType.HELLO, 0, 0, encode_hello_fields(hello.fields), b"")


def decode_hello(frame: Frame) -> Hello:
    _expect_type(frame, FrameType.HELLO)
    if frame.payload:
        raise ProtocolError(f"HELLO payload is {len(frame.payload)} bytes, expected 0")
    return Hello(decode_hello_fields(frame.ext))


@dataclass
class Ping:
    """PING (0x42); with ``ack`` it is a PONG."""

    data: bytes
    ack: bool = False


def encode_ping(ping: Ping) -> Frame:
    if len(ping.data) != 8:
        raise ValueError("a PING carries exactly 8 bytes")
    return Frame(FrameType.PING, int(Flag.ACK) if ping.ack else 0, 0, b"", ping.data)


def decode_ping(frame: Frame) -> Ping:
    _expect_type(frame, FrameType.PING)
    _expect_no_ext(frame, "PING")
    if len(frame.payload) != 8:
        raise ProtocolError(f"PING payload is {len(frame.payload)} bytes, expected 8")
    return Ping(frame.payload, bool(frame.flags & Flag.ACK))


DRAIN_PAYLOAD = struct.Struct(">IBI")  # last_stream_id, reason, deadline_ms


@dataclass
class Drain:
    """DRAIN (0x43): the server accepts no more calls above ``last_stream_id``."""

    last_stream_id: int
    reason: int = DrainReason.SHUTDOWN
    deadline_ms: int = 0


def encode_drain(drain: Drain) -> Frame:
    return Frame(FrameType.DRAIN, 0, 0, b"", DRAIN_PAYLOAD.pack(drain.last_stream_id, drain.reason, drain.deadline_ms))


def decode_drain(frame: Frame) -> Drain:
    _expect_type(frame, FrameType.DRAIN)
    _expect_no_ext(frame, "DRAIN")
    if len(frame.payload) != DRAIN_PAYLOAD.size:
        raise ProtocolError(f"DRAIN payload is {len(frame.payload)} bytes, expected {DRAIN_PAYLOAD.size}")
    return Drain(*DRAIN_PAYLOAD.unpack(frame.payload))


@dataclass
class ConnError:
    """CONN_ERROR (0x44): the sender closes the connection because of ``code``."""

    code: int
    text: str = ""


def encode_conn_error(error: ConnError) -> Frame:
    return Frame(FrameType.CONN_ERROR, 0, 0, b"", _u16(error.code) + error.text.encode("utf-8"))


def decode_conn_error(frame: Frame) -> ConnError:
    _expect_type(frame, FrameType.CONN_ERROR)
    _expect_no_ext(frame, "CONN_ERROR")
    if len(frame.payload) < 2:
        raise ProtocolError(f"CONN_ERROR payload is {len(frame.payload)} bytes, at least 2")
    (code,) = struct.unpack_from(">H", frame.payload)
    return ConnError(code, frame.payload[2:].decode("utf-8", errors="replace"))


TypedFrame = Union[Call, Message, End, Cancel, Credit, Hello, Ping, Drain, ConnError]

DECODERS: dict[int, Callable[[Frame], TypedFrame]] = {
    FrameType.CALL: decode_call,
    FrameType.MESSAGE: decode_message,
    FrameType.END: decode_end,
    FrameType.CANCEL: decode_cancel,
    FrameType.CREDIT: decode_credit,
    FrameType.HELLO: decode_hello,
    FrameType.PING: decode_ping,
    FrameType.DRAIN: decode_drain,
    FrameType.CONN_ERROR: decode_conn_error,
}
ENCODERS: dict[type, Callable[..., Frame]] = {
    Call: encode_call,
    Message: encode_message,
    End: encode_end,
    Cancel: encode_cancel,
    Credit: encode_credit,
    Hello: encode_hello,
    Ping: encode_ping,
    Drain: encode_drain,
    ConnError: encode_conn_error,
}


def decode_typed(frame: Frame) -> TypedFrame | None:
    """The typed form of a frame; None for an extension type (0x80-0xFF), which is ignored."""
    if frame.type >= EXTENSION_TYPE_MIN:
        return None
    decoder = DECODERS.get(frame.type)
    if decoder is None:
        raise ProtocolError(f"unknown frame type 0x{frame.type:02x}")
    return decoder(frame)


def encode_typed(obj: TypedFrame) -> Frame:
    return ENCODERS[type(obj)](obj)


# --------------------------------------------------------------------------------------------
# A blocking client connection (sections 2.2, 6-10)
# --------------------------------------------------------------------------------------------


class CallResult(tuple):
    """What ``Connection.call`` returns: the 4-tuple (status, outcome, message, response), where
    response is the reassembled response message or None. END's retry hint and trailing metadata
    ride along as attributes."""

    def __new__(
        cls,
        status: int,
        outcome: int,
        message: str,
        response: bytes | None,
        retry_after_ms: int | None = None,
        trailers: Iterable[tuple[str, bytes]] = (),
    ) -> "CallResult":
        result = super().__new__(cls, (int(status), int(outcome), message, response))
        result.retry_after_ms = retry_after_ms
        result.trailers = tuple(trailers)
        return result

    status = property(lambda self: self[0])
    outcome = property(lambda self: self[1])
    message = property(lambda self: self[2])
    response = property(lambda self: self[3])

    def __repr__(self) -> str:
        return (
            f"CallResult(status={_enum_name(Status, self.status)}, outcome={_enum_name(Outcome, self.outcome)}, "
            f"message={self.message!r}, response={self.response!r})"
        )


class _Closed(Exception):
    """Internal: the connection is gone; ``text`` says why."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text


class Connection:
    """A client connection over an already-connected stream socket (plain or ``ssl.SSLSocket``).

    The constructor sends the preface and the client HELLO and waits for the server's HELLO,
    raising :class:`ConnectError` if the server sends CONN_ERROR, the connection closes, or
    ``connect_timeout`` passes first. ``call`` then runs one unary call at a time.
    """

    def __init__(
        self,
        sock: socket.socket,
        *,
        peer_name: str = "python-interop",
        build: str = "1.0.0",
        hello: HelloFields | None = None,
        connect_timeout: float = 10.0,
        io_timeout: float = 10.0,
    ) -> None:
        self._sock = sock
        self._buffer = bytearray()
        self._io_timeout = io_timeout
        self._closed: str | None = None
        self._next_stream_id = 1
        self._highest_stream_id = 0
        self._abandoned: set[int] = set()  # calls we gave up on; their MESSAGE and END are ignored
        self.local_hello = hello or HelloFields(peer_name=peer_name, build=build)
        self.server_hello: HelloFields | None = None
        self.drain: Drain | None = None
        self.pings_answered = 0
        self._handshake(connect_timeout)

    # --- connection start (section 2) ---

    def _handshake(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        try:
            self._send_hello()
            while True:
                frame = self._read_frame(deadline, max_frame_size=DEFAULT_MAX_FRAME_SIZE)
                if frame is None:
                    continue  # an extension frame
                if frame.type == FrameType.HELLO:
                    self.server_hello = decode_hello(frame).fields
                    break
                if frame.type == FrameType.CONN_ERROR:
                    error = decode_conn_error(frame)
                    self._close(f"CONN_ERROR {error.code}")
                    raise ConnectError(error.text, error.code)
                if frame.type == FrameType.PING:
                    self._handle_ping(decode_ping(frame))
                    continue
                raise ProtocolError(f"expected HELLO, got {_enum_name(FrameType, frame.type)}")
        except ProtocolError as error:
            self._fail(error)
            raise ConnectError(f"the server broke the protocol: {error.text}") from None
        except TimeoutError:
            self._close("timed out")
            raise ConnectError(f"no HELLO from the server within {timeout:g} s") from None
        except _Closed as closed:
            raise ConnectError(closed.text) from None
        except OSError as error:  # includes ssl.SSLError: a TLS alert, e.g. our certificate refused
            self._close(str(error))
            raise ConnectError(f"{type(error).__name__}: {error}") from None
        major, minor = self.server_hello.version
        if major != PROTOCOL_VERSION[0]:
            self._close("unsupported version")
            raise ConnectError(
                f"the server speaks protocol {major}.{minor}, this client speaks "
                f"{PROTOCOL_VERSION[0]}.{PROTOCOL_VERSION[1]}"
            )

    def _send_hello(self) -> None:
        """Writes the preface and HELLO. If the write fails, one read may still bring the reason
        (with TLS 1.3 a server that refuses our certificate says so in an alert)."""
        self._sock.settimeout(self._io_timeout)
        try:
            self._sock.sendall(PREFACE + encode_hello(Hello(self.local_hello)).encode())
        except OSError as write_error:
            reason = f"write failed: {type(write_error).__name__}: {write_error}"
            try:
                self._sock.recv(65536)
            except OSError as read_error:
                reason = f"{type(read_error).__name__}: {read_error} (after {reason})"
            self._close(reason)
            raise _Closed(reason) from None

    @property
    def max_frame_size_out(self) -> int:
        """The largest frame ``length`` the server accepts."""
        return int(self.server_hello.effective("max_frame_size")) if self.server_hello else DEFAULT_MAX_FRAME_SIZE

    @property
    def max_frame_size_in(self) -> int:
        return int(self.local_hello.effective("max_frame_size"))

    @property
    def max_message_size_in(self) -> int:
        return int(self.local_hello.effective("max_message_size"))

    @property
    def closed(self) -> bool:
        return self._closed is not None

    def close(self) -> None:
        self._close("closed by the client")

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- byte I/O ---

    def _send(self, data: bytes) -> None:
        if self._closed is not None:
            raise _Closed(self._closed)
        self._sock.settimeout(self._io_timeout)
        try:
            self._sock.sendall(data)
        except OSError as error:
            self._close(f"write failed: {error}")
            raise _Closed(f"write failed: {error}") from None

    def _send_frame(self, frame: Frame) -> None:
        self._send(frame.encode())

    def _fill(self, deadline: float) -> None:
        """Reads more bytes into the buffer; TimeoutError when ``deadline`` passes.

        Bytes already read stay in the buffer, so a timeout never loses part of a frame.
        """
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        self._sock.settimeout(remaining)
        try:
            chunk = self._sock.recv(65536)
        except (TimeoutError, socket.timeout):
            raise TimeoutError from None
        except OSError as error:
            self._close(f"read failed: {error}")
            raise _Closed(f"read failed: {type(error).__name__}: {error}") from None
        if not chunk:
            self._close("the server closed the connection")
            raise _Closed("the server closed the connection")
        self._buffer += chunk

    def _read_frame(self, deadline: float, max_frame_size: int | None = None) -> Frame | None:
        """The next frame, or None for an ignored extension frame. PINGs are left to the caller."""
        if self._closed is not None:
            raise _Closed(self._closed)
        limit = self.max_frame_size_in if max_frame_size is None else max_frame_size
        while len(self._buffer) < HEADER_SIZE:
            self._fill(deadline)
        header = FrameHeader.decode(bytes(self._buffer[:HEADER_SIZE]))
        if header.length > limit:  # checked from the header alone, before buffering the body
            raise ProtocolError(
                f"frame length {header.length} exceeds the maximum frame size {limit}", ConnErrorCode.FRAME_TOO_LARGE
            )
        while len(self._buffer) < HEADER_SIZE + header.length:
            self._fill(deadline)
        body = bytes(self._buffer[HEADER_SIZE : HEADER_SIZE + header.length])
        del self._buffer[: HEADER_SIZE + header.length]
        if header.is_extension:
            return None
        frame = Frame.from_parts(header, body)
        check_frame_class(frame)
        return frame

    def _handle_ping(self, ping: Ping) -> None:
        if not ping.ack:  # a PONG that answers nothing is ignored
            self._send_frame(encode_ping(Ping(ping.data, ack=True)))
            self.pings_answered += 1

    def _fail(self, error: ProtocolError) -> None:
        """Sends CONN_ERROR for a protocol error of the server's and closes."""
        if self._closed is None:
            try:
                self._send_frame(encode_conn_error(ConnError(error.code, error.text)))
            except _Closed:
                pass
        self._close(f"protocol error: {error.text}")

    def _close(self, why: str) -> None:
        if self._closed is None:
            self._closed = why
            try:
                self._sock.close()
            except OSError:
                pass

    # --- calls (sections 6-10) ---

    def call(
        self,
        method: str,
        request: bytes,
        timeout_us: int | None = None,
        traceparent: Traceparent | None = None,
        saga: SagaContext | None = None,
        idempotency_key: str | None = None,
        actor: str | None = None,
        metadata: Metadata | None = None,
    ) -> CallResult:
        """Runs one unary call; returns (status, outcome, message, response bytes or None).

        Connection failures do not raise: they end the call UNAVAILABLE as section 4.9 says.
        Bad arguments (a reserved metadata key, say) raise ValueError before anything is sent.
        """
        fields = CallFields(method, timeout_us, traceparent, saga, idempotency_key, actor, metadata_pairs(metadata))
        for key, _ in fields.metadata:
            problem = check_metadata_key(key)
            if problem:
                raise ValueError(problem)
        ext = encode_call_fields(fields)

        if self._closed is not None:
            return CallResult(Status.UNAVAILABLE, Outcome.NOT_EXECUTED, f"connection closed: {self._closed}", None)
        if self.drain is not None:
            return CallResult(Status.UNAVAILABLE, Outcome.NOT_EXECUTED, "the server is draining this connection", None)
        stream_id = self._next_stream_id
        if stream_id > MAX_STREAM_ID:
            return CallResult(Status.UNAVAILABLE, Outcome.NOT_EXECUTED, "stream ids exhausted; open a new connection", None)
        self._next_stream_id += 2
        self._highest_stream_id = stream_id

        # Without a timeout the server applies its default (30 s); this client still waits at
        # most io_timeout, so a silent server cannot hang it.
        wait = self._io_timeout if timeout_us is None else timeout_us / 1e6
        deadline = time.monotonic() + wait
        first = max(0, self.max_frame_size_out - len(ext))
        if first == 0 and request:
            raise ValueError("the CALL ext block leaves no room for the request in one frame")
        frames = [encode_call(Call(stream_id, fields, request[:first], end_stream=len(request) <= first, more=len(request) > first))]
        rest = request[first:]
        chunk = self.max_frame_size_out
        while rest:
            piece, rest = rest[:chunk], rest[chunk:]
            frames.append(encode_message(Message(stream_id, piece, more=bool(rest), end_stream=not rest)))

        try:
            self._send_frame(frames[0])
        except _Closed as closed:
            return CallResult(Status.UNAVAILABLE, Outcome.NOT_EXECUTED, f"connection closed: {closed.text}", None)
        try:
            for frame in frames[1:]:
                self._send_frame(frame)
            return self._await_end(stream_id, deadline)
        except _Closed as closed:
            return CallResult(Status.UNAVAILABLE, Outcome.UNKNOWN, f"connection closed: {closed.text}", None)
        except ProtocolError as error:
            self._fail(error)
            return CallResult(Status.UNAVAILABLE, Outcome.UNKNOWN, f"the server broke the protocol: {error.text}", None)

    def _give_up(self, stream_id: int, reason: CancelReason) -> None:
        self._abandoned.add(stream_id)
        try:
            self._send_frame(encode_cancel(Cancel(stream_id, reason)))
        except _Closed:
            pass

    def _await_end(self, stream_id: int, deadline: float) -> CallResult:
        fragments: list[bytes] = []
        fragment_bytes = 0
        response: bytes | None = None
        while True:
            try:
                frame = self._read_frame(deadline)
            except TimeoutError:  # section 9.1: CANCEL reason 1, DEADLINE_EXCEEDED, unknown
                self._give_up(stream_id, CancelReason.DEADLINE_EXCEEDED)
                return CallResult(Status.DEADLINE_EXCEEDED, Outcome.UNKNOWN, "deadline exceeded (client side)", None)
            if frame is None:
                continue
            if frame.type in (FrameType.CALL, FrameType.CANCEL, FrameType.CREDIT):
                raise ProtocolError(f"{FrameType(frame.type).name} sent by the server")
            typed = decode_typed(frame)
            if isinstance(typed, Ping):
                self._handle_ping(typed)
            elif isinstance(typed, Drain):
                self.drain = typed
                if stream_id > typed.last_stream_id:
                    self._abandoned.add(stream_id)
                    return CallResult(Status.UNAVAILABLE, Outcome.NOT_EXECUTED, "the server is draining; call not accepted", None)
            elif isinstance(typed, ConnError):
                self._close(f"CONN_ERROR {typed.code}")
                name = _enum_name(ConnErrorCode, typed.code)
                return CallResult(Status.UNAVAILABLE, Outcome.UNKNOWN, f"the server sent CONN_ERROR {name} ({typed.code}): {typed.text}", None)
            elif isinstance(typed, Hello):
                raise ProtocolError("a second HELLO")
            elif typed.stream_id != stream_id:
                self._other_stream(typed)
            elif isinstance(typed, Message):
                fragments.append(typed.payload)
                fragment_bytes += len(typed.payload)
                if fragment_bytes > self.max_message_size_in:
                    self._give_up(stream_id, CancelReason.CANCELLED)
                    return CallResult(Status.RESOURCE_EXHAUSTED, Outcome.UNKNOWN, f"response exceeds {self.max_message_size_in} bytes", None)
                if not typed.more:
                    if response is not None:
                        raise ProtocolError(f"a second response message on unary call {stream_id}")
                    response = b"".join(fragments)
                    fragments, fragment_bytes = [], 0
            elif isinstance(typed, End):
                if fragments:
                    raise ProtocolError(f"END on stream {stream_id} after a MESSAGE with MORE")
                return CallResult(typed.status, typed.outcome, typed.message, response, typed.retry_after_ms, tuple(typed.trailers))

    def _other_stream(self, typed: Message | End) -> None:
        """A MESSAGE or END for a stream other than the one being awaited (section 6.4)."""
        sid = typed.stream_id
        if sid % 2 == 0 or sid > self._highest_stream_id:
            raise ProtocolError(f"{type(typed).__name__.upper()} for stream {sid}, which was never opened")
        if isinstance(typed, End):
            self._abandoned.discard(sid)
        # frames for calls we gave up on (or already finished) are ignored
