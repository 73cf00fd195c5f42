import AftercareCrashPoints
import AftercareRPC
package import AftercareServiceKit
package import Logging
import ServiceLifecycle

/// Follows one service's feed from its durable cursor and hands each event to every handler, in
/// order; the cursor moves past an event only after all of them succeeded (at-least-once), and is
/// written at most once per ``Configuration/cursorInterval``. When
/// the source is unreachable, its connection ends, or a handler fails, it resumes from the cursor
/// after a back-off. Runs as a `Service` until graceful shutdown.
package struct FeedFollower: Service {
    /// How the follower backs off.
    package struct Configuration: Sendable {
        /// The first wait after a failure (default 100 ms), doubled per failure in a row (±20 %).
        package var initialBackoff: Duration
        /// The longest wait (default 10 s).
        package var maximumBackoff: Duration
        /// How often the cursor is written (default 50 ms): the position of the last event handled
        /// is kept in memory and written at most once per interval, when the follower reconnects
        /// and when it stops. A crash delivers again at most that much (every handler is
        /// idempotent); `.zero` writes after every event.
        package var cursorInterval: Duration

        package init(
            initialBackoff: Duration = .milliseconds(100), maximumBackoff: Duration = .seconds(10), cursorInterval: Duration = .milliseconds(50)
        ) {
            self.initialBackoff = initialBackoff
            self.maximumBackoff = maximumBackoff
            self.cursorInterval = cursorInterval
        }

        package static let defaults = Configuration()
    }

    package let source: any EventSource
    let cursors: FeedCursors
    let handlers: [any EventHandler]
    let clock: ServiceClock
    let configuration: Configuration
    let logger: Logger
    let sleep: @Sendable (Duration) async throws -> Void
    let buffer = CursorBuffer()
    let metrics: FeedFollowerMetrics

    /// - Parameters:
    ///   - source: the feed.
    ///   - cursors: where the cursor is kept.
    ///   - handlers: called with each event, in this order.
    ///   - clock: stamps the cursor's updates.
    ///   - configuration: back-off.
    ///   - logger: failures, with `feed.source` metadata.
    ///   - sleep: how back-off waits (tests may pass a shorter one).
    package init(
        source: any EventSource, cursors: FeedCursors, handlers: [any EventHandler], clock: ServiceClock,
        configuration: Configuration = .defaults, logger: Logger, sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.source = source
        self.cursors = cursors
        self.handlers = handlers
        self.clock = clock
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "feed.source"] = "\(source.name)"
        self.logger = logger
        self.sleep = sleep
        self.metrics = FeedFollowerMetrics(feed: source.name)
    }

    package func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.writeCursorEveryInterval() }
                await self.followUntilCancelled()
                group.cancelAll()
            }
        }
        try await self.writeCursor()
    }

    /// Writes the handled position once per interval while the follower runs.
    private func writeCursorEveryInterval() async {
        guard self.configuration.cursorInterval > .zero else { return }
        while (try? await Task.sleep(for: self.configuration.cursorInterval)) != nil {
            do {
                try await self.writeCursor()
            } catch {
                self.logger.info("cannot write the feed cursor; trying again", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Writes the handled position, if one waits.
    private func writeCursor() async throws {
        guard let seq = self.buffer.take() else { return }
        do {
            try await self.cursors.advance(self.source.name, to: seq, atMicros: self.clock.nowMicros)
        } catch {
            self.buffer.handled(seq)
            throw error
        }
    }

    private func followUntilCancelled() async {
        var wait = self.configuration.initialBackoff
        while !Task.isCancelled {
            var start: Int64 = 0
            do {
                try await self.writeCursor()
                start = try await self.cursors.position(self.source.name)
                try await self.source.follow(after: start) { event in
                    try await self.handle(event)
                }
                wait = self.configuration.initialBackoff
                continue
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

    private func handle(_ event: Aftercare_Common_V1_Event) async throws {
        do {
            for handler in self.handlers {
                try await handler.handle(event)
            }
        } catch {
            throw HandlerFailure(eventID: event.eventID, type: event.type, error: error)
        }
        CrashPoints.reach(.routerEventHandled, "\(self.source.name)/\(event.seq)/\(event.type)")
        self.buffer.handled(event.seq)
        self.metrics.handled(occurredMicros: event.occurredAtUnixMicros, nowMicros: self.clock.nowMicros)
        if self.configuration.cursorInterval == .zero { try await self.writeCursor() }
    }
}

/// A handler refused an event: the follower backs off and delivers it again.
struct HandlerFailure: Error {
    let eventID: String
    let type: String
    let error: any Error
}
