public import AftercareGatewayAPI
public import AftercareRPC

/// The public API: the actor's inbox (`aftercare.gateway.v1.Gateway`).
extension AftercareClient {
    /// A page of the actor's inbox (a buyer's, a seller's, or for `platform:…` and `operator:…` the
    /// platform team's) after a position, oldest first.
    /// `Gateway/ListNotifications`. Retried on transient failures.
    public func listNotifications(_ request: Aftercare_Gateway_V1_ListNotificationsRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Gateway_V1_ListNotificationsResponse {
        try await self.call(GatewayMethods.listNotifications, request, options, .safe)
    }

    /// Marks items read; idempotent (an item keeps its first read time).
    /// `Gateway/MarkNotificationsRead`. Retried on transient failures.
    public func markNotificationsRead(_ request: Aftercare_Gateway_V1_MarkNotificationsReadRequest, options: CallOptions = .init()) async throws(AftercareError) -> Aftercare_Gateway_V1_MarkNotificationsReadResponse {
        try await self.call(GatewayMethods.markNotificationsRead, request, options, .safe)
    }

    /// The items after a position, then each new one as it arrives, until the caller cancels.
    /// `Gateway/FollowNotifications`: a read, with no idempotency key.
    ///
    /// `body` reads the items as they come, until it returns or the deadline passes. Not retried: after
    /// a failure (a gateway restarting ends the stream with `UNAVAILABLE`), follow again after the
    /// last `position` seen.
    public func followNotifications<Result: Sendable>(
        _ request: Aftercare_Gateway_V1_FollowNotificationsRequest, options: CallOptions = .init(),
        _ body: @escaping @Sendable (ResponseStream<Aftercare_Gateway_V1_Notification>) async throws -> Result
    ) async throws(AftercareError) -> Result {
        try await self.stream(GatewayMethods.followNotifications, request, options, body)
    }
}
