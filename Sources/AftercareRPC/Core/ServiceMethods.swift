/// The methods every domain service answers besides its own (proto-spec/common.proto): its event
/// feed, its step ledger and, in test mode, its operator methods. For clients; the services'
/// handlers are in AftercareServiceKit.
public enum FeedMethods {
    /// A page of events after a cursor.
    public static let readEvents = MethodDescriptor<Aftercare_Common_V1_ReadEventsRequest, Aftercare_Common_V1_ReadEventsResponse>(
        "aftercare.common.v1.Feed/ReadEvents")
    /// Every event after a cursor, then each new one as it commits.
    public static let followEvents = MethodDescriptor<Aftercare_Common_V1_FollowEventsRequest, Aftercare_Common_V1_Event>(
        "aftercare.common.v1.Feed/FollowEvents", kind: .serverStreaming)
}

/// `aftercare.common.v1.Steps`: what happened to a saga step in a service.
public enum StepMethods {
    public static let queryStep = MethodDescriptor<Aftercare_Common_V1_QueryStepRequest, Aftercare_Common_V1_QueryStepResponse>(
        "aftercare.common.v1.Steps/QueryStep")
}

/// `aftercare.common.v1.Operator`: a service's clock, faults and crash point, in test mode only.
public enum OperatorMethods {
    public static let advanceClock = MethodDescriptor<Aftercare_Common_V1_AdvanceClockRequest, Aftercare_Common_V1_ClockResponse>(
        "aftercare.common.v1.Operator/AdvanceClock")
    public static let getClock = MethodDescriptor<Aftercare_Common_V1_GetClockRequest, Aftercare_Common_V1_ClockResponse>(
        "aftercare.common.v1.Operator/GetClock")
    public static let setFaults = MethodDescriptor<Aftercare_Common_V1_SetFaultsRequest, Aftercare_Common_V1_SetFaultsResponse>(
        "aftercare.common.v1.Operator/SetFaults")
    public static let armCrashPoint = MethodDescriptor<Aftercare_Common_V1_ArmCrashPointRequest, Aftercare_Common_V1_ArmCrashPointResponse>(
        "aftercare.common.v1.Operator/ArmCrashPoint")
}
