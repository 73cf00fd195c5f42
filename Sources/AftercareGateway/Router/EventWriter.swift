package import AftercareRPC
package import GRDB

/// Something the event router hands a page of feed events to whose whole work is writes to the
/// gateway's own database (the inboxes, the subject index).
///
/// The follower runs every writer for a page inside one transaction, together with the feed's
/// cursor, once each ``EventHandler`` has handled each event of the page. A crash before that
/// commit delivers the whole page again, and a cursor reset replays pages: writing an event a
/// second time must change nothing.
package protocol EventWriter: Sendable {
    /// Writes what `events` mean, in `db` (the page's transaction), stamped `now`; answers what
    /// to do once the transaction committed, if anything.
    func write(_ events: [Aftercare_Common_V1_Event], atMicros now: Int64, in db: Database) throws -> (@Sendable () -> Void)?
}
