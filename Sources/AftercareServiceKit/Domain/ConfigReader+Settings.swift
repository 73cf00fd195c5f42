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

    /// The process name at `key` (`gateway.instance`, `payments.instance`: which process of several
    /// on one database holds a lease): 1 to 100 letters, digits, `-`, `_` or `.`; `nil` when unset.
    /// Anything else is a ``ServiceSettingsError`` naming the key.
    public func instanceNameSetting(_ key: String) throws(ServiceSettingsError) -> String? {
        guard let name = self.string(forKey: ConfigKey(key)) else { return nil }
        guard !name.isEmpty, name.count <= 100, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
            throw ServiceSettingsError(key: key, problem: "expected 1-100 letters, digits, '-', '_' or '.', got \"\(name.prefix(80))\"")
        }
        return name
    }

    /// The list at `key` (a YAML sequence, `a,b` in the environment, repeated or comma-separated
    /// values after a flag), empty entries left out; `nil` when unset. A single value where a list
    /// belongs is a ``ServiceSettingsError`` naming the key: a security list silently ignored would
    /// leave the service open, or shut, by accident.
    public func listSetting(_ key: String) throws(ServiceSettingsError) -> [String]? {
        if let list = self.stringArray(forKey: ConfigKey(key)) { return list.filter { !$0.isEmpty } }
        if let text = self.string(forKey: ConfigKey(key)) {
            throw ServiceSettingsError(key: key, problem: "must be a list (one \"- item\" per line in YAML), got the single value \"\(text.prefix(80))\"")
        }
        return nil
    }
}
