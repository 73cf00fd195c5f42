/// Why a client cancels a call (WIRE.md §4.4).
public enum CancelReason: UInt8, Sendable, Hashable {
    case deadlineExceeded = 1
    case cancelledByCaller = 2
    case shuttingDown = 3
}

/// Why a server drains a connection (WIRE.md §4.8).
public enum DrainReason: UInt8, Sendable, Hashable {
    case shutdown = 0
    case tooOld = 1
    case streamIDsExhausted = 2
}

/// The body of a DRAIN frame (WIRE.md §4.8).
public struct DrainBody: Sendable, Hashable {
    /// The highest call id the server accepted and will finish.
    public var lastStreamID: UInt32
    public var reason: DrainReason
    /// How long accepted calls have to finish.
    public var deadlineMs: UInt32

    public init(lastStreamID: UInt32, reason: DrainReason, deadlineMs: UInt32) {
        self.lastStreamID = lastStreamID
        self.reason = reason
        self.deadlineMs = deadlineMs
    }
}

/// The body of a CONN_ERROR frame (WIRE.md §4.9).
public struct ConnectionErrorBody: Sendable, Hashable {
    public var code: ConnectionErrorCode
    public var text: String

    public init(code: ConnectionErrorCode, text: String) {
        self.code = code
        self.text = text
    }
}
