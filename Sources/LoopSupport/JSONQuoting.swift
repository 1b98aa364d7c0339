/// Double-quoted string literals with JSON's escapes, the one writer of them: `json()`, the
/// safetensors header, `skill.json` and TOML basic strings (TOML takes the same escapes) all
/// use it. Control characters other than `\n`, `\r`, `\t` (and DEL, which TOML forbids raw)
/// become `\u00XX`.
public enum JSONQuoting {
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
