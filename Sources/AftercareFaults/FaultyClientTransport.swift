package import AftercareRPC
package import NIOCore

/// A client transport whose connections go through a ``FaultInjector``: drop, delay, duplicate
/// and reorder calls, drop or delay replies, cut connections — as its plan says.
///
/// ```swift
/// let faults = FaultInjector(try FaultPlan(script: "drop-reply payments/Refund #3"))
/// let client = RPCClient(transport: FaultyClientTransport(wrapping: transport, injector: faults), ...)
/// ```
package struct FaultyClientTransport: ClientTransport {
    /// The transport that opens the connections.
    package let inner: any ClientTransport
    /// The faults every connection goes through.
    package let injector: FaultInjector

    /// Wraps `inner`; every connection it opens goes through `injector`.
    package init(wrapping inner: any ClientTransport, injector: FaultInjector) {
        self.inner = inner
        self.injector = injector
    }

    package var target: String { self.inner.target }

    /// Opens a connection through `inner`, with the faults between its frame codec and the
    /// protocol handler `configure` adds.
    package func connect(_ configure: @escaping @Sendable (any Channel) throws -> Void) async throws -> any Channel {
        try await self.inner.connect { [injector] channel in
            try channel.pipeline.syncOperations.addHandler(FaultHandler(injector: injector))
            try configure(channel)
        }
    }
}
