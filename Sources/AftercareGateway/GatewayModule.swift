/// The gateway's domain: the six sagas defined on `AftercareSagas`, the event router that follows
/// every service's feed, and the notification inboxes.
public enum GatewayModule {}
