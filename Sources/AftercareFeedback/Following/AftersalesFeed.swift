import AftercareAftersalesAPI
package import AftercareRPC
package import AftercareServiceKit
package import Logging

/// Feedback's following of aftersales' feed (`Feed/FollowEvents`, with feedback's certificate):
/// one ``AftercareServiceKit/FeedFollower`` whose durable cursor is in feedback's own database and
/// whose only writer is ``AftersalesCaseWriter``.
package enum AftersalesFeed {
    /// The source's name: aftersales, the cursor's key in `feed_cursors`.
    package static let source = "aftersales"

    /// Registers the cursors' table (`feed_cursors`) in feedback's migrations.
    /// - Parameter migrations: feedback's migrations.
    static func register(in migrations: inout SQLMigrations) {
        FeedCursors.register(in: &migrations, as: "feedback-v3-feed-cursors")
    }

    /// The events feedback applies; aftersales sends no others (a refund's case changes, saga
    /// requests and the rest would only move the cursor, one commit a page).
    package static let types = [AftersalesEventTypes.opened, AftersalesEventTypes.closed]

    /// A follower of aftersales' feed through `client` (a running client of aftersales), asking
    /// for ``types`` alone.
    /// - Parameters:
    ///   - client: a client of aftersales; the caller runs it.
    ///   - database: feedback's database, migrated with ``AftercareServiceKit/ServiceMigrations/feedback``.
    ///   - clock: feedback's clock.
    ///   - feed: feedback's own feed.
    ///   - configuration: the follower's back-off.
    ///   - logger: the follower's and the writer's log.
    package static func follower(
        client: RPCClient, database: any SQLDatabase, clock: ServiceClock, feed: EventFeed, configuration: FeedFollower.Configuration = .defaults,
        logger: Logger
    ) -> FeedFollower {
        self.follower(
            source: RPCEventSource(name: Self.source, client: client, types: Self.types), database: database, clock: clock, feed: feed, configuration: configuration,
            logger: logger)
    }

    /// A follower of `source` (aftersales' feed, or a test's wrapping of it).
    /// - Parameters:
    ///   - source: the feed; its name keys the cursor.
    ///   - database: feedback's database, migrated with ``AftercareServiceKit/ServiceMigrations/feedback``.
    ///   - clock: feedback's clock.
    ///   - feed: feedback's own feed.
    ///   - configuration: the follower's back-off.
    ///   - logger: the follower's and the writer's log.
    package static func follower(
        source: any EventSource, database: any SQLDatabase, clock: ServiceClock, feed: EventFeed, configuration: FeedFollower.Configuration = .defaults,
        logger: Logger
    ) -> FeedFollower {
        FeedFollower(
            source: source, cursors: FeedCursors(database: database), handlers: [],
            writers: [AftersalesCaseWriter(clock: clock, feed: feed, logger: logger)], clock: clock, configuration: configuration, logger: logger)
    }
}
