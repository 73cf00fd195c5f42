public import AftercareRPC

/// A client transport whose connections go through a ``FaultInjector``: drop, delay, duplicate
/// and reorder calls, drop or delay replies, cut connections — as its plan says.
///
/// ```swift
/// let faults = FaultInjector(try FaultPlan(script: "drop-reply payments/Refund #3"))
/// let client = RPCClient(transport: FaultyClientTransport(wrapping: transport, injector: faults), ...)
/// ```
public struct FaultyClientTransport: ClientTransport {
    public let inner: any ClientTransport
    public let injector: FaultInjector

/// Wraps `inner`; every connection it opens goes through `injector`.
    public init(wrapping inner: any ClientTransport, injector: FaultInjector) {
        self.inner = inner
        self.injector = injector
    }

    public var target: String { self.inner.target }

    public func withConnection(_ body: @escaping @Sendable (FrameConnection) async throws -> Void) async throws {
        try await self.inner.withConnection { connection in
            try await body(FaultyConnection(connection, injector: self.injector).connection)
        }
    }
}
