package import AftercareRPC
package import AftercareServiceKit
package import Logging

/// The gateway's event router: a ``AftercareServiceKit/FeedFollower`` per source service, each
/// handing every event of its feed to the same handlers (``SagaTriggers``, the relays) and each
/// page of them to the same writers (``SubjectIndex``, ``Inboxes``).
package enum EventRouter {
    /// The services whose feeds the gateway follows.
    package static let sourceNames = ["orders", "payments", "logistics", "aftersales", "feedback"]

    /// Registers the router's and the inboxes' tables (``AftercareServiceKit/FeedCursors``,
    /// ``Inboxes``) in the gateway's migrations.
    package static func register(in migrations: inout SQLMigrations) {
        FeedCursors.register(in: &migrations, as: "gateway-feed-cursors-v1")
        Inboxes.register(in: &migrations)
    }

    /// One follower per client in `clients` (service name → running client), through its
    /// `FollowEvents`, sorted by name.
    /// - Parameter lease: each follower's lease (`feed:<service>`), for gateways that share one
    ///   database; `nil` for a follower alone.
    package static func followers(
        clients: [String: RPCClient], handlers: [any EventHandler], writers: [any EventWriter], database: any SQLDatabase, clock: ServiceClock,
        configuration: FeedFollower.Configuration = .defaults, lease: (@Sendable (_ name: String) -> WorkLease)? = nil, logger: Logger
    ) -> [FeedFollower] {
        let cursors = FeedCursors(database: database)
        return clients.sorted { $0.key < $1.key }.map { name, client in
            FeedFollower(
                source: RPCEventSource(name: name, client: client), cursors: cursors, handlers: handlers, writers: writers, clock: clock,
                configuration: configuration, logger: logger, lease: lease?("feed:\(name)"))
        }
    }
}

extension ServiceMigrations {
    /// The router's and the inboxes' tables alone, for a database that holds nothing else (tests).
    /// The gateway calls ``EventRouter/register(in:)`` from its own migrations.
    package static let eventRouter: ServiceMigrations = {
        var migrations = SQLMigrations()
        EventRouter.register(in: &migrations)
        return ServiceMigrations(portable: migrations)
    }()
}
