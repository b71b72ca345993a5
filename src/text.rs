//! Words made from numbers and names, the same way everywhere: `1 error`,
//! `3 months`, `kim-davies`.

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
}
