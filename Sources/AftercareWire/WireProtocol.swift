/// Constants of the Aftercare wire protocol, as `proto-spec/WIRE.md` states them.
///
/// A test reads WIRE.md and checks that every number here is the one the document gives.
public enum WireProtocol {
    /// The protocol version this build speaks (WIRE.md §2.3).
    public static let version = ProtocolVersion(major: 1, minor: 0)

    /// The 8 bytes a client sends before anything else: `"AFTC" CR LF SUB LF` (WIRE.md §2.1).
    public static let preface: [UInt8] = [0x41, 0x46, 0x54, 0x43, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The TLS ALPN protocol id (WIRE.md §12).
    public static let alpnID = "aftercare/1"

    /// Size of the fixed frame header in bytes (WIRE.md §3).
    public static let headerSize = 12

    /// The largest stream id (bit 31 is reserved).
    public static let maxStreamID: UInt32 = 0x7FFF_FFFF

    /// How long a server waits for the client's HELLO, in seconds (WIRE.md §2.2).
    public static let helloTimeoutSeconds = 10

    /// PINGs a server accepts from a client in one second; more close the connection (WIRE.md §9.3).
    public static let maxPingsPerSecond = 10

    /// The `retry_after_ms` value that means "no hint" (WIRE.md §4.3).
    public static let noRetryHint: UInt32 = 0xFFFF_FFFF

    /// Fixed field limits (WIRE.md §11).
    public static let maxMethodLength = 255
    public static let maxIdempotencyKeyLength = 255
    public static let maxActorLength = 255
    public static let maxSagaIDLength = 128
    public static let maxStepLength = 128
    public static let maxMetadataKeyLength = 64
    public static let maxPeerNameLength = 255

    /// The server's default timeout for a CALL without one, in seconds (WIRE.md §5.2).
    public static let defaultServerTimeoutSeconds = 30
}

/// A protocol version, `major.minor` (WIRE.md §2.3).
public struct ProtocolVersion: Sendable, Hashable, CustomStringConvertible {
    public var major: UInt8
    public var minor: UInt8

    public init(major: UInt8, minor: UInt8) {
        self.major = major
        self.minor = minor
    }

    public var description: String { "\(self.major).\(self.minor)" }
}
