public import AftercareRPC

/// `aftercare.common.v1.Feed`: a service's event feed, read from a cursor or followed live.
public struct FeedService: RPCService {
    /// The largest page `ReadEvents` returns.
    public static let maxPage = 1_000
    public let feed: EventFeed

    public init(feed: EventFeed) {
        self.feed = feed
    }

    public func register(in router: inout RPCRouter) {
        router.unary(FeedMethods.readEvents) { [feed] request, _ in
            guard request.afterSeq >= 0 else { throw RPCError.invalidField("after_seq", "must not be negative") }
            guard request.limit <= Self.maxPage else {
                throw RPCError.invalidField("limit", "at most \(Self.maxPage), got \(request.limit)")
            }
            let head = try await feed.head()
            let events = try await feed.read(
                afterSeq: request.afterSeq, limit: request.limit == 0 ? 100 : Int(request.limit), types: request.types)
            var response = Aftercare_Common_V1_ReadEventsResponse()
            response.events = events
            response.nextAfterSeq = events.last?.seq ?? request.afterSeq
            response.headSeq = max(head, response.nextAfterSeq)
            return response
        }
        router.serverStreaming(FeedMethods.followEvents, followsUntilCancelled: true) { [feed] request, _, writer in
            guard request.afterSeq >= 0 else { throw RPCError.invalidField("after_seq", "must not be negative") }
            try await feed.follow(afterSeq: request.afterSeq, types: request.types) { event in
                try await writer.write(event)
            }
        }
    }
}
