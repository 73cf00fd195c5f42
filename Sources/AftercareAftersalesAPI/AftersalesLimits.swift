/// The sizes aftersales accepts (`proto-spec/aftersales.proto` states each one). The gateway checks
/// the large ones before it keeps anything of a call.
public enum AftersalesLimits {
    /// Lines of one case.
    public static let lines = 50
    /// Evidence items of one call.
    public static let evidence = 20
    /// Bytes of an application's description.
    public static let description = 2_048
    /// Bytes of an action's note or reason.
    public static let note = 1_024
    /// Bytes of a photo's or video's URI.
    public static let uri = 2_048
    /// Bytes of text evidence.
    public static let text = 4_096
    /// Bytes of a review policy.
    public static let policy = 65_536
}
