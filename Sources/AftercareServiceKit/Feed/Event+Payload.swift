public import AftercareRPC
public import AftercareWire
public import SwiftProtobuf

extension Aftercare_Common_V1_Event {
    /// An event of `type` carrying `payload`, about `subjects`, for `buyerID` and `sellerID`; the
    /// feed fills in id, sequence, source and time when it is appended.
    public init(
        type: String,
        payload: some SwiftProtobuf.Message,
        subjects: Aftercare_Common_V1_EventSubjects = .init(),
        buyerID: String = "",
        sellerID: String = ""
    ) throws {
        self.init()
        self.type = type
        self.payload = try Google_Protobuf_Any(message: payload)
        self.subjects = subjects
        self.buyerID = buyerID
        self.sellerID = sellerID
    }

    /// The payload as `Payload`, or `nil` if it is another message type.
    public func payload<Payload: SwiftProtobuf.Message>(as type: Payload.Type) -> Payload? {
        guard self.payload.isA(Payload.self) else { return nil }
        return try? Payload(unpackingAny: self.payload)
    }

    /// The parent of a call this event causes: the event's trace, under the span of the call that
    /// wrote it (a new span id when it names none); `nil` when the event carries no trace.
    public var causedCallParent: TraceParent? {
        TraceID(hex: self.traceID).map { TraceParent(traceID: $0, parentID: self.writerSpanID ?? .random(in: 1...UInt64.max)) }
    }

    /// The span of the call that wrote the event (`span_id`), if it names a valid one.
    public var writerSpanID: UInt64? {
        guard self.spanID.utf8.count == 16, let id = UInt64(self.spanID, radix: 16), id != 0 else { return nil }
        return id
    }
}
