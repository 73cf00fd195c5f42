public import AftercareWire

extension RPCServer {
    /// How a server behaves; every field has a documented default.
    public struct Configuration: Sendable {
        /// The name in the server's HELLO and health answer, e.g. `aftercare-orders`.
        public var name: String
        /// The build in the server's HELLO and health answer.
        public var build: String
        /// What the server accepts and announces: frame, message and metadata sizes, and
        /// concurrent calls per connection. Default: WIRE.md's defaults.
        public var limits: WireLimits
        /// Calls running at once across all connections. Default 8,192.
        public var maxConcurrentCallsTotal: Int
        /// The deadline of a call that carries no timeout. Default 30 s (WIRE.md §5.2).
        public var defaultTimeout: Duration
        /// How long a graceful shutdown lets accepted calls finish. Default 10 s.
        public var drainTimeout: Duration
        /// How long a connection may take, from its accept, to finish its handshake: TLS, then
        /// HELLO. Default 10 s (WIRE.md §2.2).
        public var helloTimeout: Duration
        /// Connections still in their handshake that one listener holds; past it the oldest is
        /// closed. Default 256.
        public var maxUnauthenticatedConnections: Int
        /// The same bound per peer uid on Unix sockets, so one local user cannot crowd out the
        /// others. Default 128: well above a burst of clients connecting at once.
        public var maxUnauthenticatedConnectionsPerUID: Int
        /// Bytes of requests still arriving in fragments that one connection may hold; past it the
        /// call is refused with `RESOURCE_EXHAUSTED`, not executed. Default 8 MiB.
        public var maxBufferedRequestBytesPerConnection: Int
        /// The same bound across all connections. Default 64 MiB.
        public var maxBufferedRequestBytesTotal: Int
        /// PINGs a client may send in one second before its connection is closed (WIRE.md §9.3).
        /// Default 10.
        public var maxPingsPerSecond: Int
        /// Unix-socket peers whose uid is not in this set are refused; `nil` admits every uid.
        public var allowedPeerUIDs: Set<UInt32>?
        /// Per-method allow-lists of principals, replacing what the service registered.
        public var methodAllowLists: [String: Set<String>]
        /// Principals allowed to call the services' methods that have no list of their own (neither
        /// registered nor in ``methodAllowLists``); `nil` admits every caller. The built-in
        /// `aftercare.common.v1.Server` methods are never covered.
        public var defaultAllowList: Set<String>?
        /// The `retry_after_ms` hint sent with `RESOURCE_EXHAUSTED`. Default 50 ms.
        public var overloadRetryHint: Duration

        public init(
            name: String,
            build: String = "dev",
            limits: WireLimits = .defaults,
            maxConcurrentCallsTotal: Int = 8_192,
            defaultTimeout: Duration = .seconds(WireProtocol.defaultServerTimeoutSeconds),
            drainTimeout: Duration = .seconds(10),
            helloTimeout: Duration = .seconds(WireProtocol.helloTimeoutSeconds),
            maxUnauthenticatedConnections: Int = 256,
            maxUnauthenticatedConnectionsPerUID: Int = 128,
            maxBufferedRequestBytesPerConnection: Int = 8 << 20,
            maxBufferedRequestBytesTotal: Int = 64 << 20,
            maxPingsPerSecond: Int = WireProtocol.maxPingsPerSecond,
            allowedPeerUIDs: Set<UInt32>? = nil,
            methodAllowLists: [String: Set<String>] = [:],
            defaultAllowList: Set<String>? = nil,
            overloadRetryHint: Duration = .milliseconds(50)
        ) {
            self.name = name
            self.build = build
            self.limits = limits
            self.maxConcurrentCallsTotal = maxConcurrentCallsTotal
            self.defaultTimeout = defaultTimeout
            self.drainTimeout = drainTimeout
            self.helloTimeout = helloTimeout
            self.maxUnauthenticatedConnections = maxUnauthenticatedConnections
            self.maxUnauthenticatedConnectionsPerUID = maxUnauthenticatedConnectionsPerUID
            self.maxBufferedRequestBytesPerConnection = maxBufferedRequestBytesPerConnection
            self.maxBufferedRequestBytesTotal = maxBufferedRequestBytesTotal
            self.maxPingsPerSecond = maxPingsPerSecond
            self.allowedPeerUIDs = allowedPeerUIDs
            self.methodAllowLists = methodAllowLists
            self.defaultAllowList = defaultAllowList
            self.overloadRetryHint = overloadRetryHint
        }
    }
}
