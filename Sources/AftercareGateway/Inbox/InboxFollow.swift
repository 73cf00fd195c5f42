/// An inbox followed live: the items after a position, then each new one as it commits. Each
/// iterator subscribes before its first read, so an item committed meanwhile is never missed: its
/// signal waits in the subscription. Once a read comes back short of a page the follower has caught
/// up, and reads again only when signalled (one read per delivery, not one more to find nothing).
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
        var signals: AsyncStream<Void>.AsyncIterator
        let subscription: InboxSubscription
        var cursor: Int64
        var buffer: [InboxItem] = []
        /// The last read came back short of a page: nothing more until a signal.
        var caughtUp = false

        /// The next item, waiting for one to commit; `nil` once the task is cancelled.
        package mutating func next() async throws -> InboxItem? {
            while !Task.isCancelled {
                if !self.buffer.isEmpty {
                    let item = self.buffer.removeFirst()
                    self.cursor = item.position
                    return item
                }
                if self.caughtUp, await self.signals.next() == nil {
                    return nil
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
