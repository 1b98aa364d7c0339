import Foundation

/// One trial a skill ran in: the evidence a saved skill carries.
public struct SkillUse: Sendable, Hashable {
    public var study: String
    public var trialNumber: Int
    public var state: TrialState
    public var metrics: [String: Double]

    public init(study: String, trialNumber: Int, state: TrialState, metrics: [String: Double]) {
        self.study = study
        self.trialNumber = trialNumber
        self.state = state
        self.metrics = metrics
    }
}
