/// What one side of a connection accepts to receive, announced in its HELLO (WIRE.md §5.1, §11).
public struct WireLimits: Sendable, Hashable {
    /// The largest frame body (`length`) accepted.
    public var maxFrameSize: UInt32
    /// The largest message accepted, after joining fragments.
    public var maxMessageSize: UInt32
    /// The largest ext block of a CALL or END accepted.
    public var maxMetadataSize: UInt32
    /// From a server: how many calls it runs at once on one connection.
    public var maxConcurrentCalls: UInt32
    /// From a client: how many response messages a server may send on a call before CREDIT.
    public var initialStreamWindow: UInt32

    public init(
        maxFrameSize: UInt32 = WireLimits.defaults.maxFrameSize,
        maxMessageSize: UInt32 = WireLimits.defaults.maxMessageSize,
        maxMetadataSize: UInt32 = WireLimits.defaults.maxMetadataSize,
        maxConcurrentCalls: UInt32 = WireLimits.defaults.maxConcurrentCalls,
        initialStreamWindow: UInt32 = WireLimits.defaults.initialStreamWindow
    ) {
        self.maxFrameSize = maxFrameSize
        self.maxMessageSize = maxMessageSize
        self.maxMetadataSize = maxMetadataSize
        self.maxConcurrentCalls = maxConcurrentCalls
        self.initialStreamWindow = initialStreamWindow
    }

    /// The defaults of WIRE.md §5.1.
    public static let defaults = WireLimits(
        maxFrameSize: 1_048_576,
        maxMessageSize: 4_194_304,
        maxMetadataSize: 8_192,
        maxConcurrentCalls: 1_024,
        initialStreamWindow: 16
    )

    /// The ranges WIRE.md §5.1 allows.
    public static let frameSizeRange: ClosedRange<UInt32> = 16_384...16_777_216
    public static let messageSizeRange: ClosedRange<UInt32> = 16_384...16_777_216
    public static let metadataSizeRange: ClosedRange<UInt32> = 1_024...65_535

    /// Checks every value against its range, naming the first that is out of it.
    public func validate() throws(WireError) {
        guard Self.frameSizeRange.contains(self.maxFrameSize) else {
            throw WireError(.protocolError, "max frame size \(self.maxFrameSize) is outside \(Self.frameSizeRange)")
        }
        guard Self.messageSizeRange.contains(self.maxMessageSize) else {
            throw WireError(.protocolError, "max message size \(self.maxMessageSize) is outside \(Self.messageSizeRange)")
        }
        guard Self.metadataSizeRange.contains(self.maxMetadataSize) else {
            throw WireError(.protocolError, "max metadata size \(self.maxMetadataSize) is outside \(Self.metadataSizeRange)")
        }
        guard self.maxConcurrentCalls >= 1 else {
            throw WireError(.protocolError, "max concurrent calls must be at least 1")
        }
        guard self.initialStreamWindow >= 1 else {
            throw WireError(.protocolError, "initial stream window must be at least 1")
        }
    }
}
