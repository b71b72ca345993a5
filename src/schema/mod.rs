//! The shape of every record: which fields it has, what each holds, which
//! are required, and what each means.
//!
//! One declaration serves three readers. The loader takes each record's
//! field names from here (an unknown field is an error against this list),
//! `contextpack schema` writes it out as JSON Schema for editors, and the
//! language server completes field names and values from it. The loader's
//! own checks are stricter than the schema (a date that does not exist, a
//! chair missing from a conference but not from an interim meeting): the
//! tests hold the two together in one direction, that whatever the schema
//! refuses `check` refuses too, and every record that checks clean is valid.

mod json;
pub mod records;

pub use json::{SCHEMA_DIR, SchemaFile, file_name, files, write_all};

/// A record: a YAML mapping with known fields.
#[derive(Debug)]
pub struct Shape {
    /// How messages name it: "an action", "a conference".
    pub noun: &'static str,
    pub doc: &'static str,
    /// The field names, in the order the format reference gives them.
    pub names: &'static [&'static str],
    pub fields: &'static [Field],
}

impl Shape {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub need: Need,
    pub doc: &'static str,
}

/// Whether a field must be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Optional,
    /// Must be there with a value.
    Required,
    /// Must be there; no value is an empty list.
    Listed,
}

/// What a field holds.
#[derive(Debug)]
pub enum Kind {
    /// Text as written; a number or `true` reads as its text.
    Text,
    /// Text with something in it.
    NonBlank,
    /// A new id: lowercase letters, digits and hyphens.
    Id,
    /// An id defined elsewhere, which `check` resolves.
    Ref(&'static [Target]),
    /// A person's id or a name: what reads as an id must be one.
    PersonOrName,
    /// `YYYY-MM-DD`.
    Date,
    /// `"HH:MM"`.
    Time,
    /// `YYYY-MM`.
    Month,
    Bool,
    Number,
    Whole {
        min: u32,
        max: u32,
    },
    /// One of a closed list of words.
    Words(&'static [&'static str]),
    List(&'static Kind),
    Record(&'static Shape),
    /// Any one of these forms.
    Either(&'static [Kind]),
    /// A mapping from keys of one kind to values of another.
    Keyed {
        keys: &'static Kind,
        values: &'static Kind,
    },
}

/// What a reference names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Agency,
    Person,
    Forum,
    Theme,
    Context,
    Harm,
    Rule,
    /// A goal of the same plan.
    Goal,
    /// A ward or locality of `areas:`.
    Area,
}

impl Target {
    pub fn noun(self) -> &'static str {
        match self {
            Target::Agency => "agency",
            Target::Person => "person",
            Target::Forum => "forum",
            Target::Theme => "theme",
            Target::Context => "context",
            Target::Harm => "harm type",
            Target::Rule => "rule",
            Target::Goal => "goal",
            Target::Area => "area",
        }
    }
}

/// The ids a casebook defines, which references must be one of. A target
/// with no list is left open (any text); `check` still resolves it.
#[derive(Debug, Default, Clone)]
pub struct Known {
    ids: std::collections::BTreeMap<Target, Vec<String>>,
}

impl Known {
    /// What every casebook knows: the rules and the built-in harm types.
    pub fn builtin() -> Known {
        let mut k = Known::default();
        k.set(
            Target::Rule,
            crate::rule_id::RuleId::ALL
                .iter()
                .map(|r| r.as_str().to_string()),
        );
        k.set(
            Target::Harm,
            crate::model::HARMS.iter().map(|h| h.to_string()),
        );
        k
    }

    /// What `casebook` defines: its agencies, people, forums, contexts and
    /// harm types, and its themes and areas when it lists them (either is
    /// free text otherwise). Settings that did not load leave the people,
    /// agencies and forums open, as `check` does.
    pub fn of(casebook: &crate::model::Casebook) -> Known {
        let s = &casebook.settings;
        let mut k = Known::builtin();
        if !s.incomplete {
            k.set(
                Target::Agency,
                s.agencies.iter().map(|a| a.id.value.clone()),
            );
            k.set(Target::Person, s.people.iter().map(|p| p.id.value.clone()));
            k.set(Target::Forum, s.forums.iter().map(|f| f.id.value.clone()));
            if !s.themes.is_empty() {
                k.set(Target::Theme, s.themes.iter().map(|t| t.id.value.clone()));
            }
            if !s.areas.is_empty() {
                k.set(Target::Area, s.areas.iter().map(|a| a.value.clone()));
            }
        }
        k.set(
            Target::Context,
            casebook.contexts.iter().map(|c| c.id.clone()),
        );
        k.set(Target::Harm, s.harm_names().into_iter().map(str::to_string));
        k
    }

    pub fn set(&mut self, target: Target, ids: impl IntoIterator<Item = String>) {
        let mut ids: Vec<String> = ids.into_iter().collect();
        ids.sort();
        ids.dedup();
        self.ids.insert(target, ids);
    }

    /// The ids of `target`, when they are known.
    pub fn ids(&self, target: Target) -> Option<&[String]> {
        self.ids.get(&target).map(Vec::as_slice)
    }
}

/// Declares a record's shape: its noun, what it is, and one line per field
/// (`"name": Kind, Need, "what it means"`), so that the field names the
/// loader accepts are the ones described.
macro_rules! shape {
    ($(#[$m:meta])* $name:ident, $noun:literal, $doc:literal,
     { $($field:literal : $kind:expr, $need:ident, $fdoc:literal;)+ }) => {
        $(#[$m])*
        pub static $name: $crate::schema::Shape = $crate::schema::Shape {
            noun: $noun,
            doc: $doc,
            names: &[$($field),+],
            fields: &[$($crate::schema::Field {
                name: $field,
                kind: $kind,
                need: $crate::schema::Need::$need,
                doc: $fdoc,
            }),+],
        };
    };
}
pub(crate) use shape;
