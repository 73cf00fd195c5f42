/// An inbox followed live: the items after a position, then each new one as it commits. Each
/// iterator subscribes before its first read, so an item committed meanwhile is never missed: its
/// commit's items wait in the subscription. Once a read comes back short of a page the follower
/// has caught up, and takes each commit's items as the subscription hands them over, without
/// reading the inbox; it reads again only when they do not follow on from its last item (it missed
/// a commit: the subscription keeps only the newest).
package struct InboxFollow: AsyncSequence, Sendable {
    package typealias Element = InboxItem
    package typealias Failure = any Error

    let inboxes: Inboxes
    let owner: InboxOwner
    let after: Int64
    let pageSize: Int

    package func makeAsyncIterator() -> Iterator {
        let (signals, subscription) = self.inboxes.subscribe(self.owner)
        return Iterator(follow: self, signals: signals.makeAsyncIterator(), subscription: subscription, cursor: self.after)
    }

    package struct Iterator: AsyncIteratorProtocol {
        let follow: InboxFollow
        var signals: AsyncStream<[InboxItem]>.AsyncIterator
        let subscription: InboxSubscription
        var cursor: Int64
        var buffer: [InboxItem] = []
        /// The last read came back short of a page: nothing more until a commit.
        var caughtUp = false

        /// The next item, waiting for one to commit; `nil` once the task is cancelled.
        package mutating func next() async throws -> InboxItem? {
            while !Task.isCancelled {
                if !self.buffer.isEmpty {
                    let item = self.buffer.removeFirst()
                    self.cursor = item.position
                    return item
                }
                if self.caughtUp {
                    guard let committed = await self.signals.next() else { return nil }
                    let new = committed.filter { $0.position > self.cursor }
                    if new.first?.position == self.cursor + 1, zip(new, new.dropFirst()).allSatisfy({ $1.position == $0.position + 1 }) {
                        self.buffer = new
                        continue
                    }
                    // Nothing new (read already), or a commit missed before these: read.
                    if new.isEmpty { continue }
                }
                do {
                    self.buffer = try await self.follow.inboxes.items(self.follow.owner, after: self.cursor, limit: self.follow.pageSize)
                } catch is CancellationError {
                    // Cancelled while reading the page: the follower ends, as it does between reads.
                    return nil
                }
                self.caughtUp = self.buffer.count < self.follow.pageSize
            }
            return nil
        }
    }
}
