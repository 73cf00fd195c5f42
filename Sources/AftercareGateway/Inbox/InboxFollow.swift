/// An inbox followed live: the items after a position, then each new one as it commits. Each
/// iterator subscribes before its first read, so an item committed meanwhile is never missed.
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

        /// The next item, waiting for one to commit; `nil` once the task is cancelled.
        package mutating func next() async throws -> InboxItem? {
            while !Task.isCancelled {
                if !self.buffer.isEmpty {
                    let item = self.buffer.removeFirst()
                    self.cursor = item.position
                    return item
                }
                do {
                    self.buffer = try await self.follow.inboxes.list(self.follow.owner, after: self.cursor, limit: self.follow.pageSize).items
                } catch is CancellationError {
                    // Cancelled while reading the page: the follower ends, as it does between reads.
                    return nil
                }
                if self.buffer.isEmpty, await self.signals.next() == nil {
                    return nil
                }
            }
            return nil
        }
    }
}
