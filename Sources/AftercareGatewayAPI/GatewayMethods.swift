public import AftercareRPC
public import AftercareAftersalesAPI
public import AftercareFeedbackAPI
public import AftercareLogisticsAPI
public import AftercareOrdersAPI

/// The public API (`aftercare.gateway.v1.Gateway`): what buyer apps, seller back offices and support
/// desks call. `proto-spec/gateway.proto` documents each method, its actors and its keys.
public enum GatewayMethods {
    /// The service's wire name.
    public static let service = "aftercare.gateway.v1.Gateway"

    public static let createOrder = MethodDescriptor<Aftercare_Orders_V1_CreateOrderRequest, Aftercare_Orders_V1_OrderResponse>("\(service)/CreateOrder")
    public static let payOrder = MethodDescriptor<Aftercare_Gateway_V1_PayOrderRequest, Aftercare_Gateway_V1_PayOrderResponse>("\(service)/PayOrder")
    public static let shipOrder = MethodDescriptor<Aftercare_Gateway_V1_ShipOrderRequest, Aftercare_Gateway_V1_ShipOrderResponse>("\(service)/ShipOrder")
    public static let completeOrder = MethodDescriptor<Aftercare_Orders_V1_CompleteOrderRequest, Aftercare_Orders_V1_OrderResponse>("\(service)/CompleteOrder")
    public static let cancelOrder = MethodDescriptor<Aftercare_Orders_V1_CancelOrderRequest, Aftercare_Orders_V1_OrderResponse>("\(service)/CancelOrder")
    public static let getOrder = MethodDescriptor<Aftercare_Gateway_V1_GetOrderRequest, Aftercare_Gateway_V1_OrderView>("\(service)/GetOrder")
    public static let listOrders = MethodDescriptor<Aftercare_Orders_V1_ListOrdersRequest, Aftercare_Orders_V1_ListOrdersResponse>("\(service)/ListOrders")
    public static let setStock = MethodDescriptor<Aftercare_Orders_V1_SetStockRequest, Aftercare_Orders_V1_StockResponse>("\(service)/SetStock")
    public static let getStock = MethodDescriptor<Aftercare_Orders_V1_GetStockRequest, Aftercare_Orders_V1_StockResponse>("\(service)/GetStock")
    public static let getTotals = MethodDescriptor<Aftercare_Orders_V1_GetTotalsRequest, Aftercare_Orders_V1_GetTotalsResponse>("\(service)/GetTotals")
    public static let ingestCarrierEvent = MethodDescriptor<Aftercare_Logistics_V1_IngestCarrierEventRequest, Aftercare_Logistics_V1_IngestCarrierEventResponse>("\(service)/IngestCarrierEvent")
    public static let advanceShipment = MethodDescriptor<Aftercare_Logistics_V1_AdvanceShipmentRequest, Aftercare_Logistics_V1_IngestCarrierEventResponse>("\(service)/AdvanceShipment")
    public static let registerReturnTracking = MethodDescriptor<Aftercare_Gateway_V1_RegisterReturnTrackingRequest, Aftercare_Logistics_V1_Shipment>("\(service)/RegisterReturnTracking")
    public static let getShipment = MethodDescriptor<Aftercare_Logistics_V1_GetShipmentRequest, Aftercare_Logistics_V1_Shipment>("\(service)/GetShipment")
    public static let apply = MethodDescriptor<Aftercare_Gateway_V1_ApplyRequest, Aftercare_Gateway_V1_CaseView>("\(service)/Apply")
    public static let getCase = MethodDescriptor<Aftercare_Gateway_V1_GetCaseRequest, Aftercare_Gateway_V1_CaseView>("\(service)/GetCase")
    public static let listCases = MethodDescriptor<Aftercare_Aftersales_V1_ListCasesRequest, Aftercare_Aftersales_V1_ListCasesResponse>("\(service)/ListCases")
    public static let addEvidence = MethodDescriptor<Aftercare_Aftersales_V1_AddEvidenceRequest, Aftercare_Aftersales_V1_CaseResponse>("\(service)/AddEvidence")
    public static let withdraw = MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>("\(service)/Withdraw")
    public static let acceptOffer = MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>("\(service)/AcceptOffer")
    public static let declineOffer = MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>("\(service)/DeclineOffer")
    public static let escalate = MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>("\(service)/Escalate")
    public static let acceptRejection = MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>("\(service)/AcceptRejection")
    public static let acceptPartial = MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>("\(service)/AcceptPartial")
    public static let approve = MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>("\(service)/Approve")
    public static let reject = MethodDescriptor<Aftercare_Aftersales_V1_RejectRequest, Aftercare_Aftersales_V1_CaseResponse>("\(service)/Reject")
    public static let counterOffer = MethodDescriptor<Aftercare_Aftersales_V1_CounterOfferRequest, Aftercare_Aftersales_V1_CaseResponse>("\(service)/CounterOffer")
    public static let confirmReceipt = MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>("\(service)/ConfirmReceipt")
    public static let inspect = MethodDescriptor<Aftercare_Aftersales_V1_InspectRequest, Aftercare_Aftersales_V1_CaseResponse>("\(service)/Inspect")
    public static let disputeReceipt = MethodDescriptor<Aftercare_Aftersales_V1_DisputeReceiptRequest, Aftercare_Aftersales_V1_CaseResponse>("\(service)/DisputeReceipt")
    public static let requestEvidence = MethodDescriptor<Aftercare_Aftersales_V1_RequestEvidenceRequest, Aftercare_Aftersales_V1_CaseResponse>("\(service)/RequestEvidence")
    public static let ruleForBuyer = MethodDescriptor<Aftercare_Aftersales_V1_RuleForBuyerRequest, Aftercare_Aftersales_V1_CaseResponse>("\(service)/RuleForBuyer")
    public static let ruleForSeller = MethodDescriptor<Aftercare_Aftersales_V1_CaseActionRequest, Aftercare_Aftersales_V1_CaseResponse>("\(service)/RuleForSeller")
    public static let submitReview = MethodDescriptor<Aftercare_Feedback_V1_SubmitReviewRequest, Aftercare_Feedback_V1_Review>("\(service)/SubmitReview")
    public static let followUpReview = MethodDescriptor<Aftercare_Feedback_V1_FollowUpReviewRequest, Aftercare_Feedback_V1_Review>("\(service)/FollowUpReview")
    public static let deleteReview = MethodDescriptor<Aftercare_Feedback_V1_DeleteReviewRequest, Aftercare_Feedback_V1_Review>("\(service)/DeleteReview")
    public static let replyToReview = MethodDescriptor<Aftercare_Feedback_V1_ReplyToReviewRequest, Aftercare_Feedback_V1_Review>("\(service)/ReplyToReview")
    public static let appealReview = MethodDescriptor<Aftercare_Feedback_V1_AppealReviewRequest, Aftercare_Feedback_V1_Review>("\(service)/AppealReview")
    public static let ruleOnAppeal = MethodDescriptor<Aftercare_Feedback_V1_RuleOnAppealRequest, Aftercare_Feedback_V1_Review>("\(service)/RuleOnAppeal")
    public static let getReview = MethodDescriptor<Aftercare_Feedback_V1_GetReviewRequest, Aftercare_Feedback_V1_Review>("\(service)/GetReview")
    public static let listReviews = MethodDescriptor<Aftercare_Feedback_V1_ListReviewsRequest, Aftercare_Feedback_V1_ListReviewsResponse>("\(service)/ListReviews")
    public static let getSellerScores = MethodDescriptor<Aftercare_Feedback_V1_GetSellerScoresRequest, Aftercare_Feedback_V1_SellerScores>("\(service)/GetSellerScores")
    public static let submitPlatformFeedback = MethodDescriptor<Aftercare_Feedback_V1_SubmitPlatformFeedbackRequest, Aftercare_Feedback_V1_PlatformFeedback>("\(service)/SubmitPlatformFeedback")
    public static let listPlatformFeedback = MethodDescriptor<Aftercare_Feedback_V1_ListPlatformFeedbackRequest, Aftercare_Feedback_V1_ListPlatformFeedbackResponse>("\(service)/ListPlatformFeedback")
    public static let listNotifications = MethodDescriptor<Aftercare_Gateway_V1_ListNotificationsRequest, Aftercare_Gateway_V1_ListNotificationsResponse>("\(service)/ListNotifications")
    public static let markNotificationsRead = MethodDescriptor<Aftercare_Gateway_V1_MarkNotificationsReadRequest, Aftercare_Gateway_V1_MarkNotificationsReadResponse>("\(service)/MarkNotificationsRead")
    public static let followNotifications = MethodDescriptor<Aftercare_Gateway_V1_FollowNotificationsRequest, Aftercare_Gateway_V1_Notification>("\(service)/FollowNotifications", kind: .serverStreaming)

    /// Every method's wire name, in the order of the .proto.
    public static let allNames: [String] = [
        createOrder.fullName,
        payOrder.fullName,
        shipOrder.fullName,
        completeOrder.fullName,
        cancelOrder.fullName,
        getOrder.fullName,
        listOrders.fullName,
        getTotals.fullName,
        setStock.fullName,
        getStock.fullName,
        ingestCarrierEvent.fullName,
        advanceShipment.fullName,
        registerReturnTracking.fullName,
        getShipment.fullName,
        apply.fullName,
        getCase.fullName,
        listCases.fullName,
        addEvidence.fullName,
        withdraw.fullName,
        acceptOffer.fullName,
        declineOffer.fullName,
        escalate.fullName,
        acceptRejection.fullName,
        acceptPartial.fullName,
        approve.fullName,
        reject.fullName,
        counterOffer.fullName,
        confirmReceipt.fullName,
        inspect.fullName,
        disputeReceipt.fullName,
        requestEvidence.fullName,
        ruleForBuyer.fullName,
        ruleForSeller.fullName,
        submitReview.fullName,
        followUpReview.fullName,
        deleteReview.fullName,
        replyToReview.fullName,
        appealReview.fullName,
        ruleOnAppeal.fullName,
        getReview.fullName,
        listReviews.fullName,
        getSellerScores.fullName,
        submitPlatformFeedback.fullName,
        listPlatformFeedback.fullName,
        listNotifications.fullName,
        markNotificationsRead.fullName,
        followNotifications.fullName,
    ]
}
