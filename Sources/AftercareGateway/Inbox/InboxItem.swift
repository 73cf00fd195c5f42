public import AftercareRPC

/// One notification in one inbox: a feed event, as its owner sees it.
public struct InboxItem: Sendable, Hashable {
    public var owner: InboxOwner
    /// 1, 2, 3, … within the owner's inbox, in the order the items were delivered; no gaps.
    public var position: Int64
    /// The feed event it came from (unique across feeds).
    public var eventID: String
    /// The service whose feed carried it, and the event's sequence number there.
    public var source: String
    public var sourceSeq: Int64
    /// The event's type, e.g. `aftersales.case.changed`.
    public var type: String
    /// When the change happened, by the source's clock.
    public var occurredAtMicros: Int64
    /// The records it concerns (order, payment, refund, shipment, case).
    public var subjects: Aftercare_Common_V1_EventSubjects
    /// A sentence for the owner, e.g. "Case case_1: seller.approve (PENDING_SELLER → APPROVED)".
    public var summary: String
    /// When the gateway put it in the inbox, by the gateway's clock.
    public var deliveredAtMicros: Int64
    /// When the owner marked it read; `nil` while unread.
    public var readAtMicros: Int64?

    public init(
        owner: InboxOwner, position: Int64, eventID: String, source: String, sourceSeq: Int64, type: String, occurredAtMicros: Int64,
        subjects: Aftercare_Common_V1_EventSubjects, summary: String, deliveredAtMicros: Int64, readAtMicros: Int64?
    ) {
        self.owner = owner
        self.position = position
        self.eventID = eventID
        self.source = source
        self.sourceSeq = sourceSeq
        self.type = type
        self.occurredAtMicros = occurredAtMicros
        self.subjects = subjects
        self.summary = summary
        self.deliveredAtMicros = deliveredAtMicros
        self.readAtMicros = readAtMicros
    }
}

/// A page of an inbox, read from a cursor.
public struct InboxPage: Sendable, Hashable {
    /// Items with position > the cursor asked for, oldest first.
    public var items: [InboxItem]
    /// The cursor for the next page: the last item's position, or the cursor asked for when empty.
    public var nextAfter: Int64
    /// The inbox's newest position when the page was read (0 for an empty inbox).
    public var head: Int64
    /// How many items of the whole inbox are unread.
    public var unread: Int

    public init(items: [InboxItem], nextAfter: Int64, head: Int64, unread: Int) {
        self.items = items
        self.nextAfter = nextAfter
        self.head = head
        self.unread = unread
    }
}
