package import AftercareRPC

/// One notification in one inbox: a feed event, as its owner sees it.
package struct InboxItem: Sendable, Hashable {
    package var owner: InboxOwner
    /// 1, 2, 3, … within the owner's inbox, in the order the items were delivered; no gaps.
    package var position: Int64
    /// The feed event it came from (unique across feeds).
    package var eventID: String
    /// The service whose feed carried it, and the event's sequence number there.
    package var source: String
    package var sourceSeq: Int64
    /// The event's type, e.g. `aftersales.case.changed`.
    package var type: String
    /// When the change happened, by the source's clock.
    package var occurredAtMicros: Int64
    /// The records it concerns (order, payment, refund, shipment, case).
    package var subjects: Aftercare_Common_V1_EventSubjects
    /// A sentence for the owner, e.g. "Case case_1: seller.approve (PENDING_SELLER → APPROVED)".
    package var summary: String
    /// When the gateway put it in the inbox, by the gateway's clock.
    package var deliveredAtMicros: Int64
    /// When the owner marked it read; `nil` while unread.
    package var readAtMicros: Int64?

    package init(
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
package struct InboxPage: Sendable, Hashable {
    /// Items with position > the cursor asked for, oldest first.
    package var items: [InboxItem]
    /// The cursor for the next page: the last item's position, or the cursor asked for when empty.
    package var nextAfter: Int64
    /// The inbox's newest position when the page was read (0 for an empty inbox).
    package var head: Int64
    /// How many items of the whole inbox are unread.
    package var unread: Int

    package init(items: [InboxItem], nextAfter: Int64, head: Int64, unread: Int) {
        self.items = items
        self.nextAfter = nextAfter
        self.head = head
        self.unread = unread
    }
}
