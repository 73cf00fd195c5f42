import Testing

/// The suites that start the six executables (``GatewayWorld``), one at a time: each world is six
/// processes, and several at once would starve the rest of the test run on a two-core machine.
@Suite("The six executables through the gateway", .serialized)
struct GatewayExecutableTests {}
