//! The identity of every rule: a type, so a misspelt rule does not compile.
//!
//! Each line declares a rule's variant, its id as PROTOCOL.md spells it, and
//! its kind. Everything else about a rule (what it checks, where it comes
//! from, how to fix it, its check function) is its entry in
//! [`super::catalogue::RULES`], which a test keeps in this order.

use serde::Serialize;

/// The kind of a rule (PROTOCOL.md, "Kinds").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The record is malformed or incomplete; the author fixes the file.
    Error,
    /// The record is complete but says the protocol was not met.
    Breach,
    /// Advice; fails only under `--deny-warnings`.
    Warning,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Error => "error",
            Kind::Breach => "breach",
            Kind::Warning => "warning",
        }
    }
}

macro_rules! rule_ids {
    ($($variant:ident => $id:literal, $kind:ident;)*) => {
        /// A rule of PROTOCOL.md.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum RuleId {
            $($variant,)*
        }

        impl RuleId {
            /// Every rule, in the order of PROTOCOL.md.
            pub const ALL: &'static [RuleId] = &[$(RuleId::$variant,)*];

            /// The id, as PROTOCOL.md and the diagnostics spell it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(RuleId::$variant => $id,)*
                }
            }

            /// The kind PROTOCOL.md gives the rule, before a casebook's
            /// `rules:` settings change it.
            pub fn kind(self) -> Kind {
                match self {
                    $(RuleId::$variant => Kind::$kind,)*
                }
            }

            /// The rule with this id.
            pub fn parse(id: &str) -> Option<RuleId> {
                match id {
                    $($id => Some(RuleId::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

rule_ids! {
    Schema => "schema", Error;
    Reference => "reference", Error;
    FileName => "file-name", Error;
    HeldDate => "held-date", Error;
    UnsafeFile => "unsafe-file", Error;
    HiddenFile => "hidden-file", Warning;
    Attachment => "attachment", Error;
    PeopleListed => "people-listed", Warning;
    ChairRole => "chair-role", Breach;
    AssessmentSections => "assessment-sections", Error;
    AssessmentBeforeConference => "assessment-before-conference", Error;
    WeightingRationale => "weighting-rationale", Error;
    HarmerAssessed => "harmer-assessed", Warning;
    LeadPractitioner => "lead-practitioner", Error;
    CoreAgencies => "core-agencies", Warning;
    AttendanceRecorded => "attendance-recorded", Error;
    Representation => "representation", Breach;
    PartnerReports => "partner-reports", Warning;
    VenueAgreed => "venue-agreed", Warning;
    Duration => "duration", Warning;
    PlanDiscussionTime => "plan-discussion-time", Breach;
    Confidentiality => "confidentiality", Error;
    PlanShared => "plan-shared", Breach;
    ReviewDate => "review-date", Error;
    ReviewWithin => "review-within", Breach;
    ReviewHeld => "review-held", Breach;
    ReviewInvitations => "review-invitations", Breach;
    MovedConsent => "moved-consent", Breach;
    MovedWithin => "moved-within", Breach;
    ActionFields => "action-fields", Error;
    ActionOverdue => "action-overdue", Warning;
    PartnerTasks => "partner-tasks", Warning;
    PlanOversight => "plan-oversight", Warning;
    FourDomains => "four-domains", Warning;
    OutcomeMeasure => "outcome-measure", Warning;
    ContextMeasure => "context-measure", Warning;
    LearningShared => "learning-shared", Warning;
    RelatedContexts => "related-contexts", Warning;
    ExceptionUnused => "exception-unused", Warning;
    Anonymity => "anonymity", Error;
    SuppressionThreshold => "suppression-threshold", Error;
    SuppressionConvention => "suppression-convention", Warning;
    AreaAddress => "area-address", Warning;
    GivenNameWord => "given-name-word", Warning;
    PublishedSummary => "published-summary", Error;
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for RuleId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for &id in RuleId::ALL {
            assert_eq!(RuleId::parse(id.as_str()), Some(id));
        }
        assert_eq!(RuleId::parse("venue-agree"), None);
    }
}
