public import Configuration

extension ConfigReader {
    /// The whole number at `key`, at least `minimum`; `defaultValue` when unset. Anything else is a
    /// ``ServiceSettingsError`` naming the key (the service stops with exit status 78).
    public func wholeSetting(_ key: String, default defaultValue: Int, minimum: Int) throws(ServiceSettingsError) -> Int {
        guard let text = self.string(forKey: ConfigKey(key)) else { return defaultValue }
        guard let number = Int(text), number >= minimum else {
            throw ServiceSettingsError(key: key, problem: "must be a whole number of at least \(minimum), got \(text.prefix(40))")
        }
        return number
    }

    /// The switch at `key`: true or false (also yes/no, on/off, 1/0, in any case); `defaultValue`
    /// when unset. Anything else is a ``ServiceSettingsError`` naming the key.
    public func switchSetting(_ key: String, default defaultValue: Bool) throws(ServiceSettingsError) -> Bool {
        guard let text = self.string(forKey: ConfigKey(key)) else { return defaultValue }
        switch text.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw ServiceSettingsError(key: key, problem: "must be true or false, got \"\(text.prefix(40))\"")
        }
    }
}
