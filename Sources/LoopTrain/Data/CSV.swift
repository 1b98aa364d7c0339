import Foundation
import LoopSupport

/// A data file that cannot be used, with where the problem is. Lines and columns are 1-based.
public enum DataError: Error, Equatable, CustomStringConvertible {
    case unreadable(file: String, reason: String)
    case empty(file: String)
    case raggedRow(file: String, line: Int, expected: Int, found: Int)
    case notNumeric(file: String, line: Int, column: Int, name: String, value: String)
    case missingTarget(file: String, target: String, available: [String])
    case unterminatedQuote(file: String, line: Int)
    /// A header and nothing else.
    case noRows(file: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason): "\(file): cannot read: \(reason)"
        case let .empty(file): "\(file): no header row"
        case let .raggedRow(file, line, expected, found):
            "\(file):\(line): row has \(found) fields, the header has \(expected)"
        case let .notNumeric(file, line, column, name, value):
            "\(file):\(line):\(column): column '\(name)' must be numeric, found '\(value)'"
        case let .missingTarget(file, target, available):
            "\(file): no target column '\(target)'" + Self.columnsHint(target, available)
        case let .unterminatedQuote(file, line): "\(file):\(line): unterminated quoted field"
        case let .noRows(file): "\(file): the file has a header but no data rows"
        }
    }

    /// The columns close to a misspelt one, else (a few of) the columns there are.
    static func columnsHint(_ name: String, _ columns: [String]) -> String {
        let close = NameSuggestions.clause(for: name, in: columns)
        if !close.isEmpty { return close }
        let shown = columns.prefix(8).joined(separator: ", ")
        return " (columns: \(shown)" + (columns.count > 8 ? ", … \(columns.count) in all)" : ")")
    }
}

/// Loading tables from comma-separated files.
public enum CSV {
    /// Loads a CSV file with a header row: every column except `target` is a numeric feature.
    ///
    /// The target column decides the task: all integers ≥ 0 → classification with classes `0...max`
    /// (named by their numbers); any non-numeric value → classification with the distinct strings
    /// as classes in sorted order; otherwise (fractional numbers) → regression. Blank lines are
    /// skipped; fields may be double-quoted (`""` inside quotes is a quote).
    ///
    /// - Throws: `DataError` naming the file, line and column of the first problem.
    public static func load(path: String, target: String) throws -> Dataset {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw DataError.unreadable(file: path, reason: (error as NSError).localizedDescription)
        }
        return try parse(text, target: target, file: path)
    }

    /// Parses CSV text (see `load`); `file` is used in errors.
    public static func parse(_ text: String, target: String, file: String = "<csv>") throws -> Dataset {
        var rows: [(line: Int, fields: [Substring])] = []
        var lineNumber = 0
        // "\r\n" is one Character in Swift, so it must be named as a separator of its own.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            rows.append((lineNumber, try fields(of: line, file: file, line: lineNumber)))
        }
        guard let header = rows.first else { throw DataError.empty(file: file) }
        let names = header.fields.map { String($0).trimmingCharacters(in: .whitespaces) }
        guard let targetIndex = names.firstIndex(of: target) else {
            throw DataError.missingTarget(file: file, target: target, available: names)
        }
        let body = rows.dropFirst()
        guard !body.isEmpty else { throw DataError.noRows(file: file) }
        let featureCount = names.count - 1
        var features = [Float](), rawTargets = [String]()
        features.reserveCapacity(body.count * featureCount)
        for row in body {
            guard row.fields.count == names.count else {
                throw DataError.raggedRow(file: file, line: row.line, expected: names.count, found: row.fields.count)
            }
            for (c, field) in row.fields.enumerated() {
                let s = field.trimmingCharacters(in: .whitespaces)
                if c == targetIndex { rawTargets.append(s); continue }
                guard let v = Float(s), v.isFinite else {
                    throw DataError.notNumeric(file: file, line: row.line, column: c + 1, name: names[c], value: s)
                }
                features.append(v)
            }
        }
        let n = rawTargets.count
        let featureNames = names.enumerated().filter { $0.offset != targetIndex }.map(\.element)
        let x = Tensor(shape: [n, featureCount], values: features)
        let numbers = rawTargets.map { Double($0) }
        if numbers.allSatisfy({ $0 != nil }) {
            let values = numbers.map { $0! }
            if values.allSatisfy({ $0 >= 0 && $0 == $0.rounded() && $0 < 1e6 }) {
                let classes = Int(values.max() ?? -1) + 1
                return Dataset(features: x, targets: Tensor(shape: [n], values: values.map { Float($0) }),
                               task: .classification(classNames: (0..<classes).map(String.init)), featureNames: featureNames)
            }
            return Dataset(features: x, targets: Tensor(shape: [n, 1], values: values.map { Float($0) }), task: .regression,
                           featureNames: featureNames)
        }
        let classNames = Array(Set(rawTargets)).sorted()
        let index = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        return Dataset(features: x, targets: Tensor(shape: [n], values: rawTargets.map { Float(index[$0]!) }),
                       task: .classification(classNames: classNames), featureNames: featureNames)
    }

    /// Splits one line into fields, honouring double quotes.
    static func fields(of line: Substring, file: String, line number: Int) throws -> [Substring] {
        if !line.contains("\"") { return line.split(separator: ",", omittingEmptySubsequences: false) }
        var result: [Substring] = []
        var current = ""
        var quoted = false
        var i = line.startIndex
        while i < line.endIndex {
            let ch = line[i]
            if quoted {
                if ch == "\"" {
                    let next = line.index(after: i)
                    if next < line.endIndex && line[next] == "\"" { current.append("\""); i = next } else { quoted = false }
                } else { current.append(ch) }
            } else if ch == "\"" {
                quoted = true
            } else if ch == "," {
                result.append(Substring(current)); current = ""
            } else { current.append(ch) }
            i = line.index(after: i)
        }
        if quoted { throw DataError.unterminatedQuote(file: file, line: number) }
        result.append(Substring(current))
        return result
    }
}
