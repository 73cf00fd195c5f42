/// The `type` byte of a frame (WIRE.md §4).
public struct FrameType: Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    public static let call = Self(rawValue: 0x01)
    public static let message = Self(rawValue: 0x02)
    public static let end = Self(rawValue: 0x03)
    public static let cancel = Self(rawValue: 0x04)
    public static let credit = Self(rawValue: 0x05)
    public static let hello = Self(rawValue: 0x41)
    public static let ping = Self(rawValue: 0x42)
    public static let drain = Self(rawValue: 0x43)
    public static let connectionError = Self(rawValue: 0x44)

    /// Bit 6 marks a connection frame, whose stream id is 0 (WIRE.md §3.1).
    public var isConnectionFrame: Bool { self.rawValue & 0x40 != 0 }

    /// Types 0x80–0xFF are extensions a receiver that does not know them ignores.
    public var isExtension: Bool { self.rawValue >= 0x80 }

    /// Whether version 1 defines this type: compared, not hashed into a set, as every frame read
    /// asks.
    public var isKnown: Bool {
        switch self {
        case .call, .message, .end, .cancel, .credit, .hello, .ping, .drain, .connectionError: true
        default: false
        }
    }

    /// Whether frames of this type may carry an ext block.
    public var hasExtBlock: Bool { self == .call || self == .end || self == .hello }

    public var description: String {
        switch self {
        case .call: "CALL"
        case .message: "MESSAGE"
        case .end: "END"
        case .cancel: "CANCEL"
        case .credit: "CREDIT"
        case .hello: "HELLO"
        case .ping: "PING"
        case .drain: "DRAIN"
        case .connectionError: "CONN_ERROR"
        default: "0x" + String(self.rawValue, radix: 16)
        }
    }
}

/// The `flags` byte of a frame (WIRE.md §3.2).
public struct FrameFlags: OptionSet, Sendable, Hashable {
    public var rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// CALL or MESSAGE from the client: this frame completes the request.
    public static let endStream = Self(rawValue: 0x01)
    /// MESSAGE: reserved for compression, which version 1 does not negotiate.
    public static let compressed = Self(rawValue: 0x02)
    /// CALL or MESSAGE: the message continues in the next MESSAGE frame of the stream.
    public static let more = Self(rawValue: 0x04)
    /// PING: this is the answer (PONG).
    public static let ack = Self(rawValue: 0x08)
}
