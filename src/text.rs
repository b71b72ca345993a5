//! Words made from numbers and names, the same way everywhere: `1 error`,
//! `3 months`, `kim-davies`, and the one "did you mean" policy.

/// `1 error`, `2 errors`. Any integer type: counts come as `usize` from
/// lists and `u32` from records.
pub fn count(n: impl std::fmt::Display, one: &str, many: &str) -> String {
    let n = n.to_string();
    if n == "1" {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// `1 month`, `3 months`: [`count`] for a word whose plural adds an s.
pub fn units(n: impl std::fmt::Display, unit: &str) -> String {
    count(n, unit, &format!("{unit}s"))
}

/// `2026-Q1`, `2026-Q1 and 2026-Q2`, `2026-Q1, 2026-Q2 and 2026-Q3`.
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// An id made from a name or label: "Kim Davies" -> "kim-davies", "St.
/// Budeaux's" -> "st-budeaux-s". ASCII letters and digits, lower-cased, any
/// run of other characters one hyphen, none at either end.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The known word most like a typed one, and how alike they are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Closest<'k> {
    pub word: &'k str,
    /// Edits (insertions, deletions, substitutions, swaps) between them.
    pub edits: usize,
    /// Jaro-Winkler similarity, 0 to 1: high for a shared beginning.
    pub similarity: f64,
}

/// Jaro-Winkler similarity from which a word counts as a likely typo
/// whatever its edits ("kim" for "kim-davies").
const LIKELY_SIMILARITY: f64 = 0.8;

impl Closest<'_> {
    /// Close enough to suggest: at most one edit in three characters, or a
    /// shared beginning.
    pub fn likely_typo(&self) -> bool {
        let limit = (self.word.chars().count() / 3).max(1);
        self.edits <= limit || self.similarity >= LIKELY_SIMILARITY
    }
}

/// The word of `known` closest to `word`, ignoring case: fewest edits, then
/// most similar, then first listed (so the help is stable). `None` only when
/// nothing is known.
pub fn closest<'k>(word: &str, known: &[&'k str]) -> Option<Closest<'k>> {
    let typed = word.to_lowercase();
    known
        .iter()
        .map(|k| {
            let k_lower = k.to_lowercase();
            Closest {
                word: k,
                edits: strsim::damerau_levenshtein(&typed, &k_lower),
                similarity: strsim::jaro_winkler(&typed, &k_lower),
            }
        })
        .fold(None, |best: Option<Closest>, c| match best {
            Some(b) if (b.edits, -b.similarity) <= (c.edits, -c.similarity) => Some(b),
            _ => Some(c),
        })
}

/// "Did you mean": the closest known word when it is a likely typo. Every
/// suggestion contextpack makes (fields, values, ids, rules) comes from here.
/// "criminal-exploitation" -> "Criminal exploitation".
pub fn humanise(id: &str) -> String {
    let spaced = id.replace('-', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

pub fn nearest<'k>(word: &str, known: &[&'k str]) -> Option<&'k str> {
    closest(word, known)
        .filter(Closest::likely_typo)
        .map(|c| c.word)
}

/// Whether `text` holds `word` standing alone: not inside a longer run of
/// letters, digits, `-` or `_` (so `YP-A` is not found in `YP-AB`).
pub fn mentions(text: &str, word: &str) -> bool {
    if word.is_empty() {
        return false;
    }
    let part = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_');
    text.match_indices(word).any(|(at, _)| {
        !part(text[..at].chars().next_back()) && !part(text[at + word.len()..].chars().next())
    })
}

/// `peer%20map.png` -> `peer map.png`, as Markdown and web addresses
/// write spaces; a `%` not followed by two hex digits, or what does not
/// decode to UTF-8, is left as written.
pub fn percent_decoded(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (
            b[i],
            b.get(i + 1).and_then(|&c| hex(c)),
            b.get(i + 2).and_then(|&c| hex(c)),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (c, ..) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_slugs() {
        assert_eq!(count(1u32, "error", "errors"), "1 error");
        assert_eq!(count(0usize, "error", "errors"), "0 errors");
        assert_eq!(units(3u32, "month"), "3 months");
        assert_eq!(slug("Kim Davies"), "kim-davies");
        assert_eq!(slug("  St. Budeaux's  "), "st-budeaux-s");
        assert_eq!(slug("Alleged harmer"), "alleged-harmer");
        assert_eq!(slug("__"), "");
    }

    #[test]
    fn nearest_forgives_typos_and_case_and_declines_strangers() {
        assert_eq!(nearest("Police", &["csc", "police"]), Some("police"));
        assert_eq!(
            nearest("kim", &["jo-smith", "kim-davies"]),
            Some("kim-davies")
        );
        assert_eq!(
            nearest("review-whithin", &["review-within", "review-held"]),
            Some("review-within")
        );
        assert_eq!(
            nearest("movedconsent", &["moved-within", "moved-consent"]),
            Some("moved-consent")
        );
        assert_eq!(
            nearest("in progress", &["planned", "in-progress", "done"]),
            Some("in-progress")
        );
        assert_eq!(nearest("zebedee", &["jo-smith", "kim-davies"]), None);
        assert_eq!(nearest("x", &[]), None);
        let far = closest("zebedee", &["jo-smith", "kim-davies"]).expect("one is closest");
        assert!(!far.likely_typo());
    }

    #[test]
    fn a_reference_is_found_only_standing_alone() {
        assert!(super::mentions("YP-A and YP-B were seen", "YP-A"));
        assert!(super::mentions("seen (YP-B).", "YP-B"));
        assert!(!super::mentions("YP-AB was seen", "YP-A"));
        assert!(!super::mentions("XYP-A", "YP-A"));
        assert!(!super::mentions("anything", ""));
    }
}
