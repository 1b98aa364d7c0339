import LoopLang

/// `study`'s parameters, each declared once: the argument list, `:help study`, the static check
/// of calls, the reads in `StudyPrimitives`/`StudyOptions`, and the keys of the settings a study
/// keeps in the store (`StoreStudyStore`) all come from these.
enum StudyParameters {
    static let name = Param.string("name", doc: "the study's name in the project store; an existing study is reopened and resumed")
    static let space = Param.optional("space", doc: "a Space (space {...}) or a record of ranges; left out: the stored study's")
    static let goal = Param.optional("goal", doc: "maximize(\"metric\") or minimize(\"metric\"); default minimize(\"loss\")")
    static let strategy = Param.optional("strategy", doc: "how configurations are proposed: default (gp_per_second: expected improvement per second), gp, tpe, random, grid, sobol, evolve, or agent(\"command\")")
    static let agentTimeout = Param.optionalSeconds("agent_timeout", doc: "with strategy: agent(...), how long one answer may take (default 2m); then the default strategy proposes")
    static let seed = Param.optionalInt("seed", doc: "fixes the proposals and each trial's seed (default 0)")
    static let maxTrials = Param.optionalInt("max_trials", doc: "stop when the study holds this many trials, counting earlier runs and other processes (default 100)")
    static let maxTime = Param.optionalSeconds("max_time", doc: "stop this run once it has taken this Duration")
    static let patience = Param.optionalInt("patience", doc: "stop after this many finished trials in a row without improving the best by more than min_delta")
    static let minDelta = Param.optionalNumber("min_delta", doc: "how much better counts as an improvement for patience (default 0)")
    static let maxFailures = Param.optionalInt("max_failures", doc: "stop after this many failed or diverged trials in a row (default 5)")
    static let maxRepeatedError = Param.optionalInt("max_repeated_error", doc: "stop after this many failures in a row with the same error (default 3)")
    static let maxNearDuplicates = Param.optionalInt("max_near_duplicates", doc: "stop after this many proposals in a row next to a tried configuration (default 5)")
    static let pruner = Param.string("pruner", default: "asha", doc: "asha (successive halving), median or none: how t.should_prune() and train(..., trial: t) judge a run")
    static let trialBudget = Param.optionalSeconds("trial_budget", doc: "stop a trial whose body runs longer than this Duration (recorded interrupted)")
    static let repeats = Param.optionalInt("repeats", doc: "re-run the best finalists this many times with new seeds; st.best is then decided by the mean")
    static let finalists = Param.optionalInt("finalists", doc: "how many of the best configurations repeats re-runs (default: repeats)")
    static let allowRepeat = Param.optionalBool("allow_repeat", doc: "let the strategy propose configurations already tried")
    static let progress = Param.bool("progress", default: true, doc: "false keeps stderr to failed trials (no live status line; the default in a worker)")
    static let workers = Param.optionalInt("workers", doc: "a hint for `looplab run`: run the script in this many worker processes sharing the study (as --workers; 1...256)")

    static let list = NativeParameters.list(name, space, goal, strategy, seed, maxTrials, maxTime, patience, minDelta, maxFailures,
                                            maxRepeatedError, maxNearDuplicates, pruner, trialBudget, repeats, finalists,
                                            allowRepeat, progress, workers, agentTimeout)
}
