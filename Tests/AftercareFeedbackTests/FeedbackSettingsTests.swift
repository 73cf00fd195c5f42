import AftercareFeedback
import AftercareNIO
import AftercareServiceKit
import Configuration
import Testing

/// `feedback.expiry.*` and `feedback.peers.aftersales`, read by the library and by the executable.
@Suite("Feedback settings")
struct FeedbackSettingsTests {
    static func settings(_ values: [AbsoluteConfigKey: ConfigValue]) throws(ServiceSettingsError) -> FeedbackSettings {
        try FeedbackSettings(config: ConfigReader(provider: InMemoryProvider(values: values)))
    }

    @Test("defaults: a pass a minute, 100 reviews per transaction; both can be set")
    func defaultsAndValues() throws {
        #expect(try Self.settings([:]) == FeedbackSettings(expiryInterval: .seconds(60), expiryBatch: 100))
        let set = try Self.settings([
            "feedback.expiry.intervalMs": .init(.string("250"), isSecret: false), "feedback.expiry.batch": .init(.string("7"), isSecret: false),
        ])
        #expect(set == FeedbackSettings(expiryInterval: .milliseconds(250), expiryBatch: 7))
    }

    @Test("anything but a whole number of at least 1 is a configuration error naming the key", arguments: ["0", "-5", "soon", "1.5"])
    func invalid(_ text: String) {
        let error = #expect(throws: ServiceSettingsError.self) {
            try Self.settings(["feedback.expiry.intervalMs": .init(.string(text), isSecret: false)])
        }
        #expect(error?.key == "feedback.expiry.intervalMs")
    }

    @Test("aftersales' address: unix:/run/aftercare/aftersales.sock by default, unix:<path> or tcp:<host>:<port> when set")
    func aftersalesAddress() throws {
        #expect(try Self.settings([:]).aftersales == .unix(path: "/run/aftercare/aftersales.sock"))
        let tcp = try Self.settings(["feedback.peers.aftersales": .init(.string("tcp:10.0.0.4:7104"), isSecret: false)])
        #expect(tcp.aftersales == .tcp(host: "10.0.0.4", port: 7104))
    }

    @Test("an address in neither form stops the service naming feedback.peers.aftersales", arguments: ["", "aftersales.sock", "tcp:host", "http://x:1"])
    func malformedAddress(_ text: String) {
        let error = #expect(throws: ServiceSettingsError.self) {
            try Self.settings(["feedback.peers.aftersales": .init(.string(text), isSecret: false)])
        }
        #expect(error?.key == "feedback.peers.aftersales")
    }
}
