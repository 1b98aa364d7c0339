import LoopSkills
import Testing

@Suite struct VersionTests {
    @Test func parsesComparesAndBumps() throws {
        let v = try #require(SemanticVersion("1.2.3"))
        #expect(v == SemanticVersion(1, 2, 3))
        #expect(v.description == "1.2.3")
        #expect(SemanticVersion("1.2") == nil)
        #expect(SemanticVersion("1.x.0") == nil)
        #expect(SemanticVersion("1.2.3.4") == nil)
        #expect(SemanticVersion("-1.2.3") == nil)
        #expect(SemanticVersion(1, 2, 3) < SemanticVersion(1, 10, 0))
        #expect(SemanticVersion(0, 9, 9) < SemanticVersion(1, 0, 0))
        #expect(v.bumped(.major) == SemanticVersion(2, 0, 0))
        #expect(v.bumped(.minor) == SemanticVersion(1, 3, 0))
        #expect(v.bumped(.patch) == SemanticVersion(1, 2, 4))
    }

    static let requirementTable: [(String, [String], [String])] = [
        ("1.2.3", ["1.2.3"], ["1.2.4", "1.2.2"]),
        ("=1.2.3", ["1.2.3"], ["1.3.0"]),
        ("=1.2", ["1.2.0", "1.2.9"], ["1.3.0"]),
        ("^1.2", ["1.2.0", "1.9.9"], ["1.1.9", "2.0.0"]),
        ("^1.2.3", ["1.2.3", "1.5.0"], ["1.2.2", "2.0.0"]),
        ("^0.3", ["0.3.0", "0.3.9"], ["0.4.0", "0.2.9"]),
        ("^0.0.3", ["0.0.3"], ["0.0.4"]),
        ("^1", ["1.0.0", "1.9.0"], ["2.0.0"]),
        ("~1.2", ["1.2.0", "1.2.7"], ["1.3.0", "1.1.0"]),
        ("~1", ["1.0.0", "1.5.0"], ["2.0.0"]),
        (">=1.0", ["1.0.0", "5.0.0"], ["0.9.9"]),
        (">1", ["2.0.0"], ["1.9.9"]),
        ("<2", ["1.9.9", "0.0.0"], ["2.0.0"]),
        ("<=1.4", ["1.4.9"], ["1.5.0"]),
        (">=1.2, <1.5", ["1.2.0", "1.4.9"], ["1.5.0", "1.1.0"]),
        ("*", ["0.0.0", "9.9.9"], []),
    ]

    @Test(arguments: requirementTable)
    func requirementMatches(_ text: String, _ accepted: [String], _ rejected: [String]) throws {
        let requirement = try #require(VersionRequirement(text))
        for v in accepted { #expect(requirement.matches(SemanticVersion(v)!), "\(text) should accept \(v)") }
        for v in rejected { #expect(!requirement.matches(SemanticVersion(v)!), "\(text) should reject \(v)") }
    }

    @Test func rejectsMalformedRequirements() {
        for text in ["", "^", "1.x", ">=", "^1.2.3.4", "1,,2", "abc"] {
            #expect(VersionRequirement(text) == nil, "\(text)")
        }
    }

    @Test func parsesSkillRequests() throws {
        let plain = try SkillRequest(parsing: "warmup")
        #expect(plain.pack == nil && plain.name == "warmup" && plain.requirement.text == "*")
        let versioned = try SkillRequest(parsing: "sweep@^1.2")
        #expect(versioned.name == "sweep" && versioned.requirement.matches(SemanticVersion(1, 4, 0)))
        let qualified = try SkillRequest(parsing: "vision/augment@~1.0")
        #expect(qualified.pack == "vision" && qualified.name == "augment")
        #expect(qualified.description == "vision/augment@~1.0")
        #expect(caught { try SkillRequest(parsing: "9lives") } as? SkillError == .invalidSkillName("9lives"))
        #expect(caught { try SkillRequest(parsing: "a@^x") } as? SkillError == .invalidRequirement("^x"))
        #expect(caught { try SkillRequest(parsing: "a/b/c") } as? SkillError == .invalidSkillName("b/c"))
        #expect(SkillRequest.isValidName("_private-2") && !SkillRequest.isValidName("-x") && !SkillRequest.isValidName(""))
    }
}
