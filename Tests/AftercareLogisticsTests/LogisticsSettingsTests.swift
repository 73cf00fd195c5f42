import AftercareLogistics
import AftercareServiceKit
import AftercareTesting
import Configuration
import Testing

/// `simulator.enabled`, read by the library and by the executable.
@Suite("Logistics settings")
struct LogisticsSettingsTests {
    static func settings(_ values: [AbsoluteConfigKey: ConfigValue], testMode: Bool = false) throws(ServiceSettingsError) -> LogisticsSettings {
        try LogisticsSettings(config: ConfigReader(provider: InMemoryProvider(values: values)), testMode: testMode)
    }

    @Test("unset, the simulator follows test mode")
    func defaults() throws {
        #expect(try Self.settings([:], testMode: true).simulatorEnabled)
        #expect(try !Self.settings([:], testMode: false).simulatorEnabled)
    }

    @Test("the words for on and off, in any case", arguments: [("true", true), ("On", true), ("YES", true), ("1", true), ("false", false), ("off", false), ("No", false), ("0", false)])
    func words(_ text: String, _ enabled: Bool) throws {
        #expect(try Self.settings(["simulator.enabled": .init(.string(text), isSecret: false)], testMode: !enabled).simulatorEnabled == enabled)
    }

    @Test("any other value is a configuration error naming the key", arguments: ["treu", "", "enabled", "2"])
    func invalid(_ text: String) {
        let error = #expect(throws: ServiceSettingsError.self) {
            try Self.settings(["simulator.enabled": .init(.string(text), isSecret: false)], testMode: true)
        }
        #expect(error?.key == "simulator.enabled")
        #expect(error?.problem.contains("must be true or false") == true)
    }

    @Test("the executable stops with exit status 78 on an invalid simulator.enabled")
    func executableRefuses() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let error = await #expect(throws: (any Error).self) {
            let service = try await ServiceProcess.start("logistics", in: directory, arguments: ["--simulator-enabled", "treu"])
            service.kill()
        }
        let message = "\(error.map { "\($0)" } ?? "")"
        #expect(message.contains("exited with 78") && message.contains("simulator.enabled"), "\(message)")
    }
}
