import LoopSupport

extension Toolbox {
    /// Every tool, with the JSON schema of its arguments. docs/mcp.md documents the same list.
    public static let tools: [Tool] = [
        tool("list_studies", "List studies", "Every study in the store: goal, strategy, trial counts, best value and stop reason.", [:], readOnly: true),
        tool("study_summary", "Study summary", "One study: goal, strategy, space, trial counts by status, best trial, stop reason and guardrails.",
             ["study": studyArg], required: ["study"], readOnly: true),
        tool("create_study", "Create a study",
             "Creates a study (or reopens one of the same name: its space may grow, its settings change). The space is an object of parameter name -> {\"distribution\": \"uniform\"|\"loguniform\"|\"integers\"|\"choice\", \"low\", \"high\", \"step\", \"values\"}.",
             ["name": string("the study's name"),
              "space": ["type": ["object", "array"], "description": "parameter name -> {distribution, low, high, step, values, when}, or a list of {name, distribution, ...} in order; e.g. {\"lr\": {\"distribution\": \"loguniform\", \"low\": 1e-4, \"high\": 0.1}, \"layers\": {\"distribution\": \"integers\", \"low\": 1, \"high\": 4}, \"act\": {\"distribution\": \"choice\", \"values\": [\"relu\", \"tanh\"]}}"],
              "goal": ["type": "object", "description": "{\"metric\": \"accuracy\", \"direction\": \"maximize\"|\"minimize\"}",
                       "properties": ["metric": ["type": "string"], "direction": ["type": "string", "enum": ["maximize", "minimize"]]], "required": ["metric"]],
              "strategy": ["type": "string", "description": "how ask proposes: default (gp_per_second: expected improvement per second), gp, tpe, random, grid, sobol, evolve", "enum": ["default", "gp_per_second", "gp", "tpe", "random", "grid", "sobol", "evolve"]],
              "seed": integer("fixes the proposals (default 0)"),
              "max_trials": integer("stop proposing after this many trials (default 100)"),
              "max_time_seconds": number("stop proposing after this long"),
              "patience": integer("stop after this many finished trials without improvement"),
              "max_failures": integer("stop after this many failures in a row (default 5)"),
              "allow_repeat": ["type": "boolean", "description": "let a configuration be proposed twice"]],
             required: ["name", "space", "goal"]),
        tool("ask", "Ask for trials",
             "The next configuration(s) from the study's strategy, recorded as running trials (guardrails apply: an empty list and a stop_reason when the study is done). Evaluate each, then tell.",
             ["study": studyArg, "n": integer("how many trials (default 1, at most 100)")], required: ["study"]),
        tool("tell", "Tell a result",
             "Finishes a trial handed out by ask: complete with its metrics (which must include the goal metric), or failed/pruned with an error.",
             ["study": studyArg, "number": integer("the trial's number, as ask returned it"),
              "metrics": ["type": "object", "description": "metric name -> number, e.g. {\"accuracy\": 0.93, \"loss\": 0.21}"],
              "status": ["type": "string", "enum": ["complete", "failed", "pruned", "diverged"], "description": "default complete"],
              "error": string("why the trial failed")],
             required: ["study", "number"]),
        tool("add_trial", "Add a trial", "Records a trial evaluated outside Looplab (its params must lie in the space).",
             ["study": studyArg, "params": ["type": "object", "description": "parameter name -> value"],
              "metrics": ["type": "object", "description": "metric name -> number"],
              "status": ["type": "string", "enum": ["complete", "failed", "pruned"]], "error": string("why it failed")],
             required: ["study", "params"]),
        tool("trials", "List trials", "A study's trials (params, metrics, value, error, the agent's rationale), latest last or best first.",
             ["study": studyArg, "status": ["type": "string", "enum": ["running", "complete", "failed", "pruned", "diverged", "interrupted", "stale"]],
              "limit": integer("at most this many (default 100)"), "order": ["type": "string", "enum": ["number", "best"]]],
             required: ["study"], readOnly: true),
        tool("best", "Best trial", "The best complete trial in the goal's direction, or null.", ["study": studyArg], required: ["study"], readOnly: true),
        tool("importance", "Parameter importance", "How much of the variance of the results each parameter explains (fANOVA), most important first.",
             ["study": studyArg], required: ["study"], readOnly: true),
        tool("report", "Study report",
             "Writes the study's HTML report (optimisation history, importance, parallel coordinates, slices, contour, timeline, trials) and returns its path with the history and importance charts as SVG images.",
             ["study": studyArg, "path": string("where to write the HTML (needs --allow-write); default .looplab/reports/STUDY.html")],
             required: ["study"]),
        tool("set_strategy", "Set the strategy", "Changes how ask proposes for a study.",
             ["study": studyArg, "strategy": ["type": "string", "enum": ["default", "gp_per_second", "gp", "tpe", "random", "grid", "sobol", "evolve"]]],
             required: ["study", "strategy"]),
        tool("remember", "Remember", "Keeps a finding in the project's memory (full-text searchable with recall), optionally linked to a study and trial.",
             ["text": string("the finding"), "tags": ["type": "array", "items": ["type": "string"]], "study": string("a study it is about"),
              "trial": integer("a trial number of that study")],
             required: ["text"]),
        tool("recall", "Recall", "Full-text search over notes, studies and trials (stemmed), notes first.",
             ["query": string("words to look for"), "limit": integer("at most this many hits (default 10)")], required: ["query"], readOnly: true),
        tool("promote", "Promote", "Registers a complete trial, with the model a script kept with it (attach(t, model)), as the next version of a named model; it becomes champion.",
             ["name": string("the registered model's name"), "study": studyArg, "trial": integer("the trial's number")],
             required: ["name", "study", "trial"]),
        tool("champion", "Champion", "The current champion version of a registered model, or null.", ["name": string("the model's name")], required: ["name"], readOnly: true),
        tool("rollback", "Roll back", "Retires the champion; the previous promoted version becomes champion (returned, or null when there is none). An error when the model has no version.",
             ["name": string("the model's name")], required: ["name"]),
        tool("list_skills", "List skills", "The skill library: every skill `use` can load, with its summary and evidence.", [:], readOnly: true),
        tool("skill_info", "Skill info", "One skill: its documentation, where its source is, its version and the trials that used it.", ["name": string("the skill's name")],
             required: ["name"], readOnly: true),
        tool("find_skills", "Find skills", "Skills whose name or documentation matches the query.", ["query": string("words to look for")], required: ["query"], readOnly: true),
        tool("dashboard", "Open the dashboard",
             "Starts Looplab's read-only web dashboard on this store (127.0.0.1; once: later calls return the same address) and returns its URL; it stops with the server.",
             ["port": integer("the port (default 0: a free one)")], readOnly: true),
        tool("run_loop", "Run .loop code",
             "Evaluates a .loop snippet in a fresh interpreter on the same store; returns what it printed, its value and its error. Runs as untrusted code: no exec and no file writes unless the server was started with --allow-exec / --allow-write. Cancellable.",
             ["code": string(".loop source, e.g. let st = study(\"s\") \\n st.best"),
              "timeout_seconds": number("stop the code after this long (default 60, at most 3600)")],
             required: ["code"]),
    ]

    private static let studyArg: JSONValue = string("the study's name")

    private static func string(_ description: String) -> JSONValue { ["type": "string", "description": .string(description)] }
    private static func integer(_ description: String) -> JSONValue { ["type": "integer", "description": .string(description)] }
    private static func number(_ description: String) -> JSONValue { ["type": "number", "description": .string(description)] }

    private static func tool(_ name: String, _ title: String, _ summary: String, _ properties: [String: JSONValue],
                             required: [String] = [], readOnly: Bool = false) -> Tool {
        var schema: [String: JSONValue] = ["type": "object", "properties": .object(properties), "additionalProperties": false]
        if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
        return Tool(name: name, title: title, summary: summary, inputSchema: .object(schema), readOnly: readOnly)
    }
}
