//! The built-in templates, compiled into the binary. A casebook overrides any
//! of them with a file of the same name in its own `templates/` folder.

use crate::fs_guard::{self, ReadError};
use std::path::Path;

/// Largest template file read.
pub const MAX_TEMPLATE_BYTES: u64 = 4 * 1024 * 1024;

/// Reads a casebook's `templates/` folder without leaving the casebook: a
/// template must be a regular file inside the folder's casebook (its
/// parent), so a link to `/proc/self/environ` publishes nothing.
pub fn guard(templates_dir: &Path) -> std::io::Result<fs_guard::Casebook> {
    let casebook = templates_dir.parent().unwrap_or(templates_dir);
    let casebook = if casebook.as_os_str().is_empty() {
        Path::new(".")
    } else {
        casebook
    };
    fs_guard::Casebook::new(casebook)
}

/// HTML templates (tera). `base.html` is the layout the others extend.
pub const HTML: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("agenda.html", include_str!("../../templates/agenda.html")),
    ("minutes.html", include_str!("../../templates/minutes.html")),
    (
        "action-plan.html",
        include_str!("../../templates/action-plan.html"),
    ),
    ("context.html", include_str!("../../templates/context.html")),
    (
        "assessment.html",
        include_str!("../../templates/assessment.html"),
    ),
    (
        "young-person.html",
        include_str!("../../templates/young-person.html"),
    ),
    ("summary.html", include_str!("../../templates/summary.html")),
    (
        "dashboard.html",
        include_str!("../../templates/dashboard.html"),
    ),
];

/// Typst library files, given to every PDF at `/<name>`.
pub const TYPST_LIBRARY: &[(&str, &str)] = &[
    (
        "contextpack.typ",
        include_str!("../../templates/contextpack.typ"),
    ),
    ("markdown.typ", include_str!("../../templates/markdown.typ")),
];

/// Typst documents: each becomes `/main.typ` of its PDF and reads `/data.json`.
pub const TYPST_DOCUMENTS: &[(&str, &str)] = &[
    ("agenda.typ", include_str!("../../templates/agenda.typ")),
    ("minutes.typ", include_str!("../../templates/minutes.typ")),
    (
        "action-plan.typ",
        include_str!("../../templates/action-plan.typ"),
    ),
    ("pack.typ", include_str!("../../templates/pack.typ")),
    (
        "pack-parts.typ",
        include_str!("../../templates/pack-parts.typ"),
    ),
    (
        "assessment.typ",
        include_str!("../../templates/assessment.typ"),
    ),
    ("summary.typ", include_str!("../../templates/summary.typ")),
];

/// The typst templates in force for a casebook: built-ins, each replaced by
/// `<casebook>/templates/<name>` when that file exists.
#[derive(Debug, Clone)]
pub struct TypstTemplates {
    /// `(virtual path, source)` of the library files, e.g. `("/contextpack.typ", ...)`.
    pub library: Vec<(String, String)>,
    /// `(name, source)` of the document templates.
    pub documents: Vec<(String, String)>,
    /// Casebook files that replaced a built-in, for the manifest's inputs.
    pub overridden: Vec<String>,
}

impl TypstTemplates {
    pub fn load(override_dir: Option<&Path>) -> std::io::Result<Self> {
        let mut overridden = Vec::new();
        let guard = override_dir.map(guard).transpose()?;
        let mut pick = |name: &str, builtin: &str| -> std::io::Result<String> {
            if let (Some(dir), Some(guard)) = (override_dir, &guard) {
                let p = dir.join(name);
                match guard.read(&p, MAX_TEMPLATE_BYTES) {
                    Ok(bytes) => {
                        overridden.push(format!("templates/{name}"));
                        return String::from_utf8(bytes).map_err(|_| {
                            std::io::Error::new(
                                std::io::ErrorKind::InvalidData,
                                format!("templates/{name} is not UTF-8 text; save it as UTF-8"),
                            )
                        });
                    }
                    Err(ReadError::Missing) => {}
                    Err(ReadError::Io(e)) => return Err(e),
                    Err(e) => {
                        return Err(std::io::Error::other(format!("templates/{name}: {e}")));
                    }
                }
            }
            Ok(builtin.to_string())
        };
        let library = TYPST_LIBRARY
            .iter()
            .map(|(n, s)| Ok((format!("/{n}"), pick(n, s)?)))
            .collect::<std::io::Result<Vec<_>>>()?;
        let documents = TYPST_DOCUMENTS
            .iter()
            .map(|(n, s)| Ok((n.to_string(), pick(n, s)?)))
            .collect::<std::io::Result<Vec<_>>>()?;
        Ok(TypstTemplates {
            library,
            documents,
            overridden,
        })
    }

    /// The source of a document template by name (`agenda.typ`).
    pub fn document(&self, name: &str) -> Option<&str> {
        self.documents
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, s)| s.as_str())
    }

    /// Every template and library file, as (name, source).
    pub fn sources(&self) -> impl Iterator<Item = (&str, &str)> {
        self.library
            .iter()
            .chain(&self.documents)
            .map(|(n, s)| (n.as_str(), s.as_str()))
    }

    /// The library files as the PDF engine takes them.
    pub fn extra(&self) -> Vec<(&str, &str)> {
        self.library
            .iter()
            .map(|(p, s)| (p.as_str(), s.as_str()))
            .collect()
    }
}
