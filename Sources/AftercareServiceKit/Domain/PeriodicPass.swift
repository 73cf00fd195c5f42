public import Logging
public import ServiceLifecycle

/// A background pass a service runs at start-up (settling what came due while it was down) and
/// then every `interval`, until graceful shutdown. A pass that fails is logged; the next one retries.
public struct PeriodicPass: Service {
    /// What the log calls it, e.g. "reconciliation pass".
    public let name: String
    public let interval: Duration
    /// Whether the first pass waits one `interval` instead of running at start-up (a pass with
    /// nothing due at start, that would only add to it).
    public let waitsFirst: Bool
    let logger: Logger
    let pass: @Sendable () async throws -> Void

    public init(
        name: String, interval: Duration, waitsFirst: Bool = false, logger: Logger, pass: @escaping @Sendable () async throws -> Void
    ) {
        self.name = name
        self.interval = interval
        self.waitsFirst = waitsFirst
        self.logger = logger
        self.pass = pass
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
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
}
