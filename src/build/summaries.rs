//! The anonymised quarterly summaries (`anonymised/<YYYY>-Q<n>/<forum>.*`),
//! rendered and searched by the leak guard before anything is written.
//!
//! Each summary becomes three files: the HTML page, the PDF, and a CSV of its
//! tables for analysts. All three are rendered in memory, their text (what a
//! reader sees: HTML without markup, the CSV as it is, the PDF's laid-out text
//! and metadata) is searched by one [`Guard`] made from the whole casebook,
//! and only a set of summaries with no leak at all is handed back to be
//! written: a leak anywhere fails the build, so the previous output stays.

use super::{BuildError, CasebookFile, DocumentError, Gate, Provenance, Renderer, Reuse, cache};
use crate::Checked;
use crate::diagnostic::Diagnostic;
use crate::model::Casebook;
use crate::render::pdf::Rendered;
use crate::render::view::Stamp;
use crate::source::Loc;
use crate::summary::guard::{self, Guard, Leak, forbidden_terms};
use crate::summary::view::SummaryDoc;
use crate::summary::{Quarter, QuarterSummary, all_summaries, csv, published};

pub const HTML_TEMPLATE: &str = "summary.html";
pub const TYPST_TEMPLATE: &str = "summary.typ";

/// Every summary of the casebook, marked as `published/` says it stands
/// (see [`published::settle`]), or the refusal of each that would change
/// what a forum holds. Nothing when some contexts are held back: a summary
/// of part of the casebook would undercount without saying so (the command
/// line says why it is missing).
pub fn settled(
    checked: &Checked,
    gate: &Gate,
    reissue: &[Quarter],
) -> Result<Vec<QuarterSummary>, BuildError> {
    if !gate.all_clear() {
        return Ok(Vec::new());
    }
    let mut summaries = all_summaries(checked);
    settle_all(checked, &mut summaries, reissue)?;
    Ok(summaries)
}

/// [`published::settle`] as a build's error.
pub fn settle_all(
    checked: &Checked,
    summaries: &mut [QuarterSummary],
    reissue: &[Quarter],
) -> Result<(), BuildError> {
    let refused = published::settle(&checked.casebook, summaries, reissue);
    if refused.is_empty() {
        Ok(())
    } else {
        Err(BuildError::Published(refused))
    }
}

/// One summary, rendered in memory and not yet searched.
pub struct Outputs {
    /// `anonymised/2026-Q3/safer-plymouth`: the paths without extension.
    pub stem: String,
    pub html: String,
    pub csv: String,
    pub pdf: Rendered,
    /// Where the summary's learning items are written, for diagnostics.
    pub learning: Vec<Loc>,
    /// Where the summary's forum is defined: a leak no record text carried
    /// is reported there, never at the child's own record.
    pub forum: Option<Loc>,
    /// The text contextpack itself put around the records: the summary's
    /// data (labels, counts), its CSV and its templates. A term found only
    /// where this text has it too ("Page 2 of 5", "Alleged harmer") is the
    /// template's own word, not a leak.
    pub fixed: String,
}

impl Outputs {
    /// `(path, text a reader sees)` of each file, for the guard.
    pub fn texts(&self) -> [(String, String); 3] {
        [
            (format!("{}.html", self.stem), guard::html_text(&self.html)),
            (format!("{}.csv", self.stem), self.csv.clone()),
            (format!("{}.pdf", self.stem), self.pdf.searchable_text()),
        ]
    }
}

/// `anonymised/<YYYY>-Q<n>/<forum>`.
pub fn stem(s: &QuarterSummary) -> String {
    format!("anonymised/{}/{}", s.quarter, file_stem(&s.forum.id))
}

/// A forum id as a file name: ids are checked to be plain already; anything
/// else is replaced, so no id can reach outside its folder.
fn file_stem(id: &str) -> String {
    let clean: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if clean.is_empty() {
        "forum".to_string()
    } else {
        clean
    }
}

/// Renders one summary: HTML, CSV and PDF. The PDF is taken from the
/// previous output when its key is unchanged, with the text it showed, so
/// the leak guard still searches it against today's names.
pub fn render_one(
    renderer: &Renderer,
    checked: &Checked,
    provenance: &Provenance,
    summary: QuarterSummary,
    reuse: &Reuse,
) -> Result<Outputs, DocumentError> {
    let stem = stem(&summary);
    let learning = summary.learning.iter().map(|l| l.loc).collect();
    let settings = &checked.casebook.settings;
    let forum = settings
        .forums
        .iter()
        .find(|f| f.id.value == summary.forum.id)
        .map(|f| f.id.loc)
        .or_else(|| settings.file.map(Loc::file_start));
    let csv = csv::summary_csv(&summary);
    let stamp = Stamp::anonymised(settings, &provenance.text(), checked.today);
    let doc = SummaryDoc::new(summary, stamp).with_key_messages(&checked.casebook);
    let failed = |path: String, template: &str, message: String| DocumentError {
        path,
        template: renderer.template_label(template),
        message,
    };
    let html = renderer
        .html(HTML_TEMPLATE, &doc, &format!("{stem}.html"))
        .map_err(|m| failed(format!("{stem}.html"), HTML_TEMPLATE, m))?;
    let pdf_path = format!("{stem}.pdf");
    let data = serde_json::to_vec(&doc).map_err(|e| {
        failed(
            pdf_path.clone(),
            TYPST_TEMPLATE,
            format!("the document's data cannot be written as JSON: {e}"),
        )
    })?;
    let today = checked.today.to_string();
    let key = renderer.key(TYPST_TEMPLATE, &pdf_path, &doc.title, &today, &data);
    let pdf = match reuse.previous.reusable(&pdf_path, &key) {
        Some((entry, file)) if entry.text.is_some() => std::fs::read(file).ok().map(|pdf| {
            let text = entry.text.clone().unwrap_or_default();
            Rendered::reused(pdf, text)
        }),
        _ => None,
    };
    let pdf = match pdf {
        Some(pdf) => pdf,
        None => renderer
            .pdf_from_data(TYPST_TEMPLATE, &data, &doc.title, &pdf_path, checked.today)
            .map_err(|m| failed(pdf_path.clone(), TYPST_TEMPLATE, m))?,
    };
    reuse.keys.insert(
        &pdf_path,
        cache::Entry {
            key,
            sha256: super::manifest::sha256(&pdf.pdf),
            bytes: pdf.pdf.len() as u64,
            text: Some(pdf.searchable_text()),
        },
    );
    let fixed = fixed_text(renderer, &data, &csv);
    Ok(Outputs {
        stem,
        html: String::from_utf8_lossy(&html).into_owned(),
        forum,
        fixed,
        csv,
        pdf,
        learning,
    })
}

/// Renders the given summaries in parallel, searches every output, and
/// returns their files only when none leaks.
pub fn render_summaries(
    renderer: &Renderer,
    checked: &Checked,
    provenance: &Provenance,
    summaries: Vec<QuarterSummary>,
    reuse: &Reuse,
) -> Result<Vec<CasebookFile>, BuildError> {
    let guard = Guard::new(&forbidden_terms(&checked.casebook));
    let results: Vec<Result<(Outputs, Vec<Found>), DocumentError>> =
        super::pool::run(summaries, |s| {
            let out = render_one(renderer, checked, provenance, s, reuse)?;
            let found = search(&guard, &out);
            Ok((out, found))
        });
    let mut rendered = Vec::new();
    let mut failed = Vec::new();
    let mut found = Vec::new();
    for r in results {
        match r {
            Ok((out, leaks)) => {
                found.extend(leaks);
                rendered.push(out);
            }
            Err(e) => failed.push(e),
        }
    }
    if !failed.is_empty() {
        failed.sort_by(|a, b| a.path.cmp(&b.path));
        return Err(BuildError::Documents(failed));
    }
    // Only the template's own words found: nothing to report.
    let leaks = diagnostics(&checked.casebook, &found);
    if !leaks.is_empty() {
        return Err(BuildError::Anonymity(leaks));
    }
    let inputs = inputs(renderer, &checked.casebook);
    Ok(rendered
        .into_iter()
        .flat_map(|o| files(o, &inputs))
        .collect())
}

fn files(o: Outputs, inputs: &[String]) -> [CasebookFile; 3] {
    let file = |ext: &str, bytes: Vec<u8>| CasebookFile {
        path: format!("{}.{ext}", o.stem),
        bytes,
        inputs: inputs.to_vec(),
    };
    [
        file("html", o.html.into_bytes()),
        file("pdf", o.pdf.pdf),
        file("csv", o.csv.into_bytes()),
    ]
}

/// [`Outputs::fixed`]: the strings of the summary's data, its CSV, and the
/// sources of the templates a summary is rendered with.
fn fixed_text(renderer: &Renderer, data: &[u8], csv: &str) -> String {
    let mut fixed = serde_json::from_slice(data)
        .map(|v| guard::json_text(&v))
        .unwrap_or_default();
    fixed.push('\n');
    fixed.push_str(csv);
    // Library files are named by their virtual path, `/contextpack.typ`.
    let used = |name: &str| SUMMARY_TEMPLATES.contains(&name.trim_start_matches('/'));
    let typst = renderer.typst.sources().filter(|(n, _)| used(n));
    let html = renderer.html.sources().filter(|(n, _)| used(n));
    for (_, text) in typst.chain(html) {
        fixed.push('\n');
        fixed.push_str(text);
    }
    fixed
}

/// The templates a summary is rendered with.
const SUMMARY_TEMPLATES: [&str; 5] = [
    HTML_TEMPLATE,
    "base.html",
    TYPST_TEMPLATE,
    "contextpack.typ",
    "markdown.typ",
];

/// A summary is made from the whole casebook: every record, and the
/// casebook's own summary templates where it has them.
fn inputs(renderer: &Renderer, casebook: &Casebook) -> Vec<String> {
    let mut files: Vec<String> = casebook
        .sources
        .iter()
        .map(|(_, f)| f.path.replace('\\', "/"))
        .filter(|p| !p.is_empty())
        .collect();
    let used = SUMMARY_TEMPLATES;
    let html: Vec<String> = renderer
        .html
        .overrides()
        .iter()
        .map(|(name, _)| format!("templates/{name}"))
        .collect();
    let own = renderer.typst.overridden.iter().cloned().chain(html);
    files.extend(own.filter(|f| used.iter().any(|u| f == &format!("templates/{u}"))));
    files.sort();
    files.dedup();
    files
}

// ---------------------------------------------------------------- leaks

/// A leak found in one output of one summary.
pub struct Found {
    pub output: String,
    pub leak: Leak,
    /// The summary's learning items, where the text most likely came from.
    pub learning: Vec<Loc>,
    /// The term is in the summary's own text too ([`Outputs::fixed`]).
    pub fixed: bool,
    /// [`Outputs::forum`].
    pub forum: Option<Loc>,
}

/// Every leak in the outputs of one summary.
pub fn search(guard: &Guard, out: &Outputs) -> Vec<Found> {
    let fixed: Vec<guard::Term> = guard.find(&out.fixed).into_iter().map(|l| l.term).collect();
    out.texts()
        .into_iter()
        .flat_map(|(output, text)| {
            let fixed = &fixed;
            guard.find(&text).into_iter().map(move |leak| Found {
                output: output.clone(),
                fixed: fixed.contains(&leak.term),
                leak,
                learning: out.learning.clone(),
                forum: out.forum,
            })
        })
        .collect()
}

/// A text of the records that can reach a summary, and where it is written.
struct Source<'a> {
    text: &'a str,
    loc: Loc,
    what: &'static str,
    /// An agency's or a forum's name: see
    /// [`guard::TermKind::identifies_in_organisation_names`].
    organisation: bool,
}

/// The texts a summary prints as written, in the order they are suspected.
fn sources<'a>(casebook: &'a Casebook, learning: &[Loc]) -> Vec<Source<'a>> {
    let mut out = Vec::new();
    let items = casebook
        .contexts
        .iter()
        .flat_map(|c| &c.meetings)
        .flat_map(|m| &m.learning);
    // The summary's own learning items first: they are printed whole.
    for item in items.clone().filter(|i| learning.contains(&i.text.loc)) {
        out.push(Source {
            text: &item.text.value,
            loc: item.text.loc,
            what: "this learning item",
            organisation: false,
        });
    }
    let free_themes = items
        .flat_map(|i| &i.themes)
        .filter(|t| !crate::model::is_built_in_harm(&t.value));
    for theme in free_themes {
        out.push(Source {
            text: &theme.value,
            loc: theme.loc,
            what: "this theme",
            organisation: false,
        });
    }
    for area in casebook.contexts.iter().filter_map(|c| c.area.as_ref()) {
        out.push(Source {
            text: &area.value,
            loc: area.loc,
            what: "this area",
            organisation: false,
        });
    }
    for m in &casebook.messages {
        out.push(Source {
            text: &m.text.value,
            loc: m.text.loc,
            what: crate::rules::KEY_MESSAGES,
            organisation: false,
        });
    }
    let settings = &casebook.settings;
    for f in &settings.forums {
        out.push(Source {
            text: &f.name,
            loc: f.id.loc,
            what: "this forum's name",
            organisation: true,
        });
    }
    // What the summaries print of an agency: the name they give it, and
    // its id (in the CSV).
    for a in &settings.agencies {
        let (loc, what) = a.summary_name_at();
        out.push(Source {
            text: a.summary_name(),
            loc,
            what,
            organisation: true,
        });
        out.push(Source {
            text: &a.id.value,
            loc: a.id.loc,
            what: guard::AGENCY_ID,
            organisation: true,
        });
    }
    out
}

/// The same leak found in several outputs (a summary's HTML and PDF, the
/// summaries of several forums): reported once.
struct Group<'f> {
    /// The term's record, its kind, and the record text that carried it.
    key: (Loc, guard::TermKind, Option<Loc>),
    first: &'f Found,
    origin: Option<(Loc, &'static str)>,
    /// How many further outputs hold it.
    others: usize,
}

/// One `anonymity` error per term and place it came from, naming the first
/// output that holds it and counting the others.
fn diagnostics(casebook: &Casebook, found: &[Found]) -> Vec<Diagnostic> {
    let mut groups: Vec<Group> = Vec::new();
    for f in found {
        let origin = origin(casebook, f);
        // Carried by no record text, and in contextpack's own words: "Page
        // 2 of 5" for a child surnamed Page, "Alleged harmer" for Harmer.
        if origin.is_none() && f.fixed {
            continue;
        }
        let key = (f.leak.term.loc, f.leak.term.kind, origin.map(|o| o.0));
        match groups.iter_mut().find(|g| g.key == key) {
            Some(g) => g.others += 1,
            None => groups.push(Group {
                key,
                first: f,
                origin,
                others: 0,
            }),
        }
    }
    let terms = forbidden_terms(casebook);
    let mut out: Vec<Diagnostic> = groups
        .iter()
        .map(|g| {
            let mut d = diagnostic_of(g);
            d.masked = guard::forms_of(&terms, &g.first.leak.term);
            d
        })
        .collect();
    crate::diagnostic::sort(&mut out, |loc| {
        casebook
            .sources
            .get(loc.file)
            .map_or_else(String::new, |f| f.path.clone())
    });
    out
}

fn diagnostic_of(g: &Group) -> Diagnostic {
    match g.origin {
        Some((loc, what)) => {
            guard::leak_diagnostic_from(&g.first.leak, &g.first.output, loc, what, g.others)
        }
        // Not at the term's own record: its line holds the name, and
        // diagnostics reach CI logs.
        None => guard::leak_diagnostic_at(&g.first.leak, &g.first.output, g.first.forum),
    }
}

/// The record text that brought the term into the summary, if one holds it.
fn origin(casebook: &Casebook, f: &Found) -> Option<(Loc, &'static str)> {
    let one = Guard::new(std::slice::from_ref(&f.leak.term));
    let kind = f.leak.term.kind;
    sources(casebook, &f.learning)
        .into_iter()
        .filter(|s| !s.organisation || kind.identifies_in_organisation_names())
        .find(|s| !one.find(s.text).is_empty())
        .map(|s| (s.loc, s.what))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forum_ids_stay_inside_their_folder() {
        assert_eq!(file_stem("safer-plymouth"), "safer-plymouth");
        assert_eq!(file_stem("../x"), "---x");
        assert_eq!(file_stem("a/b"), "a-b");
        assert_eq!(file_stem(""), "forum");
    }
}
