/// The one error every Aftercare call fails with: a status code, a message, and whether the call's
/// effect happened (WIRE.md §7).
public struct RPCError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status code, from gRPC's canonical set.
    public var code: Code
    /// Text for people.
    public var message: String
    /// Whether the call's effect happened. `nil` on an error a handler throws means the runtime
    /// decides (executed); on an error a client receives it is always set.
    public var outcome: CallOutcome?
    /// When to retry, if the server gave a hint.
    public var retryAfter: Duration?

    public init(_ code: Code, _ message: String, outcome: CallOutcome? = nil, retryAfter: Duration? = nil) {
        self.code = code
        self.message = message
        self.outcome = outcome
        self.retryAfter = retryAfter
    }

    public var description: String {
        var text = "\(self.code): \(self.message)"
        if let outcome { text += " (\(outcome))" }
        return text
    }

    /// Whether a caller may retry at once without risking a second effect.
    public var isSafeToRetry: Bool { self.outcome == .notExecuted }

    /// A status code (WIRE.md §7.1). A struct, so codes outside the set survive a round trip.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public var rawValue: UInt16

        public init(rawValue: UInt16) {
            self.rawValue = rawValue
        }

        public static let ok = Self(rawValue: 0)
        public static let cancelled = Self(rawValue: 1)
        public static let unknown = Self(rawValue: 2)
        public static let invalidArgument = Self(rawValue: 3)
        public static let deadlineExceeded = Self(rawValue: 4)
        public static let notFound = Self(rawValue: 5)
        public static let alreadyExists = Self(rawValue: 6)
        public static let permissionDenied = Self(rawValue: 7)
        public static let resourceExhausted = Self(rawValue: 8)
        public static let failedPrecondition = Self(rawValue: 9)
        public static let aborted = Self(rawValue: 10)
        public static let outOfRange = Self(rawValue: 11)
        public static let unimplemented = Self(rawValue: 12)
        public static let `internal` = Self(rawValue: 13)
        public static let unavailable = Self(rawValue: 14)
        public static let dataLoss = Self(rawValue: 15)
        public static let unauthenticated = Self(rawValue: 16)

        static let names = [
            "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
            "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED",
            "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
        ]

        /// The code as received: anything outside 0–16 reads as `UNKNOWN` (WIRE.md §4.3).
        public init(wire: UInt16) {
            self = wire < Self.names.count ? Self(rawValue: wire) : .unknown
        }

        /// Whether the failure is transient: a retry later may succeed.
        public var isTransient: Bool {
            self == .unavailable || self == .deadlineExceeded || self == .resourceExhausted
        }

        public var description: String {
            Int(self.rawValue) < Self.names.count ? Self.names[Int(self.rawValue)] : "STATUS(\(self.rawValue))"
        }
    }
}
