/// An event a carrier reports about one of its tracking numbers, checked.
package struct CarrierEvent: Sendable, Hashable {
    /// The carrier's code.
    package var carrier: String
    package var trackingNumber: String
    /// The carrier's own id of the event, unique per carrier: the event's natural key.
    package var eventID: String
    package var kind: CarrierEventKind
    /// When it happened, by the carrier's clock.
    package var occurredAtMicros: Int64
    package var location: String
    package var description: String

    package init(
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
