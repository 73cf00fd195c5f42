public import Logging
public import ServiceLifecycle

/// A background pass a service runs at start-up (settling what came due while it was down) and
/// then every `interval`, until graceful shutdown. A pass that fails is logged; the next one retries.
/// Under a ``WorkLease`` (processes sharing one database) only the lease's holder runs passes.
public struct PeriodicPass: Service {
    /// What the log calls it, e.g. "reconciliation pass".
    public let name: String
    public let interval: Duration
    /// Whether the first pass waits one `interval` instead of running at start-up (a pass with
    /// nothing due at start, that would only add to it).
    public let waitsFirst: Bool
    /// The lease the passes run under, when other processes run them on the same database.
    public let lease: WorkLease?
    let logger: Logger
    let pass: @Sendable () async throws -> Void

    /// - Parameters:
    ///   - name: what the log calls it.
    ///   - interval: the time between passes.
    ///   - waitsFirst: whether the first pass waits one `interval`.
    ///   - lease: the lease to run passes under, when other processes run them on the same
    ///     database; `nil` for a process alone.
    ///   - logger: failed passes.
    ///   - pass: one pass.
    public init(
        name: String, interval: Duration, waitsFirst: Bool = false, lease: WorkLease? = nil, logger: Logger,
        pass: @escaping @Sendable () async throws -> Void
    ) {
        self.name = name
        self.interval = interval
        self.waitsFirst = waitsFirst
        self.lease = lease
        self.logger = logger
        self.pass = pass
    }

    /// Runs passes until graceful shutdown (under its lease, while it holds it).
    public func run() async throws {
        await cancelWhenGracefulShutdown {
            if let lease = self.lease {
                await lease.run(logger: self.logger) { await self.passes() }
            } else {
                await self.passes()
            }
        }
    }

    /// Passes every `interval` until cancelled.
    private func passes() async {
        if self.waitsFirst { try? await Task.sleep(for: self.interval) }
        while !Task.isCancelled {
            do {
                try await self.pass()
            } catch where !Task.isCancelled {
                self.logger.warning("\(self.name) failed; the next pass retries", metadata: ["error": "\(error)"])
            } catch {
                return
            }
            try? await Task.sleep(for: self.interval)
        }
    }
}
