/// How many of one read burst's calls a connection starts on its event loop: while the burst's
/// handlers have held the loop for less than ``budget``, and at most ``maxCalls`` of them. A
/// handler started there that answers without suspending costs no thread hop; the rest of the
/// burst starts in the pool, so that a burst of a thousand calls does not hold the loop (and
/// every other connection on it) for all their handlers.
struct InlineStarts: Sendable {
    var budget: Duration
    var maxCalls: Int

    /// 200 µs, at most 256 calls: the 64 calls of a full pipeline of small requests all start on
    /// the loop.
    static let defaults = InlineStarts(budget: .microseconds(200), maxCalls: 256)
}
