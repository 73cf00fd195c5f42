import AftercareServiceKit
package import Configuration
import SystemPackage

/// Where a service's configuration comes from, highest priority first: flags (`--database-path …`),
/// then the environment (`AFTERCARE_DATABASE_PATH=…`), then the YAML file named by `--config` or
/// `AFTERCARE_CONFIG`.
package enum ServiceConfiguration {
    /// A reader over the three sources.
    /// - Parameters:
    ///   - arguments: the process's arguments, program name first.
    ///   - environment: the process's environment.
    ///   - audit: told every setting read, and the file's path.
    package static func load(arguments: [String], environment: [String: String], audit: ConfigKeyAudit? = nil) async throws -> ConfigReader {
        let flags = CommandLineArgumentsProvider(arguments: arguments)
        let variables = EnvironmentVariablesProvider(environmentVariables: environment).prefixKeys(with: ["aftercare"])
        let early = ConfigReader(providers: [flags, variables], accessReporter: audit)
        guard let file = early.string(forKey: "config"), !file.isEmpty else {
            return early
        }
        audit?.noteFile(file)
        let yaml: FileProvider<YAMLSnapshot>
        do {
            yaml = try await FileProvider<YAMLSnapshot>(filePath: FilePath(file))
        } catch {
            throw ServiceSettingsError(key: "config", problem: "cannot read \(file): \(error)")
        }
        return ConfigReader(providers: [flags, variables, yaml], accessReporter: audit)
    }
}
