/// The types of the events on logistics' feed; every one carries an
/// `Aftercare_Logistics_V1_ShipmentChanged` payload.
public enum LogisticsEventTypes {
    public static let created = "logistics.shipment.created"
    public static let labelVoided = "logistics.shipment.label_voided"
    public static let buyerTrackingRegistered = "logistics.shipment.buyer_tracking_registered"
    public static let cancelled = "logistics.shipment.cancelled"
    public static let pickedUp = "logistics.shipment.picked_up"
    public static let inTransit = "logistics.shipment.in_transit"
    public static let delivered = "logistics.shipment.delivered"
    public static let lost = "logistics.shipment.lost"

    /// The types a carrier event makes: one per carrier event that is not a duplicate.
    public static let carrierEvents = [pickedUp, inTransit, delivered, lost]
}
