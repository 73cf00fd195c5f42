public import AftercareRPC

/// The methods of `aftercare.logistics.v1.Logistics`, for clients (the gateway) that do not see the
/// logistics domain. `proto-spec/logistics.proto` documents each.
public enum LogisticsMethods {
    public static let createShipment = MethodDescriptor<Aftercare_Logistics_V1_CreateShipmentRequest, Aftercare_Logistics_V1_Shipment>(
        "aftercare.logistics.v1.Logistics/CreateShipment")
    public static let cancelShipment = MethodDescriptor<Aftercare_Logistics_V1_CancelShipmentRequest, Aftercare_Logistics_V1_Shipment>(
        "aftercare.logistics.v1.Logistics/CancelShipment")
    public static let registerBuyerTracking = MethodDescriptor<
        Aftercare_Logistics_V1_RegisterBuyerTrackingRequest, Aftercare_Logistics_V1_Shipment
    >("aftercare.logistics.v1.Logistics/RegisterBuyerTracking")
    public static let ingestCarrierEvent = MethodDescriptor<
        Aftercare_Logistics_V1_IngestCarrierEventRequest, Aftercare_Logistics_V1_IngestCarrierEventResponse
    >("aftercare.logistics.v1.Logistics/IngestCarrierEvent")
    public static let getShipment = MethodDescriptor<Aftercare_Logistics_V1_GetShipmentRequest, Aftercare_Logistics_V1_Shipment>(
        "aftercare.logistics.v1.Logistics/GetShipment")
    public static let trackShipment = MethodDescriptor<Aftercare_Logistics_V1_TrackShipmentRequest, Aftercare_Logistics_V1_Shipment>(
        "aftercare.logistics.v1.Logistics/TrackShipment")
    public static let listShipments = MethodDescriptor<
        Aftercare_Logistics_V1_ListShipmentsRequest, Aftercare_Logistics_V1_ListShipmentsResponse
    >("aftercare.logistics.v1.Logistics/ListShipments")
}

/// The methods of `aftercare.logistics.v1.CarrierSimulator`: the built-in carrier, for demos and tests.
public enum CarrierSimulatorMethods {
    public static let advanceShipment = MethodDescriptor<
        Aftercare_Logistics_V1_AdvanceShipmentRequest, Aftercare_Logistics_V1_IngestCarrierEventResponse
    >("aftercare.logistics.v1.CarrierSimulator/AdvanceShipment")
}
