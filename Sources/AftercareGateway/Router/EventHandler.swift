package import AftercareRPC

/// Something the event router hands every feed event to.
///
/// The router delivers each event at least once (again after a failure, a restart, or a cursor
/// reset), in the order of its source's feed: a handler must be idempotent, and throws only when
/// the event should be delivered again later.
package protocol EventHandler: Sendable {
    func handle(_ event: Aftercare_Common_V1_Event) async throws
}
