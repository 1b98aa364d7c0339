import Foundation
import Glibc
import Testing

/// Notebooks that re-run: `looplab run --write-back`, parameters, export to Jupyter and HTML.
@Suite(.enabled(if: looplabBinary != nil, "the looplab executable is not built"))
struct NotebookTests {
    func scratch(_ text: String, name: String = "nb.loop") throws -> (URL, URL) {
        let dir = try makeTemporaryDirectory()
        let file = dir.appendingPathComponent(name)
        try (text.hasSuffix("\n") ? text : text + "\n").write(to: file, atomically: true, encoding: .utf8)
        return (dir, file)
    }

    @Test func theExampleNotebookIsLeftByteIdentical() throws {
        let original = try String(contentsOf: repositoryRoot.appendingPathComponent("examples/notebook.loop"), encoding: .utf8)
        let (dir, file) = try scratch(original)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runLooplab(["run", "--write-back", file.path], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try String(contentsOf: file, encoding: .utf8) == original)
    }

    @Test func outputsEchoesChartsAndARerunThatChangesNothing() throws {
        let (dir, file) = try scratch("""
            # Squares.

            # %%
            let xs = [1, 2, 3]
            xs.map(fn(x) { x * x })
            #> [1] a stale output that the run replaces

            # %%
            print("sum", sum(xs))
            plot(xs, height: 4)
            """)
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try runLooplab(["run", "--write-back", file.path], directory: dir)
        #expect(first.status == 0, "\(first.stderr)")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.hasPrefix("# Squares.\n\n# %%\nlet xs = [1, 2, 3]\nxs.map(fn(x) { x * x })\n#> [1] [1, 4, 9]\n\n# %%\nprint(\"sum\", sum(xs))\nplot(xs, height: 4)\n#> sum 6\n#> 3.0 ┤"))
        #expect(text.hasSuffix("#> (plot: nb.plots/cell2-1.svg)\n"))
        let svg = try String(contentsOf: dir.appendingPathComponent("nb.plots/cell2-1.svg"), encoding: .utf8)
        #expect(svg.hasPrefix("<svg xmlns=") && svg.contains("data-y=\"3.0\""))
        // Plots in a notebook are 80 columns wide whatever the terminal says.
        let again = try runLooplab(["run", "--write-back", file.path], directory: dir, environment: ["COLUMNS": "133"])
        #expect(again.status == 0)
        #expect(try String(contentsOf: file, encoding: .utf8) == text)
    }

    @Test func anErrorIsMarkedAndStopsTheRun() throws {
        let (dir, file) = try scratch("""
            # %%
            let a = 1
            a + 1
            # %%
            a + undefined_thing
            # %%
            print("later")
            #> an output from an earlier run
            """)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runLooplab(["run", "--write-back", file.path], directory: dir)
        #expect(r.status == 1)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("a + 1\n#> [1] 2\n# %%\na + undefined_thing\n#! error: undefined variable 'undefined_thing'\n"))
        #expect(text.contains("#!    = name error\n# %%\nprint(\"later\")\n"))
        #expect(!text.contains("earlier run"))
    }

    @Test func parametersAreOverriddenAndSaid() throws {
        let (dir, file) = try scratch("""
            # %% parameters
            let lr = 0.01
            let name = "base"
            # %%
            print(name, lr * 2)
            """)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runLooplab(["run", "--write-back", "-p", "lr=0.5", "-p", "name=wide", file.path], directory: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("#> parameter lr = 0.5 (-p)\n#> parameter name = \"wide\" (-p)\n"))
        #expect(text.contains("#> wide 1.0\n"))
        let bad = try runLooplab(["run", "--write-back", "-p", "2x=1", file.path], directory: dir)
        #expect(bad.status == 2 && bad.stderr.contains("NAME=VALUE"))
        let (dir2, plain) = try scratch("print(1)\n", name: "plain.loop")
        defer { try? FileManager.default.removeItem(at: dir2) }
        let notNotebook = try runLooplab(["run", "--write-back", plain.path])
        #expect(notNotebook.status == 2 && notNotebook.stderr.contains("is not a notebook"))
        #expect(try String(contentsOf: plain, encoding: .utf8) == "print(1)\n")
    }

    @Test func ctrlCMarksTheCellInterrupted() throws {
        let (dir, file) = try scratch("""
            # %%
            print("first")
            # %%
            write_file("running", "x")
            while true {}
            # %%
            print("never")
            """)
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runLooplab(["run", "--write-back", file.path], directory: dir, signal: SIGINT,
                               whenExists: dir.appendingPathComponent("running"))
        #expect(r.status == 130)
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text.contains("while true {}\n#! interrupted (Ctrl-C)\n# %%\nprint(\"never\")\n"))
        #expect(text.contains("#> first\n"))
    }

    @Test func exportsToJupyterAndHTML() throws {
        let (dir, file) = try scratch("""
            # A title.

            # %% [markdown]
            # Some *prose*.

            # %%
            print("hello")
            plot([1, 2, 4], height: 4)
            # %%
            1 / 0
            """)
        defer { try? FileManager.default.removeItem(at: dir) }
        _ = try runLooplab(["run", "--write-back", file.path], directory: dir)
        let export = try runLooplab(["notebook", "export", file.path, "--ipynb"], directory: dir)
        #expect(export.status == 0 && export.stdout == "wrote \(dir.path)/nb.ipynb\n")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("nb.ipynb"))) as! [String: Any]
        #expect(json["nbformat"] as? Int == 4 && json["nbformat_minor"] as? Int == 5)
        let cells = json["cells"] as! [[String: Any]]
        #expect(cells.map { $0["cell_type"] as! String } == ["markdown", "markdown", "code", "code"])
        let outputs = cells[2]["outputs"] as! [[String: Any]]
        #expect(outputs.map { $0["output_type"] as! String } == ["stream", "display_data"])
        let data = outputs[1]["data"] as! [String: Any]
        #expect((data["image/svg+xml"] as! [String]).joined().hasPrefix("<svg xmlns="))
        #expect((cells[3]["outputs"] as! [[String: Any]]).first?["output_type"] as? String == "error")
        // The official validator, when Python has it (scripts/install-deps installs it).
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        if let python = path.split(separator: ":").map({ "\($0)/python3" }).first(where: FileManager.default.isExecutableFile) {
            let check = Process()
            check.executableURL = URL(fileURLWithPath: python)
            check.arguments = ["-c", "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4)); print('valid')",
                               dir.appendingPathComponent("nb.ipynb").path]
            let out = Pipe()
            check.standardOutput = out
            check.standardError = Pipe()
            try check.run()
            check.waitUntilExit()
            let said = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            if check.terminationStatus == 0 || !said.isEmpty { #expect(said == "valid\n") } else { print("nbformat is not installed; skipping its validation") }
        }
        let html = try runLooplab(["report", file.path], directory: dir)
        #expect(html.status == 0)
        let page = try String(contentsOf: dir.appendingPathComponent("nb.html"), encoding: .utf8)
        #expect(page.contains("<pre class=\"code\">print(&quot;hello&quot;)") && page.contains("<svg xmlns=") && page.contains("division by zero"))
        #expect(!page.contains("https://") && !page.contains("<link"))
    }
}
