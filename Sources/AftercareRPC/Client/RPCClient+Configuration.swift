public import AftercareWire

extension RPCClient {
    /// How a client behaves; every field has a documented default.
    public struct Configuration: Sendable {
        /// The name in the client's HELLO, e.g. `aftercare-gateway`.
        public var name: String
        public var build: String
        /// What the client accepts: frame and message sizes, and the stream window it grants.
        /// Default: WIRE.md's defaults.
        public var limits: WireLimits
        /// The timeout of a call that sets none. Default 10 s.
        public var defaultTimeout: Duration
        /// How long connecting, TLS and the HELLO exchange may take. Default 5 s.
        public var connectTimeout: Duration
        /// The wait after a failed connection attempt, doubled after each further failure up to
        /// ``maximumBackoff``, with ±20 % jitter. Default 100 ms.
        public var initialBackoff: Duration
        /// Default 5 s.
        public var maximumBackoff: Duration
        /// With calls open and nothing read for this long, the client sends a PING. Default 30 s.
        public var keepaliveInterval: Duration
        /// A PING unanswered for this long closes the connection (its calls end unknown). Default 10 s.
        public var keepaliveTimeout: Duration
        /// The protocol version sent in HELLO; only tests change it.
        package var protocolVersion: ProtocolVersion

        public init(
            name: String,
            build: String = "dev",
            limits: WireLimits = .defaults,
            defaultTimeout: Duration = .seconds(10),
            connectTimeout: Duration = .seconds(5),
            initialBackoff: Duration = .milliseconds(100),
            maximumBackoff: Duration = .seconds(5),
            keepaliveInterval: Duration = .seconds(30),
            keepaliveTimeout: Duration = .seconds(10)
        ) {
            self.name = name
            self.build = build
            self.limits = limits
            self.defaultTimeout = defaultTimeout
            self.connectTimeout = connectTimeout
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
            self.keepaliveInterval = keepaliveInterval
            self.keepaliveTimeout = keepaliveTimeout
            self.protocolVersion = WireProtocol.version
        }

        var hello: HelloFields {
            HelloFields(version: self.protocolVersion, limits: self.limits, peerName: self.name, build: self.build)
        }
    }
}
