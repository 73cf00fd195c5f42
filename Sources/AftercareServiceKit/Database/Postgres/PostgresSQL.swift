import Synchronization

/// Our SQL as PostgreSQL takes it, rewritten in this one place: `?` placeholders numbered `$1`,
/// `$2`, … (outside string literals and quoted names), once per distinct statement; and a
/// migration's script split into its statements (the extended protocol runs one at a time).
enum PostgresSQL {
    /// The statements rewritten so far. Our statements are a bounded set of shapes; the cache is
    /// emptied should it ever grow past ``cacheLimit`` anyway.
    private static let cache = Mutex<[String: String]>([:])
    private static let cacheLimit = 4_096

    /// `sql` with its `?` placeholders numbered.
    static func numbered(_ sql: String) -> String {
        if let cached = Self.cache.withLock({ $0[sql] }) { return cached }
        var rewritten = ""
        var count = 0
        Self.scan(sql) { character, quoted in
            if character == "?", !quoted {
                count += 1
                rewritten += "$\(count)"
            } else {
                rewritten.append(character)
            }
        }
        Self.cache.withLock { cache in
            if cache.count >= Self.cacheLimit { cache.removeAll() }
            cache[sql] = rewritten
        }
        return rewritten
    }

    /// The statements of `script`, separated by `;` outside quotes, blank ones left out.
    static func statements(in script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        Self.scan(script) { character, quoted in
            if character == ";", !quoted {
                statements.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        statements.append(current)
        return statements.map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    /// Calls `visit` with each character of `sql` and whether it is inside a string literal or a
    /// quoted name (the quotes themselves count as inside).
    private static func scan(_ sql: String, _ visit: (Character, Bool) -> Void) {
        var quote: Character?
        for character in sql {
            if let open = quote {
                visit(character, true)
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
                visit(character, true)
            } else {
                visit(character, false)
            }
        }
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
