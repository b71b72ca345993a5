//! The leak guard (rule `anonymity`): no anonymised output may contain a name
//! of a person in `people:`, a young person's full name, surname or reference,
//! or a context title.
//!
//! Matching is on whole words, in any case, across line breaks:
//!
//! - Text and terms are *normalised* the same way, to what a reader reads:
//!   compatibility forms unfolded (NFKD: full-width, mathematical letters,
//!   ligatures), accents dropped, lower case, letters with no decomposition
//!   spelled in ASCII ("ß" as "ss"), Cyrillic and Greek letters that look
//!   Latin read as the Latin letter; every run of whitespace becomes one
//!   space; invisible characters (format characters, the combining
//!   grapheme joiner, variation selectors) are dropped; curly and modifier
//!   apostrophes become `'`, Unicode hyphens and dashes `-`; HTML character
//!   references are decoded (`&#80;enrose`); and Markdown emphasis, strike
//!   and code marks are dropped (`Pen**rose**`, `**Jordan** *Example*`).
//! - A term matches where it does not cut a word in two: the character before
//!   it and the one after it are not alphanumeric (where the term itself begins
//!   or ends with a letter or digit). "Casey" matches "Casey's", "Casey’s" and
//!   "CASEY," but not "Caseyville". The plural possessive "Caseys'" (and
//!   "Caseys’") matches too.
//! - A word broken by a hyphen at a line break ("Jor-\ndan") is also read
//!   joined ("Jordan"), as a typeset PDF may hyphenate a name.
//!
//! The terms are indexed by their first word and the text is read once, word
//! by word, so the cost is about the length of the text plus the number of
//! terms, however many names the casebook holds.
//!
//! What it does not do: transliteration beyond the look-alike letters, or
//! spotting a name written with letters missing. The guard is the last
//! line of defence; summaries are built only from counts, vocabulary ids,
//! areas and learning text, and learning text is the route it watches most.
//!
//! Diagnostics name the record a term came from (its id or reference, file
//! and line) and the kind of term, but never quote the term itself: they go to
//! terminals and CI logs, which may be kept longer or read more widely than
//! the casebook. The source line under the caret shows it to whoever can
//! read the casebook anyway.

use crate::diagnostic::{Diagnostic, RuleId};
use crate::model::Casebook;
use crate::source::{FileId, Loc, Sp};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// What a diagnostic calls an agency's id, which the summaries' CSV prints.
pub const AGENCY_ID: &str = "this agency's id (printed in the summaries' CSV)";

/// The rule id of every diagnostic this module makes.
pub const RULE: RuleId = RuleId::Anonymity;

/// What a forbidden term is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TermKind {
    /// A `people:` name, or a person's name written in a record
    /// (`attendance:`, `invited:`, `represented_by:`, `venue_agreed_by:`,
    /// `minute_taker:`, `approved: { by }`, an action's owner), as written.
    PersonName,
    /// The last word of such a name: "Ms Penhaligon" and "R. Penhaligon"
    /// hold it.
    PersonSurname,
    /// A young person's name, as written.
    YoungPersonName,
    /// The last word of a young person's name.
    YoungPersonSurname,
    /// A young person's given name ("Tyler" of "Tyler Penrose"): in a
    /// city a first name, a rare one above all, points at one child. Not
    /// one that is also an ordinary word or a month ([`ORDINARY_GIVEN_NAMES`]).
    YoungPersonGivenName,
    /// A young person's pseudonymous `ref`.
    YoungPersonRef,
    /// A context's `title`.
    ContextTitle,
    /// The distinctive words of a title, without the kind of place or
    /// group ("Drake's Reach" of "Drake's Reach Academy"), or the title
    /// without its apostrophes ("Drakes Reach Academy").
    ContextTitlePart,
}

impl TermKind {
    /// Whether the term, found in the name of an agency or a forum, says
    /// who or where: a context's title does ("Drake's Reach Academy (Sound
    /// Learning Trust)"), and so does anyone's full name; a child's surname
    /// or reference does not ("Devon and Cornwall Police" for a child
    /// surnamed Police).
    pub fn identifies_in_organisation_names(self) -> bool {
        matches!(
            self,
            TermKind::ContextTitle
                | TermKind::ContextTitlePart
                | TermKind::PersonName
                | TermKind::YoungPersonName
        )
    }

    /// How a message names it: "the surname".
    pub fn describe(self) -> &'static str {
        match self {
            TermKind::PersonName => "the name",
            TermKind::PersonSurname => "the surname",
            TermKind::YoungPersonName => "the full name",
            TermKind::YoungPersonSurname => "the surname",
            TermKind::YoungPersonGivenName => "the given name",
            TermKind::YoungPersonRef => "the reference",
            TermKind::ContextTitle => "the title",
            TermKind::ContextTitlePart => "part of the title",
        }
    }
}

/// A text that must not appear in any anonymised output.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    /// The term as written in the record.
    pub text: String,
    pub kind: TermKind,
    /// Where it was written: a diagnostic about a leak points here.
    pub loc: Loc,
    /// The casebook path of that record. Shared: a casebook has hundreds
    /// of thousands of terms and a few files and subjects for each.
    pub file: Arc<str>,
    /// The record, by id: "person kim-davies", "young person YP-A",
    /// "context harbour-walk" (the file says which context a young person is in).
    pub subject: Arc<str>,
}

/// Every forbidden term of the casebook, in the order of the records: people
/// in `contextpack.yaml`, then each context's title and young people.
pub fn forbidden_terms(casebook: &Casebook) -> Vec<Term> {
    let paths: HashMap<FileId, Arc<str>> = casebook
        .sources
        .iter()
        .map(|(id, f)| (id, Arc::from(f.path.as_str())))
        .collect();
    let no_path: Arc<str> = Arc::from("");
    let path = |loc: &Loc| paths.get(&loc.file).unwrap_or(&no_path).clone();
    let term = |kind, value: &Sp<String>, text: &str, subject: &Arc<str>| Term {
        text: text.to_string(),
        kind,
        loc: value.loc,
        file: path(&value.loc),
        subject: subject.clone(),
    };
    let mut terms = Vec::new();
    let person = |terms: &mut Vec<Term>, name: &Sp<String>, subject: &Arc<str>| {
        let full = name.value.trim();
        terms.push(term(TermKind::PersonName, name, full, subject));
        if let Some(last) = full.split_whitespace().last()
            && last != full
        {
            terms.push(term(TermKind::PersonSurname, name, last, subject));
        }
    };
    for p in &casebook.settings.people {
        person(
            &mut terms,
            &p.name,
            &Arc::from(format!("person {}", p.id.value)),
        );
    }
    let ids: std::collections::HashSet<&str> = casebook
        .settings
        .people
        .iter()
        .map(|p| p.id.value.as_str())
        .collect();
    for c in &casebook.contexts {
        for name in written_names(c).filter(|n| !ids.contains(n.value.as_str())) {
            if looks_like_a_persons_name(&name.value) {
                person(
                    &mut terms,
                    name,
                    &Arc::from(format!("a person named in context {}", c.id)),
                );
            }
        }
    }
    for c in &casebook.contexts {
        let subject: Arc<str> = Arc::from(format!("context {}", c.id));
        if let Some(t) = &c.title {
            terms.push(term(TermKind::ContextTitle, t, &t.value, &subject));
            for part in title_parts(&t.value) {
                terms.push(term(TermKind::ContextTitlePart, t, &part, &subject));
            }
        }
        for y in &c.young_people {
            let subject: Arc<str> = Arc::from(format!("young person {}", y.reference.value));
            let full = y.name.value.trim();
            terms.push(term(TermKind::YoungPersonName, &y.name, full, &subject));
            // "tylerpenrose", as in an address or a username.
            let joined: String = full.split_whitespace().collect::<Vec<_>>().concat();
            if full.split_whitespace().count() > 1 && !full.contains(',') {
                terms.push(term(TermKind::YoungPersonName, &y.name, &joined, &subject));
            }
            for part in surname_forms(full) {
                terms.push(term(TermKind::YoungPersonSurname, &y.name, &part, &subject));
            }
            if let Some(given) = given_name(full) {
                terms.push(term(
                    TermKind::YoungPersonGivenName,
                    &y.name,
                    &given,
                    &subject,
                ));
            }
            let r = &y.reference;
            for written in ref_forms(&r.value) {
                terms.push(term(TermKind::YoungPersonRef, r, &written, &subject));
            }
        }
    }
    terms.retain(|t| t.text.chars().any(char::is_alphanumeric));
    terms
}

/// Words that say what kind of place, institution or group a context is,
/// or join the words of a title: a reader does not recognise a context by
/// them, so they end a run of distinctive words. The kinds of street
/// ("Street", "Road", "Lane") are not among them: "Union Street" names a
/// place.
const GENERIC_TITLE_WORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "at",
    "by",
    "in",
    "near",
    "of",
    "on",
    "the",
    "to",
    "academy",
    "area",
    "bay",
    "bus",
    "car",
    "centre",
    "center",
    "chat",
    "church",
    "city",
    "club",
    "college",
    "community",
    "east",
    "estate",
    "friendship",
    "group",
    "high",
    "house",
    "library",
    "lower",
    "market",
    "new",
    "north",
    "old",
    "online",
    "parade",
    "park",
    "peer",
    "primary",
    "school",
    "secondary",
    "shopping",
    "skate",
    "south",
    "station",
    "upper",
    "west",
];

/// The parts of a context's title a reader would still know it by: each
/// run of two or more distinctive words ("Drake's Reach" of "Drake's Reach
/// Academy", "Castle Hill" of "Castle Hill School, the bus bay"), and the
/// title and those runs without apostrophes ("Drakes Reach Academy"). A
/// single word is not a part: "Harbour" or "Drake" alone would be found in
/// too much innocent text.
fn title_parts(title: &str) -> Vec<String> {
    let generic = |w: &str| {
        let bare: String = w.chars().filter(|c| c.is_alphanumeric()).collect();
        let bare = bare.to_lowercase();
        bare.is_empty() || GENERIC_TITLE_WORDS.contains(&bare.as_str())
    };
    let mut runs: Vec<String> = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let mut flush = |run: &mut Vec<&str>| {
        if run.len() >= 2 {
            runs.push(run.join(" "));
        }
        run.clear();
    };
    for word in title.split_whitespace() {
        // Punctuation between words ends a run: "Castle Hill School, the".
        if word.starts_with(['(', '[', '-', '–']) {
            flush(&mut run);
        }
        let ends_clause = word.ends_with([',', ';', ':', ')', ']', '.']);
        let word_text = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’');
        if generic(word_text) {
            flush(&mut run);
        } else {
            run.push(word_text);
        }
        if ends_clause {
            flush(&mut run);
        }
    }
    flush(&mut run);
    let mut parts: Vec<String> = runs
        .iter()
        .filter(|r| r.as_str() != title)
        .cloned()
        .collect();
    for form in std::iter::once(title.to_string()).chain(runs) {
        let bare = form.replace(['\'', '’'], "");
        if bare != form {
            parts.push(bare);
        }
    }
    parts.retain(|p| p.as_str() != title);
    parts.sort();
    parts.dedup();
    parts
}

/// The forms of a child's surname a reader would still know: the whole
/// surname ("Garcia Lopez" of "Maria Garcia Lopez", "PENROSE" of
/// "PENROSE, Tyler"), each of its words and each part of a double-barrelled
/// one ("Tregenza", "Smith"), and a name with an apostrophe without it and
/// after it ("OKessock", "Kessock" for "O'Kessock"). Particles ("de",
/// "van") and parts under three letters are not forms of their own. A
/// one-word name is its own surname: nothing here, as the full name is a
/// term already.
fn surname_forms(full: &str) -> Vec<String> {
    let surname = match full.split_once(',') {
        Some((before, _)) => before.trim(),
        None => match full.split_once(char::is_whitespace) {
            Some((_, rest)) => rest.trim(),
            None => return Vec::new(),
        },
    };
    let letters = |w: &str| w.chars().filter(|c| c.is_alphabetic()).count();
    let mut forms = vec![surname.to_string()];
    for word in surname.split_whitespace() {
        let parts = std::iter::once(word).chain(word.split('-'));
        for part in parts.filter(|p| letters(p) >= 3) {
            forms.push(part.to_string());
            if let Some((before, after)) = part.split_once(['\'', '’']) {
                forms.push(format!("{before}{after}"));
                if letters(after) >= 3 {
                    forms.push(after.to_string());
                }
            }
        }
    }
    forms.retain(|f| f != full && letters(f) >= 3);
    forms.sort();
    forms.dedup();
    forms
}

/// Given names that are also ordinary words or months: written alone they
/// say nothing of a child ("numbers rose", "may attend", "with grace"), so
/// only the full name is searched for them. Lower case.
pub const ORDINARY_GIVEN_NAMES: &[&str] = &[
    "amber", "angel", "april", "art", "august", "autumn", "bill", "brook", "carol", "chance",
    "chase", "cliff", "crystal", "daisy", "dawn", "dean", "drew", "faith", "frank", "grace", "guy",
    "holly", "honor", "hope", "hunter", "ivy", "jack", "jade", "joy", "june", "lily", "mark",
    "max", "may", "miles", "page", "pat", "patience", "pearl", "penny", "rich", "river", "robin",
    "rose", "ruby", "sky", "skye", "star", "storm", "summer", "sunny", "violet", "wade", "will",
    "winter",
];

/// The given name of a young person's name when it is one of
/// [`ORDINARY_GIVEN_NAMES`]: not searched for alone, but worth a warning
/// where it is written with a capital (rule `given-name-word`).
pub fn ordinary_given_name(full: &str) -> Option<String> {
    let given = given_part(full)?;
    ORDINARY_GIVEN_NAMES
        .contains(&given.to_lowercase().as_str())
        .then(|| given.to_string())
}

/// The given name of a young person's name: the first word, or the first
/// after the comma of "PENROSE, Tyler"; none for a one-word name, a name
/// under three letters, or an ordinary word ([`ORDINARY_GIVEN_NAMES`]).
fn given_name(full: &str) -> Option<String> {
    let given = given_part(full)?;
    let letters = given.chars().filter(|c| c.is_alphabetic()).count();
    let ordinary = ORDINARY_GIVEN_NAMES.contains(&given.to_lowercase().as_str());
    (letters >= 3 && !ordinary).then(|| given.to_string())
}

/// The first word of a name, or the first after the comma of "PENROSE,
/// Tyler"; none for a one-word name.
fn given_part(full: &str) -> Option<&str> {
    match full.split_once(',') {
        Some((_, after)) => after.split_whitespace().next(),
        None => {
            let mut words = full.split_whitespace();
            let first = words.next()?;
            words.next()?;
            Some(first)
        }
    }
}

/// Every name written as free text in a context's records: who attended,
/// was invited or represented an agency, who agreed the venue, who owns
/// an action.
fn written_names(c: &crate::model::Context) -> impl Iterator<Item = &Sp<String>> {
    let meetings = c.meetings.iter().flat_map(|m| {
        let invited = m
            .invited
            .iter()
            .flat_map(|v| &v.value)
            .filter_map(|i| i.name.as_ref());
        let attendance = m.attendance.iter().flat_map(|v| &v.value);
        let attended = attendance
            .clone()
            .flat_map(|a| a.name.iter().chain(&a.represented_by));
        let venue = m.venue_agreed_by.iter().flat_map(|v| &v.value);
        let minuted = m
            .minute_taker
            .iter()
            .chain(m.approved.iter().filter_map(|a| a.by.as_ref()));
        invited.chain(attended).chain(venue).chain(minuted)
    });
    let owners = c
        .plan
        .iter()
        .flat_map(|p| &p.actions)
        .filter_map(|a| a.owner.as_ref().and_then(|o| o.name.as_ref()));
    meetings.chain(owners)
}

/// Words that make a written name a role or a body, not a person
/// ("Duty Officer", "Youth Service"): its last word is not a surname.
const NOT_PERSONAL: &[&str] = &[
    "academy",
    "agency",
    "association",
    "authority",
    "board",
    "care",
    "centre",
    "college",
    "council",
    "department",
    "group",
    "health",
    "lead",
    "manager",
    "nurse",
    "office",
    "officer",
    "operator",
    "partnership",
    "police",
    "practitioner",
    "project",
    "school",
    "service",
    "services",
    "supervisor",
    "team",
    "trust",
    "unit",
    "worker",
];

/// Whether free text reads as a person's name ("Claire Dunstan", "Ms J.
/// Okafor"): two to four capitalised words, no digits or punctuation that
/// would make it a description ("Route supervisor, bus operator").
fn looks_like_a_persons_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            w.chars().next().is_some_and(char::is_uppercase)
                && w.chars()
                    .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-' | '.'))
                && !NOT_PERSONAL.contains(&w.to_lowercase().as_str())
        })
}

/// A reference as written, and as a reader would still know it written
/// without its separators: "YP-A" is also "YPA" and "YP A", "DP-03" also
/// "DP03". The run-together form only when it has three characters or more,
/// so "A-1" does not forbid the A1 road.
fn ref_forms(reference: &str) -> Vec<String> {
    let written = reference.trim().to_string();
    let parts: Vec<&str> = written
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect();
    let mut forms = vec![written.clone()];
    if parts.len() > 1 {
        let joined = parts.concat();
        if joined.chars().count() >= 3 {
            forms.push(joined);
        }
        forms.push(parts.join(" "));
    }
    forms.dedup();
    forms
}

/// A forbidden term found in an output text.
#[derive(Clone, Debug, PartialEq)]
pub struct Leak {
    pub term: Term,
    /// Byte range of the first occurrence in the text searched.
    pub start: usize,
    pub end: usize,
    /// 1-based line of the first occurrence in the text searched.
    pub line: u32,
    /// How many times the term occurs.
    pub occurrences: usize,
}

/// Where each term found was found (original byte ranges), by the term's
/// index: only the terms found have an entry, so a search of a short text
/// costs nothing for the thousands of terms it does not hold.
type Hits = BTreeMap<usize, BTreeSet<(usize, usize)>>;

/// The terms, normalised and indexed once, to search many outputs.
pub struct Guard {
    terms: Vec<Term>,
    /// Each term normalised, by index into `terms`.
    normal: Vec<String>,
    /// Terms that start with a letter or digit, by their first word.
    by_first_word: HashMap<String, Vec<usize>>,
    /// Terms that start with anything else: searched for one by one.
    others: Vec<usize>,
}

impl Guard {
    pub fn new(terms: &[Term]) -> Self {
        let mut guard = Self::of_texts(terms.iter().map(|t| t.text.as_str()));
        guard.terms = terms.to_vec();
        guard
    }

    /// A guard that only finds where the texts are ([`Guard::ranges`]).
    fn of_texts<'t>(texts: impl Iterator<Item = &'t str>) -> Self {
        let mut guard = Guard {
            terms: Vec::new(),
            normal: Vec::new(),
            by_first_word: HashMap::new(),
            others: Vec::new(),
        };
        for (i, text) in texts.enumerate() {
            let n = normalise(text, Break::Space).text.trim().to_string();
            let first: String = n.chars().take_while(|c| c.is_alphanumeric()).collect();
            if !n.chars().any(char::is_alphanumeric) {
                // Nothing a word boundary could hold on to: never matched.
            } else if first.is_empty() {
                guard.others.push(i);
            } else {
                guard.by_first_word.entry(first).or_default().push(i);
            }
            guard.normal.push(n);
        }
        guard
    }

    /// Every term found in `text`, in the order of the terms.
    pub fn find(&self, text: &str) -> Vec<Leak> {
        self.hits(text)
            .into_iter()
            .filter_map(|(i, found)| {
                let &(start, end) = found.first()?;
                Some(Leak {
                    term: self.terms.get(i)?.clone(),
                    start,
                    end,
                    line: line_of(text, start),
                    occurrences: found.len(),
                })
            })
            .collect()
    }

    /// The byte range of every occurrence of every term in `text`, in
    /// order, for masking.
    fn ranges(&self, text: &str) -> Vec<(usize, usize)> {
        let all: BTreeSet<(usize, usize)> = self.hits(text).into_values().flatten().collect();
        all.into_iter().collect()
    }

    /// Every match of each term in `text`, as original byte ranges: the
    /// text as written, as it is seen where it holds right-to-left
    /// overrides, and with hyphenated line breaks read both ways.
    fn hits(&self, text: &str) -> Hits {
        let mut hits = Hits::new();
        self.scan(&normalise(text, Break::Space), &mut hits);
        // "\u{202E}esorneP" shows as "Penrose", and "P e n r o s e" reads
        // as it: search what is seen.
        for view in [Visual::of(text), Visual::letters_joined(text)]
            .into_iter()
            .flatten()
        {
            let mut seen = Hits::new();
            self.scan(&normalise(&view.text, Break::Space), &mut seen);
            for (i, found) in seen {
                let into = hits.entry(i).or_default();
                into.extend(found.iter().map(|&(s, e)| view.origin(s, e)));
            }
        }
        if has_hyphen_break(text) {
            self.scan(&normalise(text, Break::Hyphen), &mut hits);
            self.scan(&normalise(text, Break::Join), &mut hits);
        }
        hits
    }

    /// Records in `hits` (original byte ranges, per term) every match in `n`.
    fn scan(&self, n: &Normalised, hits: &mut Hits) {
        let t = n.text.as_str();
        let mut record = |i: usize, at: usize| {
            let Some(term) = self.normal.get(i) else {
                return;
            };
            if let Some(found) = matches_at(t, at, term) {
                let set = hits.entry(i).or_default();
                set.insert((n.origin(at), n.origin(found)));
            }
        };
        for (at, word) in words(t) {
            if let Some(is) = self.by_first_word.get(word) {
                is.iter().for_each(|&i| record(i, at));
            }
            // "the penroses": a family.
            if t.get(..at).is_some_and(|b| b.ends_with("the ")) {
                let stems = [word.strip_suffix("es"), word.strip_suffix('s')];
                for stem in stems.into_iter().flatten() {
                    if let Some(is) = self.by_first_word.get(stem) {
                        is.iter().for_each(|&i| record(i, at));
                    }
                }
            }
            // "penrose14", "14penrose": the letters within a word of both.
            if word.chars().any(char::is_numeric) && word.chars().any(char::is_alphabetic) {
                for (off, part) in letter_runs(word) {
                    if let Some(is) = self.by_first_word.get(part) {
                        is.iter().for_each(|&i| record(i, at + off));
                    }
                }
            }
            // "jordans'": the plural possessive of a one-word term.
            if let Some(stem) = word.strip_suffix('s')
                && t.get(at + word.len()..)
                    .is_some_and(|r| r.starts_with('\''))
                && let Some(is) = self.by_first_word.get(stem)
            {
                is.iter().for_each(|&i| record(i, at));
            }
        }
        for &i in &self.others {
            let Some(term) = self.normal.get(i) else {
                continue;
            };
            for (at, _) in t.match_indices(term.as_str()) {
                record(i, at);
            }
        }
    }
}

/// `text` with every occurrence of the terms, found as the guard finds
/// them, written as `█` (one a character): a diagnostic's snippet shows
/// where a name is without printing it.
pub fn mask(text: &str, terms: &[String]) -> String {
    if terms.is_empty() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in Guard::of_texts(terms.iter().map(String::as_str)).ranges(text) {
        // Ranges overlap where one form holds another ("Jordan" in
        // "Jordan Example"): each byte is hidden once.
        let from = start.max(at);
        let (Some(keep), Some(hidden)) = (text.get(at..from), text.get(from..end.max(from))) else {
            continue;
        };
        out.push_str(keep);
        out.extend(
            hidden
                .chars()
                .map(|c| if c.is_whitespace() { c } else { '█' }),
        );
        at = end.max(at);
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}

/// Every form of the term's person or context a diagnostic's snippet must
/// hide ([`Diagnostic::masked`]): each of their terms and every word of
/// them ("Tyler" as well as "Tyler Penrose").
pub fn forms_of(terms: &[Term], term: &Term) -> Vec<String> {
    let mut forms: Vec<String> = terms
        .iter()
        .filter(|t| t.subject == term.subject)
        .flat_map(|t| {
            let words = t.text.split_whitespace().map(str::to_string);
            std::iter::once(t.text.clone()).chain(words)
        })
        .filter(|w| w.chars().filter(|c| c.is_alphanumeric()).count() >= 2)
        .collect();
    forms.push(term.text.clone());
    forms.sort();
    forms.dedup();
    forms
}

/// Every forbidden term found in `text`. To search many texts with the same
/// terms, make a [`Guard`] once.
pub fn find_leaks(text: &str, terms: &[Term]) -> Vec<Leak> {
    Guard::new(terms).find(text)
}

/// The `anonymity` error for a leak found in the output at `output` (its path
/// as shown to the user, e.g. `anonymised/2026-Q3/safer-plymouth.html`).
pub fn leak_diagnostic(leak: &Leak, output: &str) -> Diagnostic {
    let t = &leak.term;
    let times = match leak.occurrences {
        0 | 1 => String::new(),
        n => format!(", {n} times"),
    };
    let message = format!(
        "the anonymised summary {output} contains {} of {} ({}), first at line {} of the output{times}",
        t.kind.describe(),
        t.subject,
        t.file,
        leak.line,
    );
    let help = match t.kind {
        TermKind::ContextTitle => {
            "anonymised summaries name a context only by its type and area: take the title out of the text that reached the summary (learning items are printed as written), or, if the title is just the area's name, make it more specific; then build again"
        }
        _ => {
            "take the name out of the text that reached the summary (learning items are printed as written, so reword the one that names them), then build again"
        }
    };
    let mut d = Diagnostic::new(RULE, t.loc, message).with_help(help);
    d.masked = vec![t.text.clone()];
    d
}

/// The `anonymity` error for a leak that no record text carried (a
/// template override printing it, say), reported at `forum`, the summary's
/// forum in `contextpack.yaml`: the term's own record line holds the name,
/// and diagnostics reach terminals and CI logs.
pub fn leak_diagnostic_at(leak: &Leak, output: &str, forum: Option<Loc>) -> Diagnostic {
    let mut d = leak_diagnostic(leak, output);
    if let Some(at) = forum {
        d.loc = at;
    }
    d.help = Some(
        "no record text reached the summary with it, so it came from the summary's templates (a casebook's own templates/summary.typ or templates/summary.html): take it out of the template, then build again"
            .to_string(),
    );
    d
}

/// The `anonymity` error for a leak whose text reached the summary from
/// another record (most often a learning item naming a child): it points at
/// `source`, where the text is written and must be reworded, and names the
/// record of the term as [`leak_diagnostic`] does. `what` names the source:
/// "this learning item". `others` is how many further outputs hold the same
/// leak (the HTML, CSV and PDF of a summary usually all do).
pub fn leak_diagnostic_from(
    leak: &Leak,
    output: &str,
    source: Loc,
    what: &str,
    others: usize,
) -> Diagnostic {
    let t = &leak.term;
    let more = match others {
        0 => String::new(),
        1 => " (and 1 more output)".to_string(),
        n => format!(" (and {n} more outputs)"),
    };
    let message = format!(
        "{what} puts {} of {} ({}) into the anonymised summary {output}{more}",
        t.kind.describe(),
        t.subject,
        t.file,
    );
    let mut d = leak_diagnostic(leak, output);
    d.loc = source;
    d.message = message;
    d
}

// ---------------------------------------------------------------- matching

/// Whether the normalised term matches at byte `at` of the normalised text
/// without cutting a word; where the match ends (possessive included) if so.
fn matches_at(text: &str, at: usize, term: &str) -> Option<usize> {
    let rest = text.get(at..)?;
    if !rest.starts_with(term) || term.is_empty() {
        return None;
    }
    let before = text.get(..at)?.chars().next_back();
    let first = term.chars().next();
    // A name run into digits ("penrose14", a username) still reads as the
    // name; a reference or a term with digits does not ("yp-a1" is
    // another reference).
    let name_like = !term.contains(|c: char| c.is_numeric() || c == '-');
    let joined = |a: Option<char>, b: Option<char>| match (a, b) {
        (Some(a), Some(b)) if a.is_alphanumeric() && b.is_alphanumeric() => {
            !name_like || a.is_numeric() == b.is_numeric()
        }
        _ => false,
    };
    if first.is_some_and(char::is_alphanumeric) && joined(before, first) {
        return None;
    }
    let end = at + term.len();
    let after = text.get(end..)?;
    let last = term.chars().next_back();
    let ends_word = last.is_some_and(char::is_alphanumeric);
    if !ends_word || !joined(last, after.chars().next()) {
        return Some(end);
    }
    // "caseys'": the plural possessive; "the penroses": a family, which
    // only "the" in front tells from an ordinary plural ("fields" for a
    // child named Field). Then the word must end.
    let family = name_like && text.get(..at)?.ends_with("the ");
    let tail = match after.strip_prefix("s'") {
        Some(tail) => tail,
        None if family => after
            .strip_prefix("es")
            .or_else(|| after.strip_prefix('s'))?,
        None => return None,
    };
    (!tail.chars().next().is_some_and(char::is_alphanumeric)).then_some(end)
}

/// The runs of letters of a word with letters and digits, with their offsets.
fn letter_runs(word: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in word.char_indices().chain([(word.len(), '0')]) {
        match (c.is_alphabetic(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.extend(word.get(s..i).map(|w| (s, w)));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Every word of the text (a maximal run of letters and digits) with its byte offset.
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = chars.find(|(_, c)| c.is_alphanumeric())?;
        let mut end = text.len();
        while let Some(&(i, c)) = chars.peek() {
            if !c.is_alphanumeric() {
                end = i;
                break;
            }
            chars.next();
        }
        text.get(start..end).map(|w| (start, w))
    })
}

fn line_of(text: &str, offset: usize) -> u32 {
    let upto = text.get(..offset).unwrap_or(text);
    let n = upto.bytes().filter(|&b| b == b'\n').count();
    u32::try_from(n).unwrap_or(u32::MAX).saturating_add(1)
}

// ---------------------------------------------------------------- normalising

/// A normalised text and, for each of its bytes, the byte of the original
/// text it came from (plus one entry for the end).
struct Normalised {
    text: String,
    origin: Vec<usize>,
}

impl Normalised {
    fn origin(&self, at: usize) -> usize {
        self.origin
            .get(at)
            .or(self.origin.last())
            .copied()
            .unwrap_or(0)
    }
}

/// Characters a reader cannot see, which may sit inside a word: format
/// characters (soft hyphen, zero-width spaces and joiners, direction marks,
/// invisible operators, tag characters, the Mongolian vowel separator),
/// the combining grapheme joiner, and variation selectors.
fn is_invisible(c: char) -> bool {
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    c.general_category() == GeneralCategory::Format
        || matches!(c, '\u{034F}' | '\u{180B}'..='\u{180F}' | '\u{FE00}'..='\u{FE0F}')
        || ('\u{E0100}'..='\u{E01EF}').contains(&c)
}

/// One character of non-ASCII text as a reader would read it, lower-cased:
/// compatibility forms unfolded (full-width, mathematical letters,
/// ligatures: NFKD), accents dropped ("é" is "e"), letters with no
/// decomposition spelled in ASCII ("ß" is "ss", "ı" is "i"), and Cyrillic
/// and Greek letters that look Latin read as the Latin letter.
fn fold(c: char, mut emit: impl FnMut(char)) {
    use unicode_normalization::UnicodeNormalization;
    use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};
    let c = canonical(c);
    for d in std::iter::once(c).nfkd() {
        if d.general_category() == GeneralCategory::NonspacingMark || is_invisible(d) {
            continue;
        }
        if let Some(latin) = lookalike(d) {
            emit(latin);
            continue;
        }
        for l in d.to_lowercase() {
            match spelled(l) {
                Some(ascii) => ascii.chars().for_each(&mut emit),
                None => emit(l),
            }
        }
    }
}

/// Lower-case letters with no decomposition, as an English reader would
/// spell them.
fn spelled(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'ı' => "i",
        'ł' => "l",
        'ø' => "o",
        'đ' | 'ð' => "d",
        'ħ' => "h",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        _ => return None,
    })
}

/// The Latin letter a Cyrillic or Greek letter looks like, read before
/// lower-casing: capital eta looks like H, small eta like n.
fn lookalike(c: char) -> Option<char> {
    Some(match c {
        'А' | 'а' | 'Α' | 'α' => 'a',
        'В' | 'Β' | 'β' => 'b',
        'С' | 'с' | 'ϲ' | 'Ϲ' => 'c',
        'ԁ' => 'd',
        'Е' | 'е' | 'Ε' | 'ε' => 'e',
        'Н' | 'һ' | 'Η' => 'h',
        'І' | 'і' | 'Ι' | 'ι' => 'i',
        'Ј' | 'ј' => 'j',
        'К' | 'Κ' | 'κ' => 'k',
        'М' | 'Μ' => 'm',
        'Ν' | 'η' => 'n',
        'О' | 'о' | 'Ο' | 'ο' => 'o',
        'Р' | 'р' | 'Ρ' | 'ρ' => 'p',
        'ԛ' => 'q',
        'Ѕ' | 'ѕ' => 's',
        'Т' | 'Τ' | 'τ' => 't',
        'υ' => 'u',
        'ν' => 'v',
        'ԝ' | 'ω' => 'w',
        'Х' | 'х' | 'Χ' | 'χ' => 'x',
        'У' | 'у' | 'Υ' | 'γ' => 'y',
        'Ζ' => 'z',
        _ => return None,
    })
}

fn canonical(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{FF07}' => '\'',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2212}' | '\u{FE58}'
        | '\u{FE63}' => '-',
        c => c,
    }
}

fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// A text as it is seen where it holds right-to-left overrides (U+202E, or
/// an isolate U+2067): each such run, up to its closing U+202C / U+2069 or
/// the end of the line, reversed.
struct Visual {
    text: String,
    /// For each byte of `text`, the byte range of the original character
    /// it came from.
    origin: Vec<(usize, usize)>,
}

impl Visual {
    fn of(text: &str) -> Option<Visual> {
        if !text.contains(['\u{202E}', '\u{2067}']) {
            return None;
        }
        let mut out = Visual {
            text: String::with_capacity(text.len()),
            origin: Vec::with_capacity(text.len()),
        };
        let mut run: Vec<(usize, char)> = Vec::new();
        let mut reversing = false;
        let flush = |run: &mut Vec<(usize, char)>, out: &mut Visual| {
            for (at, c) in run.drain(..).rev() {
                out.push(at, c);
            }
        };
        for (at, c) in text.char_indices() {
            match c {
                '\u{202E}' | '\u{2067}' => {
                    flush(&mut run, &mut out);
                    reversing = true;
                }
                // The closing control is invisible: left out, so that no
                // match ends on it.
                '\u{202C}' | '\u{2069}' if reversing => {
                    flush(&mut run, &mut out);
                    reversing = false;
                }
                '\n' | '\r' | '\x0c' if reversing => {
                    flush(&mut run, &mut out);
                    reversing = false;
                    out.push(at, c);
                }
                _ if reversing => run.push((at, c)),
                _ => out.push(at, c),
            }
        }
        flush(&mut run, &mut out);
        Some(out)
    }

    /// The text with every run of three or more single letters spaced out
    /// ("P e n r o s e", "P. e. n.") written together, or `None` when it
    /// has none.
    fn letters_joined(text: &str) -> Option<Visual> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        // A letter standing alone: no letter or digit either side.
        let alone = |i: usize| {
            let (_, c) = chars[i];
            let word = |j: Option<usize>| {
                j.and_then(|j| chars.get(j))
                    .is_some_and(|&(_, c)| c.is_alphanumeric())
            };
            c.is_alphabetic() && !word(i.checked_sub(1)) && !word(Some(i + 1))
        };
        let gap = |c: char| c == ' ' || c == '.' || c == '\u{A0}';
        let mut keep = vec![true; chars.len()];
        let mut any = false;
        let mut i = 0;
        while i < chars.len() {
            if !alone(i) {
                i += 1;
                continue;
            }
            // Letters joined by short gaps of spaces and dots.
            let mut letters = vec![i];
            let mut j = i + 1;
            loop {
                let mut k = j;
                while k < chars.len() && k - j < 3 && gap(chars[k].1) {
                    k += 1;
                }
                if k > j && k < chars.len() && alone(k) {
                    letters.push(k);
                    j = k + 1;
                } else {
                    break;
                }
            }
            if letters.len() >= 3 {
                any = true;
                for w in letters.windows(2) {
                    for gap_char in keep.iter_mut().take(w[1]).skip(w[0] + 1) {
                        *gap_char = false;
                    }
                }
            }
            i = letters.last().map_or(i, |l| l + 1);
        }
        if !any {
            return None;
        }
        let mut out = Visual {
            text: String::with_capacity(text.len()),
            origin: Vec::with_capacity(text.len()),
        };
        for (&(at, c), keep) in chars.iter().zip(keep) {
            if keep {
                out.push(at, c);
            }
        }
        Some(out)
    }

    fn push(&mut self, at: usize, c: char) {
        self.text.push(c);
        let len = c.len_utf8();
        self.origin.extend(std::iter::repeat_n((at, at + len), len));
    }

    /// The original byte range of a range of `text`: reversed text maps
    /// back in any order, so the span of both ends.
    fn origin(&self, start: usize, end: usize) -> (usize, usize) {
        let end = end.max(start + 1).min(self.origin.len());
        let covered = self.origin.get(start..end).unwrap_or(&[]);
        let from = covered.iter().map(|r| r.0).min();
        let to = covered.iter().map(|r| r.1).max();
        from.zip(to).unwrap_or((0, 0))
    }
}

/// Whether the text has a hyphen at the end of a line, between word characters.
fn has_hyphen_break(text: &str) -> bool {
    text.match_indices(['-', '\u{2010}', '\u{2011}'])
        .any(|(at, h)| {
            let before = text.get(..at).and_then(|s| s.chars().next_back());
            h.chars()
                .next()
                .and_then(|c| hyphen_break_len(text, at, c, before))
                .is_some()
        })
}

/// At byte `at`, `c` a hyphen after a word character (`before`), then
/// whitespace holding a line break, then a word character: how many bytes to
/// drop, the hyphen included, to join the word.
fn hyphen_break_len(text: &str, at: usize, c: char, before: Option<char>) -> Option<usize> {
    if canonical(c) != '-' || !before.is_some_and(char::is_alphanumeric) {
        return None;
    }
    let after = at + c.len_utf8();
    let mut broke = false;
    for (i, w) in text.get(after..)?.char_indices() {
        if w.is_whitespace() || is_invisible(w) {
            broke |= is_line_break(w);
            continue;
        }
        return (broke && w.is_alphanumeric()).then_some(c.len_utf8() + i);
    }
    None
}

/// How to read a hyphen at the end of a line, between word characters.
#[derive(Clone, Copy, PartialEq)]
enum Break {
    /// As written: "stoke- damerel".
    Space,
    /// A hyphenated word: "stoke-damerel".
    Hyphen,
    /// A word the typesetter hyphenated: "jordan".
    Join,
}

impl Normalised {
    fn push(&mut self, c: char, from: usize) {
        self.text.push(c);
        self.origin.extend(std::iter::repeat_n(from, c.len_utf8()));
    }
}

/// Normalises `text` (see the module docs), reading hyphens at line ends as `how`.
fn normalise(text: &str, how: Break) -> Normalised {
    let mut out = Normalised {
        text: String::with_capacity(text.len()),
        origin: Vec::with_capacity(text.len() + 1),
    };
    let mut before: Option<char> = None;
    let mut resume = 0;
    for (at, c) in text.char_indices() {
        if at < resume {
            continue;
        }
        let prev = before.replace(c);
        if how != Break::Space
            && let Some(skip) = hyphen_break_len(text, at, c, prev)
        {
            if how == Break::Hyphen {
                out.push('-', at);
            }
            resume = at + skip;
            continue;
        }
        if c == '&'
            && let Some((decoded, len)) = character_reference(&text[at..])
        {
            // Read as the character it stands for, from where it starts.
            push_read(&mut out, decoded, at);
            before = Some(decoded);
            resume = at + len;
            continue;
        }
        if is_emphasis_mark(c) {
            continue;
        }
        push_read(&mut out, c, at);
    }
    out.origin.push(text.len());
    out
}

/// Appends one character of the text as the guard reads it.
fn push_read(out: &mut Normalised, c: char, at: usize) {
    if c.is_ascii() {
        // Most text: one byte in, one byte out.
        if c.is_ascii_whitespace() || c == '\u{0B}' {
            if !out.text.ends_with(' ') {
                out.push(' ', at);
            }
        } else {
            out.push(c.to_ascii_lowercase(), at);
        }
    } else if c.is_whitespace() {
        if !out.text.ends_with(' ') {
            out.push(' ', at);
        }
    } else if !is_invisible(c) {
        fold(c, |l| out.push(l, at));
    }
}

/// Markdown's emphasis, strike-through and code marks, which a reader
/// reads past: `Pen**rose**` is one word, `**Jordan** *Example*` a name.
fn is_emphasis_mark(c: char) -> bool {
    matches!(c, '*' | '~' | '`')
}

/// The character an HTML character reference at the start of `s` stands
/// for (`&#80;`, `&#x50;`, `&amp;`), and the reference's length.
fn character_reference(s: &str) -> Option<(char, usize)> {
    // A reference is short: look for its `;` in the next few characters.
    let semi = s.char_indices().take(12).find(|&(_, c)| c == ';')?.0;
    Some((decode_entity(s.get(1..semi)?)?, semi + 1))
}

// ---------------------------------------------------------------- output text

/// The text a reader sees in an HTML page, for the guard: tags removed (block
/// tags and table cells become spaces, so adjacent cells do not run together),
/// character references decoded, comments, scripts and styles dropped, and
/// the visible attributes (`title`, `alt`, `aria-label`, `placeholder`,
/// `value`, `label`, `content`) kept as text. Line breaks are kept where they
/// were, so a line of this text is the same line of the HTML.
pub fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_decoded(&mut out, rest.get(..lt).unwrap_or(""));
        rest = rest.get(lt..).unwrap_or("");
        let (consumed, tag) = read_tag(rest);
        out.push_str(&tag);
        rest = rest.get(consumed..).unwrap_or("");
    }
    push_decoded(&mut out, rest);
    out
}

/// Reads the markup at the start of `s` (which starts with `<`): how many bytes
/// it takes, and the text it stands for (a space, visible attributes, and
/// its line breaks).
fn read_tag(s: &str) -> (usize, String) {
    let lines = |t: &str| "\n".repeat(t.matches('\n').count());
    if let Some(body) = s.strip_prefix("<!--") {
        let len = body.find("-->").map_or(s.len(), |e| 4 + e + 3);
        return (len, lines(s.get(..len).unwrap_or(s)));
    }
    let end = tag_end(s);
    let tag = s.get(..end).unwrap_or(s);
    let name: String = tag
        .trim_start_matches(['<', '/'])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    let mut text = String::from(if is_inline(&name) { "" } else { " " });
    for v in visible_attributes(tag) {
        text.push(' ');
        push_decoded(&mut text, &v);
        text.push(' ');
    }
    text.push_str(&lines(tag));
    if (name == "script" || name == "style") && !tag.starts_with("</") {
        let close = format!("</{name}");
        let body = s.get(end..).unwrap_or("");
        let skip = find_ascii_ci(body, &close).unwrap_or(body.len());
        text.push_str(&lines(body.get(..skip).unwrap_or("")));
        return (end + skip, text);
    }
    (end, text)
}

/// The end of the tag at the start of `s`: past its `>`, quotes respected.
fn tag_end(s: &str) -> usize {
    let mut quote = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    s.len()
}

fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Tags that do not break a word: `<b>Jor</b>dan` reads "Jordan".
fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "bdo"
            | "cite"
            | "code"
            | "data"
            | "dfn"
            | "em"
            | "i"
            | "kbd"
            | "mark"
            | "q"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "u"
            | "var"
            | "wbr"
            | "tspan"
    )
}

/// The values of attributes a reader can see (tooltips, alternative text).
fn visible_attributes(tag: &str) -> Vec<String> {
    const VISIBLE: &[&str] = &[
        "title",
        "alt",
        "aria-label",
        "placeholder",
        "value",
        "label",
        "content",
    ];
    let mut out = Vec::new();
    let mut rest = tag.trim_start_matches('<');
    // Skip the tag name.
    rest = rest.trim_start_matches(|c: char| !c.is_whitespace() && c != '>');
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        let name_len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(rest.len());
        if name_len == 0 {
            break;
        }
        let name = rest.get(..name_len).unwrap_or("").to_ascii_lowercase();
        rest = rest.get(name_len..).unwrap_or("").trim_start();
        let Some(after_eq) = rest.strip_prefix('=') else {
            continue;
        };
        rest = after_eq.trim_start();
        let (value, used) = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let body = rest.get(1..).unwrap_or("");
                let len = body.find(q).unwrap_or(body.len());
                (body.get(..len).unwrap_or(""), (len + 2).min(rest.len()))
            }
            _ => {
                let len = rest
                    .find(|c: char| c.is_whitespace() || c == '>')
                    .unwrap_or(rest.len());
                (rest.get(..len).unwrap_or(""), len)
            }
        };
        if VISIBLE.contains(&name.as_str()) {
            out.push(value.to_string());
        }
        rest = rest.get(used..).unwrap_or("");
    }
    out
}

/// Appends `s` with its character references decoded.
fn push_decoded(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or(""));
        rest = rest.get(amp..).unwrap_or("");
        match character_reference(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = rest.get(len..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = rest.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
}

fn decode_entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{A0}',
        "shy" => '\u{AD}',
        "rsquo" => '\u{2019}',
        "lsquo" => '\u{2018}',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "hyphen" | "dash" => '\u{2010}',
        "zwj" => '\u{200D}',
        "zwnj" => '\u{200C}',
        _ => return None,
    })
}

/// Every string and number of a JSON value, one per line, keys included:
/// the text of a JSON output as a reader of its values sees it (escapes such
/// as `\n` decoded, which a search of the raw JSON would miss).
pub fn json_text(value: &serde_json::Value) -> String {
    enum Item<'a> {
        Value(&'a serde_json::Value),
        Key(&'a str),
    }
    let mut out = String::new();
    let mut stack = vec![Item::Value(value)];
    while let Some(item) = stack.pop() {
        let v = match item {
            Item::Key(k) => {
                out.push_str(k);
                out.push('\n');
                continue;
            }
            Item::Value(v) => v,
        };
        match v {
            serde_json::Value::String(s) => {
                out.push_str(s);
                out.push('\n');
            }
            serde_json::Value::Number(n) => {
                out.push_str(&n.to_string());
                out.push('\n');
            }
            serde_json::Value::Array(items) => stack.extend(items.iter().rev().map(Item::Value)),
            serde_json::Value::Object(map) => {
                for (k, v) in map.iter().rev() {
                    stack.push(Item::Value(v));
                    stack.push(Item::Key(k));
                }
            }
            serde_json::Value::Bool(_) | serde_json::Value::Null => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Kind;
    use crate::source::FileId;

    fn term(kind: TermKind, text: &str) -> Term {
        Term {
            text: text.to_string(),
            kind,
            loc: Loc::file_start(FileId(0)),
            file: "cases/x/context.yaml".into(),
            subject: "young person YP-A".into(),
        }
    }

    /// The texts of the terms found in `text`.
    fn found(text: &str, terms: &[Term]) -> Vec<String> {
        find_leaks(text, terms)
            .into_iter()
            .map(|l| l.term.text)
            .collect()
    }

    fn yp() -> Vec<Term> {
        vec![
            term(TermKind::YoungPersonName, "Jordan Example"),
            term(TermKind::YoungPersonSurname, "Example"),
            term(TermKind::YoungPersonRef, "YP-A"),
        ]
    }

    #[test]
    fn finds_a_name_split_across_a_line_break() {
        let text = "Learning: Jordan\n   Example was approached twice.";
        assert_eq!(found(text, &yp()), ["Jordan Example", "Example"]);
        let leak = &find_leaks(text, &yp())[0];
        assert_eq!(leak.line, 1);
        assert_eq!(text.get(leak.start..leak.end), Some("Jordan\n   Example"));
        let crlf = "Jordan\r\n\r\nExample";
        assert_eq!(found(crlf, &yp())[0], "Jordan Example");
    }

    #[test]
    fn any_whitespace_is_one_space() {
        for sep in [
            "\t",
            "\u{C}",
            "\u{A0}",
            "\u{202F}",
            "  \u{2003} ",
            "\u{2028}",
        ] {
            let text = format!("seen with Jordan{sep}Example today");
            assert_eq!(found(&text, &yp())[0], "Jordan Example", "{sep:?}");
        }
    }

    #[test]
    fn a_name_reversed_behind_a_right_to_left_override_is_found() {
        // Shown as "seen with Jordan Example today".
        let text = "seen with \u{202E}elpmaxE nadroJ\u{202C} today";
        assert_eq!(found(text, &yp()), ["Jordan Example", "Example"]);
        let leak = &find_leaks(text, &yp())[0];
        assert_eq!(text.get(leak.start..leak.end), Some("elpmaxE nadroJ"));
        // An isolate to the end of the line, and a second line left alone.
        let isolate = "\u{2067}elpmaxE\nExample";
        let leaks = find_leaks(isolate, &yp());
        assert_eq!((leaks.len(), leaks[0].occurrences), (1, 2));
    }

    #[test]
    fn a_surname_is_known_by_its_parts() {
        assert_eq!(surname_forms("Tyler Penrose"), ["Penrose"]);
        assert_eq!(
            surname_forms("Maria Garcia Lopez"),
            ["Garcia", "Garcia Lopez", "Lopez"]
        );
        assert_eq!(surname_forms("PENROSE, Tyler"), ["PENROSE"]);
        assert_eq!(
            surname_forms("Ann Tregenza-Smith"),
            ["Smith", "Tregenza", "Tregenza-Smith"]
        );
        assert_eq!(
            surname_forms("Sean O'Kessock"),
            ["Kessock", "O'Kessock", "OKessock"]
        );
        assert_eq!(surname_forms("Luis de Vega"), ["Vega", "de Vega"]);
        assert!(surname_forms("Kenzo").is_empty());
        // In text, each is a hit for the child.
        let terms: Vec<Term> = surname_forms("Ann Tregenza-Smith")
            .iter()
            .map(|f| term(TermKind::YoungPersonSurname, f))
            .collect();
        assert!(!find_leaks("seen with Tregenza at the gates", &terms).is_empty());
    }

    #[test]
    fn a_written_name_is_a_persons_only_when_it_reads_as_one() {
        for name in [
            "Claire Dunstan",
            "Ms J. Okafor",
            "Seán O'Kessock",
            "Ann Tregenza-Smith",
        ] {
            assert!(looks_like_a_persons_name(name), "{name}");
        }
        for text in [
            "Route supervisor, bus operator",
            "Duty Officer",
            "Youth Service",
            "Head of Year 10",
            "Claire",
            "PCSO 4412 Smith",
        ] {
            assert!(!looks_like_a_persons_name(text), "{text}");
        }
    }

    #[test]
    fn masking_hides_every_form_and_keeps_the_rest() {
        let names = ["Jordan Example".to_string(), "Jordan".to_string()];
        assert_eq!(
            mask(
                "  - text: JORDAN Exa\u{200B}mple, bike; Jordan again.",
                &names
            ),
            "  - text: ██████ ████████, bike; ██████ again."
        );
        assert_eq!(mask("nothing here", &names), "nothing here");
        assert_eq!(mask("Jordanville", &names), "Jordanville");
    }

    #[test]
    fn invisible_characters_do_not_hide_a_name() {
        let text = "Jor\u{AD}dan Exa\u{200B}mple";
        assert_eq!(found(text, &yp()), ["Jordan Example", "Example"]);
    }

    #[test]
    fn what_a_reader_sees_as_the_name_is_found() {
        let terms = [term(TermKind::YoungPersonSurname, "Penrose")];
        for text in [
            // Invisible format characters inside the word.
            "Pen\u{200E}rose",
            "Pen\u{2062}rose",
            "Pen\u{2063}rose",
            "Pen\u{034F}rose",
            "Pen\u{E0020}rose",
            "Pen\u{180E}rose",
            // Letters that look Latin.
            "P\u{0435}nr\u{043E}se",
            "Penr\u{03BF}se",
            // Compatibility forms: full-width, mathematical bold.
            "\u{FF30}\u{FF45}\u{FF4E}\u{FF52}\u{FF4F}\u{FF53}\u{FF45}",
            "\u{1D40F}\u{1D41E}\u{1D427}\u{1D42B}\u{1D428}\u{1D42C}\u{1D41E}",
            // Accents a record did not have.
            "Pénrose",
            "PENRÓSE",
        ] {
            assert_eq!(found(text, &terms), ["Penrose"], "{text:?}");
        }
        let spelled = [
            ("Wrobel", "Wróbel"),
            ("YILMAZ", "Yılmaz"),
            ("Yilmaz", "Yılmaz"),
            ("Strauss", "Strauß"),
            ("office", "O\u{FB03}ce"),
        ];
        for (text, name) in spelled {
            let terms = [term(TermKind::YoungPersonSurname, name)];
            assert_eq!(found(text, &terms), [name], "{text:?} for {name:?}");
        }
        // Unrelated words stay unrelated.
        assert!(found("Penrith and Pentire", &terms).is_empty());
    }

    /// README names the Unicode version the guard reads text by: an
    /// update of these crates must update it too.
    #[test]
    fn the_unicode_data_is_the_version_readme_names() {
        assert_eq!(unicode_normalization::UNICODE_VERSION, (18, 0, 0));
        assert_eq!(unicode_properties::UNICODE_VERSION, (18, 0, 0));
    }

    #[test]
    fn markdown_marks_and_character_references_do_not_hide_a_name() {
        let terms = [term(TermKind::YoungPersonSurname, "Penrose")];
        for text in [
            "seen with Pen**rose** at the gates",
            "Pen*ros*e",
            "P~~enrose~~",
            "Pen`rose`",
            "&#80;enrose",
            "&#x50;enrose",
            "Pen&shy;rose",
            "Penros&#101;'s friend",
        ] {
            assert_eq!(found(text, &terms), ["Penrose"], "{text:?}");
        }
        // Marks around the words of a name; references that stand for
        // nothing are left as written.
        let full = [term(TermKind::YoungPersonName, "Jordan Example")];
        assert_eq!(found("**Jordan** *Example*", &full), ["Jordan Example"]);
        assert!(found("Pen&bogus;rose and Pen*", &terms).is_empty());
    }

    #[test]
    fn a_title_is_known_by_its_distinctive_words() {
        assert_eq!(
            title_parts("Drake's Reach Academy"),
            ["Drake's Reach", "Drakes Reach", "Drakes Reach Academy"]
        );
        assert_eq!(
            title_parts("Castle Hill School, the bus bay"),
            ["Castle Hill"]
        );
        assert_eq!(
            title_parts("Harbour Walk and the Quay Steps"),
            ["Harbour Walk", "Quay Steps"]
        );
        // A title of one distinctive word, or of none, has no parts.
        assert!(title_parts("Old Park").is_empty());
        assert!(title_parts("Plym Chat").is_empty());
        assert_eq!(
            title_parts("Union Street parade, Stonehouse"),
            ["Union Street"]
        );
        assert_eq!(
            title_parts("North Prospect and Ham Woods peer group"),
            ["Ham Woods"]
        );
        let terms = [term(TermKind::ContextTitlePart, "Drake's Reach")];
        assert_eq!(
            found("approaches near Drake's Reach gates", &terms),
            ["Drake's Reach"]
        );
    }

    #[test]
    fn a_reference_is_found_without_its_separators() {
        assert_eq!(ref_forms("YP-A"), ["YP-A", "YPA", "YP A"]);
        assert_eq!(ref_forms("A-1"), ["A-1", "A 1"], "A1 is a road");
        assert_eq!(ref_forms("YP7"), ["YP7"]);
        let terms: Vec<Term> = ref_forms("DP-03")
            .iter()
            .map(|f| term(TermKind::YoungPersonRef, f))
            .collect();
        for text in [
            "dp03 said",
            "DP 03 said",
            "DP\u{2013}03 said",
            "DP\u{2212}03 said",
            "DP-03",
        ] {
            assert!(!found(text, &terms).is_empty(), "{text:?}");
        }
        assert!(found("DP-030 and XDP-03", &terms).is_empty());
    }

    #[test]
    fn possessives_match() {
        let terms = [term(TermKind::PersonName, "Casey")];
        for text in [
            "Casey's friends",
            "Casey\u{2019}s friends",
            "the Caseys' house",
            "the Caseys\u{2019} house",
            "(Casey)",
            "CASEY.",
        ] {
            assert_eq!(found(text, &terms), ["Casey"], "{text}");
        }
        // A name ending in s: "James'".
        let james = [term(TermKind::PersonName, "James")];
        assert_eq!(found("James' bike", &james), ["James"]);
        // The possessive of a full name.
        assert_eq!(found("Jordan Example's school", &yp())[0], "Jordan Example");
    }

    #[test]
    fn whole_words_only() {
        let terms = [term(TermKind::PersonName, "Casey")];
        for text in ["Caseyville", "McCasey", "caseys", "Caseys's", "two caseys"] {
            assert!(found(text, &terms).is_empty(), "{text}");
        }
        // A name run into digits reads as the name (a username); a family
        // as "the Caseys"; a name spaced out letter by letter as the name.
        for text in [
            "Casey2",
            "14casey",
            "the Caseys",
            "met the Caseyes",
            "C a s e y",
            "C. a. s. e. y.",
        ] {
            assert_eq!(found(text, &terms), ["Casey"], "{text}");
        }
        assert!(found("a b c d", &terms).is_empty());
        assert!(found("Examples of practice", &yp()).is_empty());
        assert!(found("counterexample", &yp()).is_empty());
    }

    #[test]
    fn any_case() {
        assert_eq!(found("JORDAN EXAMPLE", &yp())[0], "Jordan Example");
        assert_eq!(found("jordan example", &yp())[0], "Jordan Example");
        // Unicode lowercase, not only ASCII.
        let zoe = [term(TermKind::YoungPersonSurname, "Ångström")];
        assert_eq!(found("ÅNGSTRÖM was there", &zoe), ["Ångström"]);
    }

    #[test]
    fn references_match_as_whole_tokens() {
        let terms = yp();
        assert_eq!(found("Young person YP-A said", &terms), ["YP-A"]);
        assert_eq!(found("yp-a.", &terms), ["YP-A"]);
        assert_eq!(found("YP\u{2011}A", &terms), ["YP-A"]);
        assert!(found("YP-AB and XYP-A and YP-A1", &terms).is_empty());
    }

    #[test]
    fn a_surname_alone_is_found() {
        assert_eq!(found("Mr Example attended", &yp()), ["Example"]);
    }

    #[test]
    fn a_context_title_is_found() {
        let terms = [term(
            TermKind::ContextTitle,
            "Harbour Walk and the Quay Steps",
        )];
        let text = "the harbour walk and\nthe QUAY steps group";
        assert_eq!(found(text, &terms).len(), 1);
        assert!(found("Harbour Walk", &terms).is_empty());
    }

    #[test]
    fn terms_starting_or_ending_with_punctuation() {
        let terms = [term(TermKind::ContextTitle, "(The Den)")];
        assert_eq!(found("met at (the den) on Friday", &terms).len(), 1);
        let dotted = [term(TermKind::ContextTitle, "St. Budeaux Yard.")];
        assert_eq!(found("near st. budeaux yard.x", &dotted).len(), 1);
    }

    #[test]
    fn hyphenated_line_breaks_are_joined() {
        assert_eq!(
            found("spoke to Jor-\ndan Exam-\n ple", &yp())[0],
            "Jordan Example"
        );
        // A real hyphen at a line end still matches the hyphenated term.
        let terms = [term(TermKind::ContextTitle, "Stoke-Damerel")];
        assert_eq!(found("in Stoke-\nDamerel", &terms).len(), 1);
        assert_eq!(found("in Stoke-\n Damerel", &terms).len(), 1);
        // Without a line break, a hyphen is a hyphen.
        assert!(found("Jor-dan", &yp()).is_empty());
    }

    #[test]
    fn counts_occurrences_and_reports_the_first() {
        let text = "Example.\nThen example again, and EXAMPLE's";
        let leaks = find_leaks(text, &yp());
        assert_eq!(leaks.len(), 1);
        assert_eq!(leaks[0].occurrences, 3);
        assert_eq!((leaks[0].start, leaks[0].line), (0, 1));
    }

    #[test]
    fn nothing_found_in_clean_text() {
        let text = "Older males use the underpass to approach younger children.";
        assert!(find_leaks(text, &yp()).is_empty());
        assert!(find_leaks("", &yp()).is_empty());
        assert!(find_leaks(text, &[]).is_empty());
    }

    #[test]
    fn empty_or_punctuation_terms_never_match() {
        let terms = [
            term(TermKind::PersonName, ""),
            term(TermKind::PersonName, " - "),
        ];
        assert!(find_leaks("a - b", &terms).is_empty());
    }

    #[test]
    fn odd_text_does_not_panic() {
        let terms = yp();
        for text in [
            "\u{130}",
            "-\n",
            "a-\n",
            "s'",
            "'",
            "\u{FEFF}",
            "İstanbul Example",
        ] {
            let _ = find_leaks(text, &terms);
        }
        // A lowercase that grows: the offsets still fall on the original text.
        let leaks = find_leaks("İİ Example", &terms);
        assert_eq!(
            "İİ Example".get(leaks[0].start..leaks[0].end),
            Some("Example")
        );
    }

    #[test]
    fn the_diagnostic_names_the_record_not_the_name() {
        let leaks = find_leaks("text\nwith Example and Example", &yp());
        let d = leak_diagnostic(&leaks[0], "anonymised/2026-Q3/safer-plymouth.html");
        assert_eq!(d.rule, RuleId::Anonymity);
        assert_eq!(d.kind, Kind::Error);
        assert_eq!(
            d.message,
            "the anonymised summary anonymised/2026-Q3/safer-plymouth.html contains the surname \
             of young person YP-A (cases/x/context.yaml), first at line 2 of the output, 2 times"
        );
        assert!(!d.message.contains("Example"));
        assert!(d.help.is_some());
    }

    #[test]
    fn a_leak_from_a_learning_item_points_at_the_item() {
        let leaks = find_leaks("with Example", &yp());
        let item = Loc {
            line: 19,
            column: 7,
            ..leaks[0].term.loc
        };
        let out = "anonymised/2026-Q3/safer-plymouth.html";
        let d = leak_diagnostic_from(&leaks[0], out, item, "this learning item", 1);
        assert_eq!(d.loc, item, "where the text must be reworded");
        assert_eq!(
            d.message,
            "this learning item puts the surname of young person YP-A (cases/x/context.yaml) \
             into the anonymised summary anonymised/2026-Q3/safer-plymouth.html (and 1 more output)"
        );
        assert!(!d.message.contains("Example"));
        let none = leak_diagnostic_from(&leaks[0], out, item, "this theme", 0);
        assert!(
            none.message.ends_with("safer-plymouth.html"),
            "{}",
            none.message
        );
    }

    #[test]
    fn html_text_reads_what_a_reader_sees() {
        let html = "<p>Seen: <b>Jor</b>dan</p><td>Exa</td><td>mple</td>\
                    <img alt=\"Jordan&#32;Example\"><!-- Jordan --><script>var Jordan;</script>\
                    <span title='YP&#x2D;A'>x</span>&amp; Casey&rsquo;s";
        let text = html_text(html);
        assert!(text.contains("Seen: Jordan"));
        assert!(text.contains(" Exa  mple"));
        assert!(text.contains("Jordan Example"));
        assert!(!text.contains("var Jordan"));
        assert!(text.contains("YP-A"));
        assert!(text.contains("& Casey\u{2019}s"));
        assert_eq!(found(&text, &yp()), ["Jordan Example", "Example", "YP-A"]);
        // Lines are kept where they were.
        let lines = "<p>one</p>\n<p\n class='x'>two</p>\n<p>Example</p>";
        assert_eq!(find_leaks(&html_text(lines), &yp())[0].line, 4);
        // Broken markup does not panic.
        for bad in [
            "<",
            "<p",
            "&",
            "&#xZZ;",
            "&#99999999;",
            "<script>",
            "<!--",
            "<a title='",
        ] {
            let _ = html_text(bad);
        }
    }

    #[test]
    fn json_text_decodes_escapes() {
        let v =
            serde_json::json!({"learning": [{"text": "Jordan\nExample", "n": 3}], "Example": null});
        let raw = v.to_string();
        assert!(found(&raw, &yp()).iter().all(|t| t != "Jordan Example"));
        let text = json_text(&v);
        assert_eq!(found(&text, &yp()), ["Jordan Example", "Example"]);
    }
}
