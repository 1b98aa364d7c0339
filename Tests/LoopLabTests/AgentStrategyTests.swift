import Foundation
import LoopLab
import LoopLang
import LoopStore
import Testing

/// `strategy: agent("command")`: the example agent (examples/agent_proposer.py) and a few
/// misbehaving ones propose inside real studies; what they said is checked in the store.
@Suite struct AgentStrategyTests {
    static let proposer = repositoryRoot.appendingPathComponent("examples/agent_proposer.py").path

    /// Runs a 5-trial study whose strategy is `agent` (a .loop expression) and returns each
    /// trial with the agent's note on it (rationale or fallback), by number.
    private func study(_ agent: String, extra: String = "", trials: Int = 5) throws -> (trials: [Trial], notes: [Int: Note], store: ScratchStore) {
        let scratch = try ScratchStore()
        _ = try scratch.run("""
            let s = space {x: uniform(0.0, 1.0), k: integers(1, 4), act: choice("relu", "tanh")}
            let st = study("ag", space: s, goal: minimize("loss"), strategy: \(agent), max_trials: \(trials), progress: false\(extra))
            for t in st { remember(t, {loss: (t.x - 0.3) * (t.x - 0.3) + 0.01 * t.k}) }
            """)
        let store = try Store.open(scratch.path, projectDirectory: scratch.directory)
        defer { try? store.close() }
        let study = try #require(try store.study(named: "ag"))
        let trials = try store.trials(studyID: study.id)
        let byID = Dictionary(uniqueKeysWithValues: trials.map { ($0.id, $0.number) })
        var notes: [Int: Note] = [:]
        for note in try store.notes(studyID: study.id) where note.tags.contains("agent") {
            if let id = note.trialID, let n = byID[id] { notes[n] = note }
        }
        #expect(study.strategy == "agent")
        return (trials, notes, scratch)
    }

    @Test func theExampleAgentProposesAndItsRationaleIsKept() throws {
        let (trials, notes, scratch) = try study("agent(\"python3 \(Self.proposer)\")")
        defer { scratch.remove() }
        #expect(trials.count == 5 && trials.allSatisfy { $0.state == .complete })
        #expect(notes.count == 5 && notes.values.allSatisfy { $0.tags == ["agent", "rationale"] })
        #expect(notes[0]?.text.hasPrefix("exploring") == true)
        #expect(notes[4]?.text.contains("is best") == true)
        // Rationales are found by recall like any note.
        let found = try scratch.run("print(len(recall(\"small step around\")))")
        #expect(Int(found.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 >= 1)
    }

    @Test func anInvalidAnswerIsSentBackOnceAndCorrected() throws {
        let (trials, notes, scratch) = try study("agent(\"python3 \(Self.proposer) --bad-first\")", trials: 3)
        defer { scratch.remove() }
        // Each first answer puts x at 1e12; the agent fixes it from the feedback, so no fallback.
        #expect(trials.count == 3 && notes.values.allSatisfy { $0.tags == ["agent", "rationale"] })
        #expect(trials.allSatisfy { ($0.params["x"]?.doubleValue ?? 9) <= 1 })
    }

    @Test func aSecondBadAnswerFallsBackToTheDefaultStrategyAndSaysWhy() throws {
        let (trials, notes, scratch) = try study("agent(\"python3 \(Self.proposer) --always-bad\")", trials: 3)
        defer { scratch.remove() }
        #expect(trials.count == 3 && trials.allSatisfy { $0.state == .complete })
        let note = try #require(notes[0])
        #expect(note.tags == ["agent", "fallback"])
        #expect(note.text.contains("'x' is 1000000000000.0, outside uniform(0.0, 1.0)") && note.text.contains("after feedback"))
        #expect(note.text.hasSuffix("proposed by gp_per_second instead"))
    }

    @Test func aDuplicateIsRefusedAndATimeoutFallsBack() throws {
        // Always the same configuration: the second trial's answer repeats the first.
        let same = "agent([\"python3\", \"-c\", \"import json,sys; json.load(sys.stdin); print(json.dumps({'params': {'x': 0.5, 'k': 1, 'act': 'relu'}, 'rationale': 'same'}))\"])"
        let (trials, notes, scratch) = try study(same, trials: 2)
        defer { scratch.remove() }
        #expect(trials.count == 2 && notes[0]?.text == "same")
        #expect(notes[1]?.tags == ["agent", "fallback"] && notes[1]?.text.contains("was already tried") == true)

        let (slow, slowNotes, slowScratch) = try study("agent(\"python3 \(Self.proposer) --sleep 5\")", extra: ", agent_timeout: 300ms", trials: 1)
        defer { slowScratch.remove() }
        #expect(slow.count == 1 && slow[0].state == .complete)
        #expect(slowNotes[0]?.text.contains("gave no answer within 300ms (agent_timeout)") == true)
    }

    @Test func brokenAgentsAndArgumentsAreClearErrors() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        #expect(scratch.error("agent(\"no-such-agent-program --x\")")?.message.contains("agent: program 'no-such-agent-program' not found on PATH") == true)
        #expect(scratch.error("agent(42)") != nil)
        #expect(scratch.error("study(\"z\", space: {x: uniform(0.0, 1.0)}, strategy: agent(\"python3 x\"), agent_timeout: 0s)")?
            .message.contains("agent_timeout must be a Duration > 0") == true)
        // A command that crashes: its exit code and last line are the recorded reason.
        let (trials, notes, crash) = try study("agent([\"python3\", \"-c\", \"import sys; print('model unavailable'); sys.exit(3)\"])", trials: 1)
        defer { crash.remove() }
        #expect(trials.count == 1 && notes[0]?.text.contains("exited with code 3: model unavailable") == true)
    }

    @Test func proposeAsksTheAgentOutsideAStudy() throws {
        let scratch = try ScratchStore()
        defer { scratch.remove() }
        let printed = try scratch.run("""
            let s = space {x: uniform(0.0, 1.0), k: integers(1, 4)}
            let ps = propose(s, n: 3, strategy: agent("python3 \(Self.proposer)"), history: [{params: {x: 0.5, k: 2}, value: 0.1}])
            print(len(ps))
            for p in ps { print(p.x >= 0.0 and p.x <= 1.0, p.k >= 1 and p.k <= 4, p != {x: 0.5, k: 2}) }
            """)
        #expect(printed == "3\ntrue true true\ntrue true true\ntrue true true\n")
    }
}
