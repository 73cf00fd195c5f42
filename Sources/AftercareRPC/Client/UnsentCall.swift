/// A call that never reached a server's handler because of its connection (closed before the
/// call was sent, or refused unread by a draining server), not because of the server's answer:
/// a client over several instances sends it to the next one. Its ``error`` is what callers see
/// when no other instance is tried.
struct UnsentCall: Error {
    /// UNAVAILABLE, not executed.
    let error: RPCError
}
