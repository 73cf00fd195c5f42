/// A violation of the wire protocol: the connection that carried it is closed with `CONN_ERROR`.
///
/// The code is the `CONN_ERROR` code the receiver sends (WIRE.md §4.9); the message says exactly
/// which rule was broken, for the peer and for logs.
public struct WireError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: ConnectionErrorCode
    public var message: String

    public init(_ code: ConnectionErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(self.code): \(self.message)" }
}

/// The codes a `CONN_ERROR` frame carries (WIRE.md §4.9).
public struct ConnectionErrorCode: Sendable, Hashable, CustomStringConvertible {
    public var rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    public static let protocolError = Self(rawValue: 1)
    public static let unsupportedVersion = Self(rawValue: 2)
    public static let frameTooLarge = Self(rawValue: 3)
    public static let peerNotAllowed = Self(rawValue: 4)
    public static let helloTimeout = Self(rawValue: 5)
    public static let internalError = Self(rawValue: 6)

    public var description: String {
        switch self {
        case .protocolError: "PROTOCOL_ERROR"
        case .unsupportedVersion: "UNSUPPORTED_VERSION"
        case .frameTooLarge: "FRAME_TOO_LARGE"
        case .peerNotAllowed: "PEER_NOT_ALLOWED"
        case .helloTimeout: "HELLO_TIMEOUT"
        case .internalError: "INTERNAL_ERROR"
        default: "CONN_ERROR(\(self.rawValue))"
        }
    }
}
