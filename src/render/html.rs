//! The HTML template environment: tera 2, with the templates built into the
//! binary, any of which a casebook may replace with a file of the same name
//! in its `templates/` folder.
//!
//! Every `.html` template is autoescaped: record text in a plain `{{ value }}`
//! is always shown as text. Markdown reaches a page only through the
//! `markdown` filter, which converts it with [`markdown::to_html`] (raw HTML
//! shown as text, unsafe links dropped, sanitised) and marks the result safe.
//! Data is never parsed as a template, so `{{ 7*7 }}` in a record stays text.
//!
//! Filters added to tera's own:
//! - `markdown`: Markdown to safe HTML; headings shift down one level, or by
//!   `heading_offset`: `{{ minutes | markdown(heading_offset=2) }}`. `none`
//!   gives an empty string.
//! - `date`: `"2026-09-14"` to `Monday 14 September 2026`.

use std::collections::BTreeMap;
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, ErrorKind, Kwargs, State, Tera, TeraResult, Value};

use crate::fs_guard::ReadError;
use crate::render::markdown::{self, HtmlOptions};
use crate::render::templates;

const ENGINE_FAILED: &str = "the template engine failed (internal error in tera)";

/// Template names with these endings are autoescaped.
const AUTOESCAPE_SUFFIXES: [&str; 4] = [".html", ".htm", ".xml", ".svg"];

/// The compiled templates, built once per process and shared by every
/// rendering thread (`HtmlTemplates` is `Send + Sync`).
pub struct HtmlTemplates {
    tera: Tera,
    /// Where each template came from, to point errors at the right file.
    origins: BTreeMap<String, Origin>,
}

struct Origin {
    /// The casebook file, for an override; `None` for a built-in template.
    file: Option<PathBuf>,
    source: String,
}

// Rendering threads share one `HtmlTemplates`: fail the build, not the run,
// if tera ever stops being `Send + Sync`.
const _: () = {
    const fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<HtmlTemplates>();
};

/// What went wrong with a template, and where: a box around
/// [`TemplateErrorDetails`], whose fields it derefs to (`error.file`).
#[derive(Debug)]
pub struct TemplateError(Box<TemplateErrorDetails>);

/// The fields of a [`TemplateError`].
#[derive(Debug)]
pub struct TemplateErrorDetails {
    pub kind: TemplateErrorKind,
    /// The template's name (`agenda.html`), when the error concerns one.
    pub template: Option<String>,
    /// The casebook file the template came from; `None` for a built-in one.
    pub file: Option<PathBuf>,
    /// 1-based line and column in the template, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// The template's source line at `line`, to show under the message.
    pub source_line: Option<String>,
    io: Option<std::io::Error>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateErrorKind {
    /// An override file exists but could not be read.
    Read,
    /// A template does not compile: bad syntax, an unknown filter, a missing
    /// parent or block.
    Compile,
    /// Rendering failed (a missing variable, a filter given bad data), or
    /// the data was not a struct or map.
    Render,
}

impl HtmlTemplates {
    /// Compiles the built-in templates, `(name, source)` pairs usually from
    /// `include_str!`, then replaces each by the file of the same name in
    /// `override_dir` (the casebook's `templates/` folder) when there is one.
    /// Files with other names are not read. A missing folder means no
    /// overrides.
    pub fn load(
        builtin: &[(&str, &str)],
        override_dir: Option<&Path>,
    ) -> Result<Self, TemplateError> {
        let mut templates = HtmlTemplates {
            tera: new_tera(),
            origins: BTreeMap::new(),
        };
        for (name, source) in builtin {
            templates.origins.insert(
                name.to_string(),
                Origin {
                    file: None,
                    source: source.to_string(),
                },
            );
        }
        templates.add(
            builtin
                .iter()
                .map(|(n, s)| (n.to_string(), s.to_string()))
                .collect(),
        )?;

        let overrides = match override_dir {
            Some(dir) => read_overrides(builtin, dir)?,
            None => Vec::new(),
        };
        if overrides.is_empty() {
            return Ok(templates);
        }
        for (name, file, source) in &overrides {
            templates.origins.insert(
                name.clone(),
                Origin {
                    file: Some(file.clone()),
                    source: source.clone(),
                },
            );
        }
        let sources = overrides.into_iter().map(|(n, _, s)| (n, s)).collect();
        templates.add(sources).map_err(|mut e| {
            if e.file.is_none() && e.template.is_some() {
                e.message
                    .push_str(" (a casebook template may have changed what this one relies on)");
            }
            e
        })?;
        Ok(templates)
    }

    /// Renders the template `name` with `data`, which must serialise to a
    /// struct or map: its fields are the template's variables.
    pub fn render(&self, name: &str, data: &impl Serialize) -> Result<String, TemplateError> {
        self.render_at(name, data, "")
    }

    /// [`HtmlTemplates::render`] for a page `root` away from the output
    /// folder (`../../`), which templates prefix to files at its top (the
    /// logo).
    pub fn render_at(
        &self,
        name: &str,
        data: &impl Serialize,
        root: &str,
    ) -> Result<String, TemplateError> {
        let mut context = Context::from_serialize(data).map_err(|e| {
            TemplateError::new(TemplateErrorKind::Render, Some(name))
                .with_message(format!("the data for the template cannot be used: {e}"))
        })?;
        context.insert("root", &root);
        // tera's renderer has internal `expect`s: a template edited in a
        // casebook must not be able to bring the whole build down.
        match catch_unwind(AssertUnwindSafe(|| self.tera.render(name, &context))) {
            Ok(Ok(html)) => Ok(super::cells::label_cells(&html)),
            Ok(Err(e)) => Err(self.error(&e, TemplateErrorKind::Render, Some(name))),
            Err(_) => Err(self
                .error_for(TemplateErrorKind::Render, name)
                .with_message(ENGINE_FAILED.to_string())),
        }
    }

    /// Every template in use, as (name, source): what a page's bytes
    /// depend on besides its data.
    pub fn sources(&self) -> impl Iterator<Item = (&str, &str)> {
        self.origins
            .iter()
            .map(|(name, origin)| (name.as_str(), origin.source.as_str()))
    }

    /// The templates the casebook replaced, as (name, file), by name: inputs
    /// of every page rendered with them.
    pub fn overrides(&self) -> Vec<(&str, &Path)> {
        self.origins
            .iter()
            .filter_map(|(name, origin)| Some((name.as_str(), origin.file.as_deref()?)))
            .collect()
    }

    /// Adds templates in one batch, so that overrides which depend on each
    /// other (a renamed block in a parent and its children) load together.
    fn add(&mut self, sources: Vec<(String, String)>) -> Result<(), TemplateError> {
        let tera = &mut self.tera;
        match catch_unwind(AssertUnwindSafe(|| tera.add_raw_templates(sources))) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(self.error(&e, TemplateErrorKind::Compile, None)),
            Err(_) => Err(TemplateError::new(TemplateErrorKind::Compile, None)
                .with_message(ENGINE_FAILED.to_string())),
        }
    }

    /// Turns a tera error into one that names the template's file and line.
    fn error(
        &self,
        e: &tera::Error,
        kind: TemplateErrorKind,
        template: Option<&str>,
    ) -> TemplateError {
        let mut located = Located::from_tera(e);
        if located.template.is_none() {
            located.template = template.map(str::to_string);
        }
        let mut error = match &located.template {
            Some(name) => self.error_for(kind, name),
            None => TemplateError::new(kind, None),
        };
        error.message = located.message;
        error.line = located.line;
        error.column = located.column;
        error.source_line = located
            .line
            .and_then(|line| self.source_line(error.template.as_deref()?, line));
        error
    }

    fn error_for(&self, kind: TemplateErrorKind, name: &str) -> TemplateError {
        let mut error = TemplateError::new(kind, Some(name));
        error.file = self.origins.get(name).and_then(|o| o.file.clone());
        error
    }

    fn source_line(&self, template: &str, line: usize) -> Option<String> {
        let source = &self.origins.get(template)?.source;
        source.lines().nth(line.checked_sub(1)?).map(str::to_string)
    }
}

fn new_tera() -> Tera {
    let mut tera = Tera::new();
    tera.autoescape_on(AUTOESCAPE_SUFFIXES);
    tera.register_filter("markdown", markdown_filter);
    tera.register_filter("date", date_filter);
    tera.register_filter("css_string", css_string_filter);
    tera
}

/// The override files present among the built-in names, as (name, file,
/// source), sorted by name.
fn read_overrides(
    builtin: &[(&str, &str)],
    dir: &Path,
) -> Result<Vec<(String, PathBuf, String)>, TemplateError> {
    let mut names: Vec<&str> = builtin.iter().map(|(name, _)| *name).collect();
    names.sort_unstable();
    names.dedup();
    let mut found = Vec::new();
    let guard = templates::guard(dir).map_err(|e| {
        let mut error = TemplateError::new(TemplateErrorKind::Read, None)
            .with_message(format!("cannot read the templates folder: {e}"));
        error.file = Some(dir.to_path_buf());
        error
    })?;
    for name in names {
        let path = dir.join(name);
        let io = match guard.read(&path, templates::MAX_TEMPLATE_BYTES) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(source) => {
                    found.push((name.to_string(), path, source));
                    continue;
                }
                Err(_) => std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "it is not UTF-8 text; save it as UTF-8",
                ),
            },
            Err(ReadError::Missing) => continue,
            Err(ReadError::Io(e)) => e,
            Err(other) => std::io::Error::other(other.to_string()),
        };
        let mut error = TemplateError::new(TemplateErrorKind::Read, Some(name))
            .with_message(format!("cannot read the template: {io}"));
        error.file = Some(path);
        error.io = Some(io);
        return Err(error);
    }
    Ok(found)
}

/// `{{ text | markdown }}`: Markdown to sanitised HTML, marked safe.
fn markdown_filter(value: &Value, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
    let offset = kwargs.get::<u8>("heading_offset")?;
    // `images=[[written, copy], ..]`: the images of the context this page
    // may show, each as written in the Markdown and the address of its copy.
    let images: Vec<(String, String)> = kwargs
        .get::<Vec<Vec<String>>>("images")?
        .unwrap_or_default()
        .into_iter()
        .filter_map(|pair| match <[String; 2]>::try_from(pair) {
            Ok([written, copy]) => Some((written, copy)),
            Err(_) => None,
        })
        .collect();
    let options = HtmlOptions {
        heading_offset: offset.unwrap_or(HtmlOptions::default().heading_offset),
        images: &images,
    };
    let text = match value.as_str() {
        Some(text) => text,
        None if value.is_none() => "",
        None => {
            return Err(tera::Error::message(format!(
                "the `markdown` filter needs a string, not {}",
                value.name()
            )));
        }
    };
    Ok(Value::safe_string(&markdown::to_html_with(text, options)))
}

/// `{{ text | css_string }}`: the inside of a quoted CSS string. Anything
/// that could end the string, the declaration or the `<style>` element, and
/// every control character (a form feed ends a CSS string as a newline
/// does), becomes a CSS escape `\hex `; marked safe, as nothing HTML reads
/// is left in it.
fn css_string_filter(value: &str, _: Kwargs, _: &State) -> TeraResult<Value> {
    Ok(Value::safe_string(&css_string(value)))
}

pub fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\\' | '"' | '\'' | '&' | '<' | '>' => out.push_str(&format!("\\{:x} ", ch as u32)),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\{:x} ", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// `{{ "2026-09-14" | date }}` gives `Monday 14 September 2026`.
fn date_filter(value: &str, _: Kwargs, _: &State) -> TeraResult<String> {
    chrono::NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d")
        .map(|date| date.format("%A %-d %B %Y").to_string())
        .map_err(|_| {
            tera::Error::message(format!(
                "the `date` filter needs a date like 2026-09-14, not `{value}`"
            ))
        })
}

/// The template, place and message of a tera error.
struct Located {
    template: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    message: String,
}

impl Located {
    fn from_tera(e: &tera::Error) -> Self {
        let unlocated = |template: Option<&str>, message: String| Located {
            template: template.map(str::to_string),
            line: None,
            column: None,
            message,
        };
        match e.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let span = report.span();
                Located {
                    template: Some(report.filename().to_string()).filter(|n| !n.is_empty()),
                    line: Some(span.start_line).filter(|l| *l > 0),
                    column: Some(span.start_col + 1),
                    message: report.message().to_string(),
                }
            }
            ErrorKind::Msg(text) => parse_report(text),
            ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
                unlocated(Some(tpl), e.to_string())
            }
            ErrorKind::MissingParent { current, .. } => unlocated(Some(current), e.to_string()),
            _ => unlocated(None, e.to_string()),
        }
    }
}

/// tera reports an unknown filter, test, function, template or block as
/// ready-made text, one report per problem:
///
/// ```text
/// error: Unknown filter `markdwn`
///  --> agenda.html:12:14
/// ...
/// ```
///
/// This takes the first report's message and place.
fn parse_report(text: &str) -> Located {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or("");
    let Some(message) = first.strip_prefix("error: ") else {
        return Located {
            template: None,
            line: None,
            column: None,
            message: text.to_string(),
        };
    };
    let mut located = Located {
        template: None,
        line: None,
        column: None,
        message: message.to_string(),
    };
    let locus = lines
        .next()
        .and_then(|l| l.trim_start().strip_prefix("--> "));
    if let Some(locus) = locus {
        let mut parts = locus.rsplitn(3, ':');
        let column = parts.next().and_then(|c| c.parse().ok());
        let line = parts.next().and_then(|l| l.parse().ok());
        if let (Some(column), Some(line), Some(name)) = (column, line, parts.next()) {
            located.template = Some(name.to_string());
            located.line = Some(line);
            located.column = Some(column);
        }
    }
    let more = text
        .lines()
        .filter(|l| l.starts_with("error: "))
        .count()
        .saturating_sub(1);
    if more > 0 {
        located.message.push_str(&format!(" (and {more} more)"));
    }
    located
}

impl TemplateError {
    fn new(kind: TemplateErrorKind, template: Option<&str>) -> Self {
        TemplateError(Box::new(TemplateErrorDetails {
            kind,
            template: template.map(str::to_string),
            file: None,
            line: None,
            column: None,
            message: String::new(),
            source_line: None,
            io: None,
        }))
    }

    fn with_message(mut self, message: String) -> Self {
        self.message = message;
        self
    }
}

impl std::ops::Deref for TemplateError {
    type Target = TemplateErrorDetails;

    fn deref(&self) -> &TemplateErrorDetails {
        &self.0
    }
}

impl std::ops::DerefMut for TemplateError {
    fn deref_mut(&mut self) -> &mut TemplateErrorDetails {
        &mut self.0
    }
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.file, &self.template) {
            (Some(file), _) => write!(f, "{}", file.display())?,
            (None, Some(name)) => write!(f, "built-in template {name}")?,
            (None, None) => f.write_str("templates")?,
        }
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": {}", self.message)?;
        if let (Some(line), Some(source)) = (self.line, &self.source_line) {
            write!(f, "\n{line:>5} | {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for TemplateError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.io.as_ref().map(|e| e as _)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn css_strings_escape_every_control_character() {
        let hostile = "OFFICIAL\u{c}} .marking{display:none} a{content:\"x\"}\n</style>\u{0}";
        let escaped = css_string(hostile);
        assert!(!escaped.chars().any(|c| c.is_control()), "{escaped}");
        for ch in ['"', '\'', '<', '>', '&'] {
            assert!(!escaped.contains(ch), "{escaped}");
        }
        assert!(escaped.starts_with("OFFICIAL\\c } .marking{"), "{escaped}");
        assert_eq!(css_string("a\\b"), "a\\5c b");
    }

    const BASE: &str = "<h1>{{ title }}</h1>{% block body %}{% endblock body %}";
    const AGENDA: &str = "{% extends \"base.html\" %}{% block body %}<p>{{ note }}</p>\
                          <div>{{ minutes | markdown }}</div>{% endblock body %}";

    fn builtin() -> Vec<(&'static str, &'static str)> {
        vec![("base.html", BASE), ("agenda.html", AGENDA)]
    }

    fn templates() -> HtmlTemplates {
        match HtmlTemplates::load(&builtin(), None) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        }
    }

    fn render(t: &HtmlTemplates, name: &str, data: serde_json::Value) -> String {
        match t.render(name, &data) {
            Ok(html) => html,
            Err(e) => panic!("{e}"),
        }
    }

    fn data(note: &str, minutes: &str) -> serde_json::Value {
        json!({"title": "Agenda", "note": note, "minutes": minutes})
    }

    #[test]
    fn plain_variables_are_escaped() {
        let html = render(
            &templates(),
            "agenda.html",
            data("<script>alert(1)</script> & \"q\"", ""),
        );
        assert!(
            html.contains("<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;</p>"),
            "{html}"
        );
        assert!(!html.contains("<script"));
    }

    #[test]
    fn markdown_filter_output_is_safe_html() {
        let minutes = "# Heard\n\n**Agreed** <script>alert(1)</script> [x](javascript:alert(1)) \
                       <img src=x onerror=alert(1)>";
        let html = render(&templates(), "agenda.html", data("", minutes));
        assert!(html.contains("<h2>Heard</h2>"), "{html}");
        assert!(
            html.contains(
                "<strong>Agreed</strong> &lt;script&gt;alert(1)&lt;/script&gt; x &lt;img"
            ),
            "{html}"
        );
        assert!(
            !html.contains("<script") && !html.contains("<img") && !html.contains("javascript:")
        );

        let builtin = [(
            "page.html",
            "{{ text | markdown(heading_offset=0) }}|{{ none_value | markdown }}",
        )];
        let t = HtmlTemplates::load(&builtin, None).expect("templates");
        let html = render(
            &t,
            "page.html",
            json!({"text": "# Top", "none_value": null}),
        );
        assert_eq!(html, "<h1>Top</h1>\n|");
    }

    #[test]
    fn data_is_never_parsed_as_a_template() {
        let hostile = "{{ 7*7 }} {% raw %} {# c #} {% include \"base.html\" %}";
        let html = render(&templates(), "agenda.html", data(hostile, hostile));
        assert!(!html.contains("49"), "{html}");
        assert_eq!(
            html.matches("{{ 7*7 }} {% raw %} {# c #} {% include &quot;base.html&quot; %}")
                .count(),
            1,
            "{html}"
        );
        assert!(
            html.contains("<p>{{ 7*7 }} {% raw %} {# c #} {% include \"base.html\" %}</p>"),
            "{html}"
        );
    }

    #[test]
    fn date_filter() {
        let builtin = [("d.html", "{{ d | date }}")];
        let t = HtmlTemplates::load(&builtin, None).expect("templates");
        assert_eq!(
            render(&t, "d.html", json!({"d": "2026-09-14"})),
            "Monday 14 September 2026"
        );
        assert_eq!(
            render(&t, "d.html", json!({"d": "2026-01-01"})),
            "Thursday 1 January 2026"
        );
        let e = t
            .render("d.html", &json!({"d": "14/09/2026"}))
            .expect_err("bad date");
        assert_eq!(e.kind, TemplateErrorKind::Render);
        assert!(e.to_string().contains("2026-09-14"), "{e}");
        assert!(e.to_string().contains("14/09/2026"), "{e}");
    }

    #[test]
    fn casebook_override_wins() {
        let dir = tempfile::tempdir().expect("tempdir");
        let own = "{% extends \"base.html\" %}{% block body %}<main>ours {{ note }}</main>{% endblock body %}";
        std::fs::write(dir.path().join("agenda.html"), own).expect("write");
        std::fs::write(dir.path().join("unknown.html"), "{{ broken").expect("write");
        let t = HtmlTemplates::load(&builtin(), Some(dir.path())).expect("templates");
        let html = render(&t, "agenda.html", data("<b>", ""));
        assert_eq!(html, "<h1>Agenda</h1><main>ours &lt;b&gt;</main>");
        assert_eq!(
            t.overrides(),
            vec![("agenda.html", dir.path().join("agenda.html").as_path())]
        );
        // A missing folder is no overrides.
        let t = HtmlTemplates::load(&builtin(), Some(&dir.path().join("nope"))).expect("templates");
        assert!(t.overrides().is_empty());
    }

    #[test]
    fn overrides_that_depend_on_each_other_load_together() {
        let dir = tempfile::tempdir().expect("tempdir");
        let base = "<h1>{{ title }}</h1>{% block main %}{% endblock main %}";
        let agenda = "{% extends \"base.html\" %}{% block main %}new{% endblock main %}";
        std::fs::write(dir.path().join("base.html"), base).expect("write");
        std::fs::write(dir.path().join("agenda.html"), agenda).expect("write");
        let t = HtmlTemplates::load(&builtin(), Some(dir.path())).expect("templates");
        assert_eq!(
            render(&t, "agenda.html", data("", "")),
            "<h1>Agenda</h1>new"
        );
    }

    #[test]
    fn syntax_error_in_override_names_the_file_and_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("agenda.html");
        std::fs::write(&path, "<p>fine</p>\n<p>{{ note | }}</p>\n").expect("write");
        let e = HtmlTemplates::load(&builtin(), Some(dir.path()))
            .err()
            .expect("an error");
        assert_eq!(e.kind, TemplateErrorKind::Compile);
        assert_eq!(e.file.as_deref(), Some(path.as_path()));
        assert_eq!(e.line, Some(2));
        let shown = e.to_string();
        assert!(
            shown.starts_with(&format!("{}:2:", path.display())),
            "{shown}"
        );
        assert!(shown.contains("<p>{{ note | }}</p>"), "{shown}");
    }

    #[test]
    fn unknown_filter_in_override_names_the_file_and_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("agenda.html");
        std::fs::write(&path, "\n\n{{ minutes | markdwn }}").expect("write");
        let e = HtmlTemplates::load(&builtin(), Some(dir.path()))
            .err()
            .expect("an error");
        assert_eq!(e.kind, TemplateErrorKind::Compile);
        assert_eq!(e.file.as_deref(), Some(path.as_path()));
        assert_eq!(e.line, Some(3));
        assert!(e.message.contains("markdwn"), "{e}");
    }

    #[test]
    fn builtin_broken_by_an_override_says_so() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("base.html"),
            "{% block other %}{% endblock other %}",
        )
        .expect("write");
        let e = HtmlTemplates::load(&builtin(), Some(dir.path()))
            .err()
            .expect("an error");
        assert_eq!(e.template.as_deref(), Some("agenda.html"));
        assert!(e.to_string().contains("casebook template"), "{e}");
    }

    #[test]
    fn unreadable_override_is_a_read_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("agenda.html")).expect("mkdir");
        let e = HtmlTemplates::load(&builtin(), Some(dir.path()))
            .err()
            .expect("an error");
        assert_eq!(e.kind, TemplateErrorKind::Read);
        assert_eq!(e.file, Some(dir.path().join("agenda.html")));
    }

    #[test]
    fn render_errors_name_the_template() {
        let t = templates();
        let e = t
            .render("agenda.html", &json!({"title": "x"}))
            .expect_err("missing note");
        assert_eq!(e.kind, TemplateErrorKind::Render);
        assert_eq!(e.template.as_deref(), Some("agenda.html"));
        assert!(e.line.is_some(), "{e}");
        let e = t
            .render("agenda.html", &"not a map")
            .expect_err("not a map");
        assert_eq!(e.kind, TemplateErrorKind::Render);
        let e = t
            .render("nope.html", &json!({}))
            .expect_err("no such template");
        assert!(e.to_string().contains("nope.html"), "{e}");
    }

    #[test]
    fn shared_across_threads() {
        let t = templates();
        std::thread::scope(|s| {
            for i in 0..4 {
                let t = &t;
                s.spawn(move || {
                    let html = render(t, "agenda.html", data(&i.to_string(), "*m*"));
                    assert!(html.contains(&format!("<p>{i}</p>")));
                });
            }
        });
    }
}
