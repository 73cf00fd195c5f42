package import AftercareRPC

/// A service's event feed as a ``FeedFollower`` reads it.
package protocol EventSource: Sendable {
    /// The source service's name, e.g. `orders`: the cursor's key.
    var name: String { get }

    /// Delivers every event after `seq` in feed order, then each new one, until the connection
    /// ends (it then returns or throws; the follower resumes from its cursor) or `deliver` throws.
    /// Events come in pages: each page is what had arrived when the previous one was handled
    /// (never empty), so a busy feed is handled many events at a time.
    /// - Parameters:
    ///   - seq: the sequence number of the last event already handled (0: from the start).
    ///   - deliver: called with each page, in feed order.
    func follow(after seq: Int64, _ deliver: @escaping @Sendable ([Aftercare_Common_V1_Event]) async throws -> Void) async throws
}

/// A service's feed through its `Feed/FollowEvents` method.
package struct RPCEventSource: EventSource {
    /// The service's name, e.g. `aftersales`.
    package let name: String
    let client: RPCClient
    let callTimeout: Duration
    let pageSize: Int
    let types: [String]

    /// - Parameters:
    ///   - name: the service's name.
    ///   - client: a running client of the service.
    ///   - callTimeout: how long one FollowEvents call lasts before the follower opens the next one
    ///     (default 5 minutes).
    ///   - pageSize: the most events one page holds (default 256).
    ///   - types: only events of these types (the service leaves the others out); every event when
    ///     empty, the default. The follower's cursor then moves with these events alone: what
    ///     follows the last of them is skipped again, by the service, after a restart.
    package init(name: String, client: RPCClient, callTimeout: Duration = .seconds(300), pageSize: Int = 256, types: [String] = []) {
        self.name = name
        self.client = client
        self.callTimeout = callTimeout
        self.pageSize = max(pageSize, 1)
        self.types = types
    }

    /// Calls `Feed/FollowEvents` after `seq` and delivers what it streams, a page at a time.
    /// - Parameters:
    ///   - seq: the sequence number of the last event already handled.
    ///   - deliver: called with each page, in feed order.
    package func follow(after seq: Int64, _ deliver: @escaping @Sendable ([Aftercare_Common_V1_Event]) async throws -> Void) async throws {
        var request = Aftercare_Common_V1_FollowEventsRequest()
        request.afterSeq = seq
        request.types = self.types
        try await self.client.serverStreaming(FeedMethods.followEvents, request, options: CallOptions(timeout: self.callTimeout)) {
            [pageSize] events in
            var iterator = events.makeAsyncIterator()
            while let first = try await iterator.next() {
                var page = [first]
                while page.count < pageSize, let next = try iterator.nextIfArrived() {
                    page.append(next)
                }
                try await deliver(page)
            }
        }
    }
}
