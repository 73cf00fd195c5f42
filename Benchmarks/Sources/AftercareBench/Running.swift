import AftercareRPC

/// The `run()` of a server or client, going on in a task of its own until ``stop(within:)``, so
/// that a phase can stop it without hanging if it never ends.
struct Running: Sendable {
    private let task: Task<Void, any Error>
    private let shutdown: @Sendable () -> Void

    init(_ server: RPCServer) {
        self.task = Task { try await server.run() }
        self.shutdown = { server.beginGracefulShutdown() }
    }

    init(_ client: RPCClient) {
        self.task = Task { try await client.run() }
        self.shutdown = { client.beginGracefulShutdown() }
    }

    /// Begins graceful shutdown and waits for `run()` to return, at most `limit` (longer than a
    /// server's default drain timeout, 10 s); whether it did.
    func stop(within limit: Duration = .seconds(15)) async -> Bool {
        self.shutdown()
        return await finishes(self.task, within: limit)
    }

    /// Stops them all at once; whether every one stopped in time.
    static func stopAll(_ running: [Running]) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            for item in running {
                group.addTask { await item.stop() }
            }
            return await group.reduce(true) { $0 && $1 }
        }
    }
}
