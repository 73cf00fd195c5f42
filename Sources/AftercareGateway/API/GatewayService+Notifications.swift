import AftercareGatewayAPI
import AftercareRPC
import AftercareServiceKit

extension GatewayService {
    /// The actor's own inbox: a buyer's, a seller's, or the platform team's for platform staff and
    /// operators.
    func registerNotifications(in router: inout RPCRouter) {
        router.unary(GatewayMethods.listNotifications) { request, context in
            let caller = try self.access.caller(context, actors: .anyone)
            let limit = try RequestCheck.pageSize(request.limit, default: 100, maximum: 1_000, field: "limit")
            guard request.after >= 0 else { throw RPCError.invalidField("after", "must be 0 or a position, got \(request.after)") }
            let page = try await self.inboxes.list(try Self.inbox(of: caller), after: request.after, limit: limit)
            var response = Aftercare_Gateway_V1_ListNotificationsResponse()
            response.items = page.items.map(Aftercare_Gateway_V1_Notification.init)
            response.nextAfter = page.nextAfter
            response.head = page.head
            response.unread = UInt32(clamping: page.unread)
            return response
        }
        router.unary(GatewayMethods.markNotificationsRead) { request, context in
            let caller = try self.access.caller(context, actors: .anyone)
            guard (1...1_000).contains(request.positions.count) else {
                throw RPCError.invalidField("positions", "name 1 to 1000 positions, got \(request.positions.count)")
            }
            var response = Aftercare_Gateway_V1_MarkNotificationsReadResponse()
            response.marked = UInt32(clamping: try await self.inboxes.markRead(try Self.inbox(of: caller), positions: request.positions))
            return response
        }
        router.serverStreaming(GatewayMethods.followNotifications, followsUntilCancelled: true) { request, context, writer in
            let caller = try self.access.caller(context, actors: .anyone)
            guard request.after >= 0 else { throw RPCError.invalidField("after", "must be 0 or a position, got \(request.after)") }
            for try await item in self.inboxes.follow(try Self.inbox(of: caller), after: request.after) {
                try await writer.write(Aftercare_Gateway_V1_Notification(item))
            }
        }
    }

    private static func inbox(of caller: GatewayCaller) throws(RPCError) -> InboxOwner {
        guard let actor = caller.actor else { throw GatewayCaller.denied("actor", "a carrier has no inbox") }
        return actor.inbox
    }
}

extension Aftercare_Gateway_V1_Notification {
    init(_ item: InboxItem) {
        self.init()
        self.position = item.position
        self.eventID = item.eventID
        self.source = item.source
        self.sourceSeq = item.sourceSeq
        self.type = item.type
        self.occurredAtUnixMicros = item.occurredAtMicros
        self.subjects = item.subjects
        self.summary = item.summary
        self.deliveredAtUnixMicros = item.deliveredAtMicros
        self.readAtUnixMicros = item.readAtMicros ?? 0
        self.inbox = item.owner.key
    }
}
