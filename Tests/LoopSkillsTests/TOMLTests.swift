import LoopSkills
import Testing

@Suite struct TOMLTests {
    @Test func readsTheFormsManifestsUse() throws {
        let text = """
        # a comment
        name = "tricks"   # trailing comment
        "quoted key" = 'C:\\literal'
        escaped = "tab\\tquote\\" \\u00e9"
        count = 1_000
        hex = 0xff
        ratio = -2.5e-3
        on = true
        list = [
          "a", # inside
          "b",
        ]
        point = { x = 1, y.z = 2 }
        site.owner = "me"
        multi = \"\"\"
        line one
        line two\"\"\"

        [permissions]
        exec = ["python3"]

        [[pack]]
        name = "a"
        [pack.permissions]
        network = false

        [[pack]]
        name = "b"
        """
        let root = try TOMLParser.parse(text, file: "t.toml")
        #expect(root["name"] == .string("tricks"))
        #expect(root.line(of: "name") == 2)
        #expect(root["quoted key"] == .string("C:\\literal"))
        #expect(root["escaped"] == .string("tab\tquote\" é"))
        #expect(root["count"] == .integer(1000))
        #expect(root["hex"] == .integer(255))
        #expect(root["ratio"] == .float(-0.0025))
        #expect(root["on"] == .boolean(true))
        #expect(root["list"] == .array([.string("a"), .string("b")]))
        guard case .table(let point)? = root["point"], case .table(let y)? = point["y"] else {
            Issue.record("point is not a table")
            return
        }
        #expect(point["x"] == .integer(1) && y["z"] == .integer(2))
        guard case .table(let site)? = root["site"] else { Issue.record("site"); return }
        #expect(site["owner"] == .string("me"))
        #expect(root["multi"] == .string("line one\nline two"))
        guard case .table(let permissions)? = root["permissions"] else { Issue.record("permissions"); return }
        #expect(permissions.line == 19)
        guard case .array(let packs)? = root["pack"], packs.count == 2, case .table(let first) = packs[0] else {
            Issue.record("pack")
            return
        }
        #expect(first["name"] == .string("a"))
        guard case .table(let granted)? = first["permissions"] else { Issue.record("pack.permissions"); return }
        #expect(granted["network"] == .boolean(false))
    }

    static let errorTable: [(String, Int, Int, TOMLProblem)] = [
        ("a = 1\nb = \"open\n", 2, 10, .newlineInString),
        ("a = 1\na = 2\n", 2, 1, .duplicateKey("a")),
        ("a = 1\n  a = [\n  1,\n]\n", 2, 3, .duplicateKey("a")),
        ("a = 1\n\nb = \"x\\q\"\n", 3, 7, .invalidEscape("q")),
        ("[t]\nx = 1\n[t]\n", 3, 2, .tableRedefined("t")),
        ("a = 1 2\n", 1, 7, .trailingContent),
        ("a = \n", 1, 5, .unexpectedCharacter("end of line", expected: "a value")),
        ("a = 12abc\n", 1, 5, .invalidNumber("12abc")),
        ("a = 99999999999999999999\n", 1, 5, .invalidNumber("99999999999999999999")),
        ("a = 012\n", 1, 5, .invalidNumber("012")),
        ("a = [1, 2\n", 2, 1, .unexpectedCharacter("end of file", expected: "',' or ']'")),
        ("a = 1\n[a.b]\n", 2, 2, .notATable("a")),
        ("x = 'never closed", 1, 18, .unterminatedString),
        ("= 3", 1, 1, .unexpectedCharacter("'='", expected: "a key")),
    ]

    @Test(arguments: errorTable)
    func reportsErrorsWithTheirPosition(_ text: String, _ line: Int, _ column: Int, _ problem: TOMLProblem) {
        let error = caught { try TOMLParser.parse(text, file: "bad.toml") } as? SkillError
        #expect(error == .toml(file: "bad.toml", line: line, column: column, problem: problem))
    }

    @Test func writerOutputReadsBackTheSameAndIsStable() throws {
        var inner = TOMLTable()
        inner.set("exec", .array([.string("git")]))
        inner.set("network", .boolean(false))
        var item = TOMLTable()
        item.set("name", .string("we\"ird\n"))
        item.set("size", .float(2))
        item.set("permissions", .table(inner))
        var root = TOMLTable()
        root.set("title", .string("lock"))
        root.set("weird key", .integer(-3))
        root.set("pack", .array([.table(item), .table(item)]))
        let text = TOMLWriter.write(root)
        #expect(text.contains("[[pack]]\nname = \"we\\\"ird\\n\"\nsize = 2.0\n\n[pack.permissions]\n"))
        let back = try TOMLParser.parse(text, file: "w.toml")
        #expect(TOMLWriter.write(back) == text)
        #expect(back["weird key"] == .integer(-3))
    }
}
