/// An event a carrier reports about one of its tracking numbers, checked.
public struct CarrierEvent: Sendable, Hashable {
    /// The carrier's code.
    public var carrier: String
    public var trackingNumber: String
    /// The carrier's own id of the event, unique per carrier: the event's natural key.
    public var eventID: String
    public var kind: CarrierEventKind
    /// When it happened, by the carrier's clock.
    public var occurredAtMicros: Int64
    public var location: String
    public var description: String

    public init(
        carrier: String, trackingNumber: String, eventID: String, kind: CarrierEventKind, occurredAtMicros: Int64, location: String = "",
        description: String = ""
    ) {
        self.carrier = carrier
        self.trackingNumber = trackingNumber
        self.eventID = eventID
        self.kind = kind
        self.occurredAtMicros = occurredAtMicros
        self.location = location
        self.description = description
    }

    /// Whether `entry` is what this event recorded the first time (a true repeat).
    func matches(_ entry: ShipmentEventRecord) -> Bool {
        entry.trackingNumber == self.trackingNumber && entry.kind == ShipmentEventKind(self.kind)
            && entry.occurredAtMicros == self.occurredAtMicros && entry.location == self.location
            && entry.description == self.description
    }
}
