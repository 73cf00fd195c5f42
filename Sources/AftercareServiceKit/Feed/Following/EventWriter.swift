package import AftercareRPC

/// Something a ``FeedFollower`` hands a page of feed events to whose whole work is writes to the
/// follower's own database (the gateway's inboxes and subject index, feedback's cases on order
/// lines).
///
/// The follower runs every writer for a page inside one transaction, together with the feed's
/// cursor, once each ``EventHandler`` has handled each event of the page: what a writer writes for
/// an event commits exactly when the cursor moves past it. A crash before that commit delivers the
/// whole page again, and a cursor reset replays pages: writing an event a second time must change
/// nothing.
package protocol EventWriter: Sendable {
    /// Writes what `events` mean, in `db` (the page's transaction), stamped `now`. What must
    /// happen once the page committed (waking readers, counting) goes through
    /// ``SQLConnection/afterCommit(_:)``.
    /// - Parameters:
    ///   - events: the page, in feed order.
    ///   - now: the follower's clock, in microseconds since 1970.
    ///   - db: the page's write transaction, which also moves the cursor.
    func write(_ events: [Aftercare_Common_V1_Event], atMicros now: Int64, in db: any SQLConnection) throws
}
