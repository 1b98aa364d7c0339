import Foundation
import LoopSupport

/// Small helpers every SVG renderer shares: coordinates, escaping, colour scales.
enum SVGText {
    /// A coordinate with two decimals, written without Foundation's formatter (a report draws
    /// tens of thousands of them).
    static func n(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let hundredths = Int((v * 100).rounded())
        let whole = hundredths / 100, rest = abs(hundredths % 100)
        let sign = hundredths < 0 && whole == 0 ? "-" : ""
        return sign + String(whole) + "." + (rest < 10 ? "0" : "") + String(rest)
    }

    static func escape(_ text: String) -> String { Markup.escape(text) }


    /// A colour for `t` in 0...1 on a blue (low) to yellow (high) scale (viridis-like).
    static func scale(_ t: Double) -> String {
        let stops: [(Double, Double, Double)] = [(68, 1, 84), (59, 82, 139), (33, 145, 140), (94, 201, 98), (253, 231, 37)]
        let x = min(max(t.isFinite ? t : 0, 0), 1) * Double(stops.count - 1)
        let i = min(Int(x), stops.count - 2), f = x - Double(i)
        let (a, b) = (stops[i], stops[i + 1])
        func hex(_ v: Double) -> String {
            let n = Int(v.rounded())
            let digits = Array("0123456789abcdef")
            return String([digits[n / 16], digits[n % 16]])
        }
        return "#" + hex(a.0 + (b.0 - a.0) * f) + hex(a.1 + (b.1 - a.1) * f) + hex(a.2 + (b.2 - a.2) * f)
    }

    static func header(width: Double, height: Double) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(n(width))" height="\(n(height))" viewBox="0 0 \(n(width)) \(n(height))" font-family="system-ui, sans-serif" font-size="11">
        <style>.frame{fill:none;stroke:#999}.grid{stroke:#e4e4e4}.tick{fill:#444}.label{fill:#222}.title{font-size:14px;font-weight:600;fill:#111}</style>

        """
    }
}

/// Text inside XML or HTML.
public enum Markup {
    /// `text` with `& < > "` escaped, safe in element content and in quoted attributes.
    public static func escape(_ text: String) -> String {
        guard text.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "\"" }) else { return text }
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
