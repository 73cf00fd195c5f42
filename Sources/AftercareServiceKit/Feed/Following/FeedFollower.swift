import AftercareCrashPoints
import AftercareRPC
package import Logging
import ServiceLifecycle

/// Follows one service's feed from its durable cursor, a page of events at a time: hands each
/// event of a page to every handler, in order, then writes the page — every writer's writes and
/// the cursor past it — in one transaction. The cursor moves past an event only in the
/// transaction that wrote it (at-least-once for the handlers; a crash before the commit delivers
/// the page again). When the source is unreachable, its connection ends, or a handler fails, it
/// resumes from the cursor after a back-off; the events of the page before a failed one are
/// written first. Runs as a `Service` until graceful shutdown. Under a ``WorkLease`` (processes
/// sharing one database, such as several gateways) it follows only while it holds the lease, and
/// each page's transaction confirms the lease, so a follower that lost it writes nothing more.
package struct FeedFollower: Service {
    /// How the follower backs off.
    package struct Configuration: Sendable {
        /// The first wait after a failure (default 100 ms), doubled per failure in a row (±20 %).
        package var initialBackoff: Duration
        /// The longest wait (default 10 s).
        package var maximumBackoff: Duration

        /// - Parameters:
        ///   - initialBackoff: the first wait after a failure.
        ///   - maximumBackoff: the longest wait.
        package init(initialBackoff: Duration = .milliseconds(100), maximumBackoff: Duration = .seconds(10)) {
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
        }

        /// 100 ms, doubled up to 10 s.
        package static let defaults = Configuration()
    }

    /// The feed it follows.
    package let source: any EventSource
    let cursors: FeedCursors
    let handlers: [any EventHandler]
    let writers: [any EventWriter]
    let clock: ServiceClock
    let configuration: Configuration
    let logger: Logger
    let sleep: @Sendable (Duration) async throws -> Void
    let metrics: FeedFollowerMetrics
    /// The lease it follows under, when other processes follow the same feed into the same
    /// database.
    let lease: WorkLease?

    /// - Parameters:
    ///   - source: the feed.
    ///   - cursors: where the cursor is kept; the writers write to the same database.
    ///   - handlers: called with each event, in this order.
    ///   - writers: called with each page once the handlers handled it, in this order, in the
    ///     page's transaction.
    ///   - clock: stamps the cursor's updates and the writers' rows.
    ///   - configuration: back-off.
    ///   - logger: failures, with `feed.source` metadata.
    ///   - sleep: how back-off waits (tests may pass a shorter one).
    ///   - lease: the lease to follow under, when other processes follow the same feed into the
    ///     same database; `nil` for a follower alone.
    package init(
        source: any EventSource, cursors: FeedCursors, handlers: [any EventHandler], writers: [any EventWriter], clock: ServiceClock,
        configuration: Configuration = .defaults, logger: Logger, sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        lease: WorkLease? = nil
    ) {
        self.source = source
        self.cursors = cursors
        self.handlers = handlers
        self.writers = writers
        self.clock = clock
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "feed.source"] = "\(source.name)"
        self.logger = logger
        self.sleep = sleep
        self.metrics = FeedFollowerMetrics(feed: source.name)
        self.lease = lease
    }

    /// Follows the feed until graceful shutdown or cancellation (under its lease, while it holds it).
    package func run() async throws {
        await cancelWhenGracefulShutdown {
            if let lease = self.lease {
                await lease.run(logger: self.logger) { try await self.followUntilCancelled() }
            } else {
                try? await self.followUntilCancelled()
            }
        }
    }

    /// Follows until cancelled.
    /// - Throws: ``WorkLeaseLost`` when a page's transaction found the lease another process's.
    private func followUntilCancelled() async throws {
        var wait = self.configuration.initialBackoff
        while !Task.isCancelled {
            var start: Int64 = 0
            do {
                start = try await self.cursors.position(self.source.name)
                try await self.source.follow(after: start) { page in
                    try await self.handle(page)
                }
                wait = self.configuration.initialBackoff
                continue
            } catch let lost as WorkLeaseLost {
                throw lost
            } catch let failure as HandlerFailure where !Task.isCancelled {
                self.logger.warning(
                    "a handler failed; the event is delivered again after a back-off",
                    metadata: ["event.id": "\(failure.eventID)", "event.type": "\(failure.type)", "error": "\(failure.error)"])
            } catch let error as RPCError where error.code == .deadlineExceeded && !Task.isCancelled {
                // One FollowEvents call ran its course; open the next at once.
                wait = self.configuration.initialBackoff
                continue
            } catch where !Task.isCancelled {
                self.logger.info("cannot follow the feed; resuming after a back-off", metadata: ["error": "\(error)"])
            } catch {
                return
            }
            if let now = try? await self.cursors.position(self.source.name), now > start {
                wait = self.configuration.initialBackoff
            }
            do {
                try await self.sleep(wait * Double.random(in: 0.8...1.2))
            } catch {
                return
            }
            wait = min(wait * 2, self.configuration.maximumBackoff)
        }
    }

    /// Hands each event of `page` to every handler, then writes the events they all handled; a
    /// handler's failure is thrown once the events before it are written.
    private func handle(_ page: [Aftercare_Common_V1_Event]) async throws {
        var handled = 0
        var failure: HandlerFailure?
        for event in page {
            do {
                for handler in self.handlers {
                    try await handler.handle(event)
                }
            } catch {
                failure = HandlerFailure(eventID: event.eventID, type: event.type, error: error)
                break
            }
            CrashPoints.reach(.routerEventHandled, "\(self.source.name)/\(event.seq)/\(event.type)")
            handled += 1
        }
        try await self.write(page[..<handled])
        if let failure { throw failure }
    }

    /// Every writer's writes for `events` and the cursor past them, in one transaction.
    private func write(_ events: ArraySlice<Aftercare_Common_V1_Event>) async throws {
        guard let first = events.first, let last = events.max(by: { $0.seq < $1.seq }) else { return }
        let (source, writers, cursors, lease, now) = (self.source.name, self.writers, self.cursors, self.lease, self.clock.nowMicros)
        let page = Array(events)
        do {
            try await cursors.database.transaction { db in
                try lease?.confirm(in: db)
                for writer in writers { try writer.write(page, atMicros: now, in: db) }
                try cursors.advance(source, to: last.seq, atMicros: now, in: db)
                CrashPoints.reach(.routerPageUncommitted, "\(source)/\(first.seq)-\(last.seq)")
            }
        } catch let lost as WorkLeaseLost {
            throw lost
        } catch {
            throw HandlerFailure(eventID: first.eventID, type: first.type, error: error)
        }
        for event in page {
            self.metrics.handled(occurredMicros: event.occurredAtUnixMicros, nowMicros: now)
        }
    }
}

/// A handler or a writer refused an event: the follower backs off and delivers it again.
struct HandlerFailure: Error {
    let eventID: String
    let type: String
    let error: any Error
}
