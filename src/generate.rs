//! Large casebooks for benchmarks and tests: a sample casebook's contexts
//! copied under new ids until there are `n` of them.
//!
//! Each copy gets its own folder, title, young people's refs and names, so
//! the copies check clean together exactly as the sample does on its own.
//! Extra `people:` can be added to the settings to try a partnership-sized
//! directory. Used by `cargo run --release --example casebook`, by
//! `cargo bench` and by the end-to-end tests at scale; nothing in a real
//! build calls it.

use std::fmt::Write as _;
use std::io;
use std::path::{Path, PathBuf};

/// What to make.
#[derive(Debug, Clone)]
pub struct Options {
    /// Contexts in the new casebook.
    pub contexts: usize,
    /// People added to `contextpack.yaml` beyond the sample's own.
    pub extra_people: usize,
}

/// One context of the sample: its folder name and its files (relative path
/// and text).
struct Template {
    id: String,
    files: Vec<(PathBuf, String)>,
    refs: Vec<String>,
    surnames: Vec<String>,
}

/// Writes a casebook of `options.contexts` contexts into `dest` (created if
/// missing), made from the casebook at `sample`: its settings and own
/// templates as they are, its contexts copied round-robin.
pub fn casebook(sample: &Path, dest: &Path, options: &Options) -> io::Result<()> {
    let templates = read_contexts(&sample.join("cases"))?;
    if templates.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!("{} has no contexts to copy", sample.join("cases").display()),
        ));
    }
    std::fs::create_dir_all(dest.join("cases"))?;
    let settings = std::fs::read_to_string(sample.join("contextpack.yaml"))?;
    std::fs::write(
        dest.join("contextpack.yaml"),
        with_people(&settings, options.extra_people),
    )?;
    let sample_templates = sample.join("templates");
    if sample_templates.is_dir() {
        copy_flat(&sample_templates, &dest.join("templates"))?;
    }
    std::fs::write(dest.join(".gitignore"), "/output\n/.output-*\n")?;
    // Refs are renamed in every file, so a child linked from another
    // context of the same copy stays one child.
    let refs: Vec<String> = templates.iter().flat_map(|t| t.refs.clone()).collect();
    for i in 0..options.contexts {
        let template = &templates[i % templates.len()];
        let copy = i / templates.len();
        // The last copy may hold only some of the sample's contexts: links
        // to the others are left out.
        let present: Vec<&Template> = templates
            .iter()
            .enumerate()
            .filter(|(k, _)| copy * templates.len() + k < options.contexts)
            .map(|(_, t)| t)
            .collect();
        let absent: Vec<&Template> = templates
            .iter()
            .filter(|t| !present.iter().any(|p| p.id == t.id))
            .collect();
        let copies = Copies {
            refs: &refs,
            present: &present,
            absent: &absent,
        };
        write_copy(template, copy, &copies, &dest.join("cases"))?;
    }
    Ok(())
}

/// What a copy renames and leaves out.
struct Copies<'a> {
    refs: &'a [String],
    present: &'a [&'a Template],
    absent: &'a [&'a Template],
}

/// `context.yaml` without the links to contexts the copy does not have:
/// young people linked by ref alone from them, and `related_contexts:`
/// entries naming them (the key goes too when none is left).
fn without_absent(text: &str, absent: &[&Template]) -> String {
    let dropped = |l: &str| {
        let link = l.contains("ref:") && !l.contains("name:");
        absent.iter().any(|t| {
            (link && t.refs.iter().any(|r| l.contains(&format!("ref: {r},"))))
                || l.contains(&format!("context: {},", t.id))
        })
    };
    let kept: Vec<&str> = text.lines().filter(|l| !dropped(l)).collect();
    let mut out: Vec<&str> = Vec::new();
    for (n, l) in kept.iter().enumerate() {
        let empty_key = l.trim_end() == "related_contexts:"
            && !kept.get(n + 1).is_some_and(|next| next.starts_with("  "));
        if !empty_key {
            out.push(l);
        }
    }
    out.join("\n") + "\n"
}

fn read_contexts(cases: &Path) -> io::Result<Vec<Template>> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(cases)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut templates = Vec::new();
    for dir in dirs {
        let mut files = Vec::new();
        collect(&dir, &dir, &mut files)?;
        files.sort();
        let context = files
            .iter()
            .find(|(p, _)| p == Path::new("context.yaml"))
            .map(|(_, t)| t.clone())
            .unwrap_or_default();
        // Definitions only: a child linked by ref alone is another
        // context's, and renamed with it.
        let refs = values_of(&context, "ref:");
        let surnames = values_of(&context, "name:")
            .into_iter()
            .filter_map(|n| n.rsplit(' ').next().map(str::to_string))
            .collect();
        templates.push(Template {
            id: dir
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            files,
            refs,
            surnames,
        });
    }
    Ok(templates)
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, String)>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            out.push((rel, std::fs::read_to_string(&path)?));
        }
    }
    Ok(())
}

/// The values of `key` in a YAML text, one per line that has it.
fn values_of(text: &str, key: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| {
            let l = l.trim_start().trim_start_matches("- ");
            l.strip_prefix(key)
                .map(|v| v.trim().trim_matches('"').to_string())
        })
        .collect()
}

/// A suffix of lowercase letters for copy `n`: a, b, ..., z, ba, bb, ...
/// Letters, not digits, so a surname stays one word.
fn letters(mut n: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'a' + (n % 26) as u8);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

fn write_copy(template: &Template, copy: usize, copies: &Copies, cases: &Path) -> io::Result<()> {
    let id = format!("{}-{copy}", template.id);
    let dir = cases.join(&id);
    let suffix = letters(copy);
    for (rel, text) in &template.files {
        let mut text = text.clone();
        if rel == Path::new("context.yaml") {
            text = without_absent(&text, copies.absent);
            for t in copies.present {
                text = text.replace(
                    &format!("context: {},", t.id),
                    &format!("context: {}-{copy},", t.id),
                );
            }
        }
        for r in copies.refs {
            text = replace_token(&text, r, &format!("{r}{copy}"));
        }
        if rel == Path::new("context.yaml") {
            for s in &template.surnames {
                text = replace_token(&text, s, &format!("{s}{suffix}"));
            }
            text = text
                .lines()
                .map(|l| match l.strip_prefix("title: ") {
                    Some(title) => format!("title: {}, copy {copy}", title.trim_matches('"')),
                    None => l.to_string(),
                })
                .collect::<Vec<_>>()
                .join("\n");
            text.push('\n');
        }
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, text)?;
    }
    Ok(())
}

/// `text` with every whole-token occurrence of `from` (not followed by a
/// letter, digit or hyphen) replaced by `to`.
fn replace_token(text: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(from) {
        let after = &rest[at + from.len()..];
        let whole = !after
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '-');
        out.push_str(&rest[..at]);
        out.push_str(if whole { to } else { from });
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The settings with `extra` people appended to `people:`.
fn with_people(settings: &str, extra: usize) -> String {
    if extra == 0 {
        return settings.to_string();
    }
    let mut block = String::new();
    for i in 0..extra {
        let _ = write!(
            block,
            "  - id: staff-{i}\n    name: Staff Member{}\n    agency: csc\n    roles: [social-worker]\n",
            letters(i)
        );
    }
    let mut out = String::new();
    let mut done = false;
    for line in settings.lines() {
        out.push_str(line);
        out.push('\n');
        if !done && line.trim_end() == "people:" {
            out.push_str(&block);
            done = true;
        }
    }
    out
}

/// Copies the sample's own templates: those that differ from the built-in
/// ones. A copy of a built-in would override it, so a casebook generated
/// before a template change would render the old template ever after.
fn copy_flat(from: &Path, to: &Path) -> io::Result<()> {
    use crate::render::templates::{HTML, TYPST_DOCUMENTS, TYPST_LIBRARY};
    let built_in = |name: &str, text: &[u8]| {
        HTML.iter()
            .chain(TYPST_LIBRARY)
            .chain(TYPST_DOCUMENTS)
            .any(|(n, source)| *n == name && source.as_bytes() == text)
    };
    for entry in std::fs::read_dir(from)? {
        let path = entry?.path();
        let Some(name) = path.file_name() else {
            continue;
        };
        if !path.is_file() {
            continue;
        }
        let text = std::fs::read(&path)?;
        if built_in(&name.to_string_lossy(), &text) {
            continue;
        }
        std::fs::create_dir_all(to)?;
        std::fs::write(to.join(name), text)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_replaced_whole() {
        assert_eq!(
            replace_token("YP-I, YP-IJ and YP-I.", "YP-I", "YP-I3"),
            "YP-I3, YP-IJ and YP-I3."
        );
        assert_eq!(letters(0), "a");
        assert_eq!(letters(27), "bb");
    }
}
