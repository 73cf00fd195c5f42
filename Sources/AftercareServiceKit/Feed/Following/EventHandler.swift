package import AftercareRPC

/// Something a ``FeedFollower`` hands every feed event to (the gateway's saga triggers and relays).
///
/// The follower delivers each event at least once (again after a failure, a restart, or a cursor
/// reset), in the order of its source's feed: a handler must be idempotent, and throws only when
/// the event should be delivered again later.
package protocol EventHandler: Sendable {
    /// Handles `event`; throws when it should be delivered again after a back-off.
    /// - Parameter event: the next event of the feed.
    func handle(_ event: Aftercare_Common_V1_Event) async throws
}
