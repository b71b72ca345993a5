//! The documents made for a context, each with its file name, label and
//! template in one place: `build` renders exactly [`of_context`], and the
//! context page and the dashboard name and link them from the same table.

use crate::model::{Context, Meeting};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Pdf,
    /// Word, for the documents councils circulate and edit.
    Docx,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Html => "HTML",
            Format::Pdf => "PDF",
            Format::Docx => "Word",
        }
    }
}

/// What a document is, whatever meeting it is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `restricted/<context>/index.html`.
    ContextPage,
    Plan,
    /// The context assessment, for contexts that have one.
    Assessment,
    Agenda,
    Minutes,
    /// Cover, agenda, assessment, the plan as it stood, previous minutes.
    Pack,
}

/// Every kind in every format it is made in, with its file name and template.
const TABLE: [(Kind, Format, &str, &str); 13] = [
    (
        Kind::ContextPage,
        Format::Html,
        "index.html",
        "context.html",
    ),
    (
        Kind::Plan,
        Format::Html,
        "action-plan.html",
        "action-plan.html",
    ),
    (
        Kind::Plan,
        Format::Pdf,
        "action-plan.pdf",
        "action-plan.typ",
    ),
    // Word files are written by `render::docx`, from the same views; the
    // "template" names that writer.
    (
        Kind::Plan,
        Format::Docx,
        "action-plan.docx",
        "action-plan.docx",
    ),
    (
        Kind::Assessment,
        Format::Html,
        "assessment.html",
        "assessment.html",
    ),
    (
        Kind::Assessment,
        Format::Pdf,
        "assessment.pdf",
        "assessment.typ",
    ),
    (Kind::Agenda, Format::Html, "agenda.html", "agenda.html"),
    (Kind::Agenda, Format::Pdf, "agenda.pdf", "agenda.typ"),
    (Kind::Agenda, Format::Docx, "agenda.docx", "agenda.docx"),
    (Kind::Minutes, Format::Html, "minutes.html", "minutes.html"),
    (Kind::Minutes, Format::Pdf, "minutes.pdf", "minutes.typ"),
    (Kind::Minutes, Format::Docx, "minutes.docx", "minutes.docx"),
    (Kind::Pack, Format::Pdf, "pack.pdf", "pack.typ"),
];

impl Kind {
    /// "Meeting pack".
    pub fn title(self) -> &'static str {
        match self {
            Kind::ContextPage => "Context page",
            Kind::Plan => "Action plan",
            Kind::Assessment => "Context assessment",
            Kind::Agenda => "Agenda",
            Kind::Minutes => "Minutes",
            Kind::Pack => "Meeting pack",
        }
    }

    /// The kind a file name belongs to (`pack.pdf` is a meeting pack).
    pub fn of_file(file: &str) -> Option<Kind> {
        TABLE
            .iter()
            .find(|(_, _, name, _)| *name == file)
            .map(|(kind, ..)| *kind)
    }
}

/// One document of a context, and the meeting it is of.
#[derive(Debug, Clone, Copy)]
pub enum Document<'c> {
    ContextPage,
    Plan(Format),
    Assessment(Format),
    Agenda(&'c Meeting, Format),
    Minutes(&'c Meeting, Format),
    Pack(&'c Meeting),
}

impl<'c> Document<'c> {
    pub fn kind(self) -> Kind {
        match self {
            Document::ContextPage => Kind::ContextPage,
            Document::Plan(_) => Kind::Plan,
            Document::Assessment(_) => Kind::Assessment,
            Document::Agenda(..) => Kind::Agenda,
            Document::Minutes(..) => Kind::Minutes,
            Document::Pack(_) => Kind::Pack,
        }
    }

    pub fn format(self) -> Format {
        match self {
            Document::ContextPage => Format::Html,
            Document::Plan(f)
            | Document::Assessment(f)
            | Document::Agenda(_, f)
            | Document::Minutes(_, f) => f,
            Document::Pack(_) => Format::Pdf,
        }
    }

    pub fn meeting(self) -> Option<&'c Meeting> {
        match self {
            Document::ContextPage | Document::Plan(_) | Document::Assessment(_) => None,
            Document::Agenda(m, _) | Document::Minutes(m, _) | Document::Pack(m) => Some(m),
        }
    }

    fn entry(self) -> &'static (Kind, Format, &'static str, &'static str) {
        let (kind, format) = (self.kind(), self.format());
        TABLE
            .iter()
            .find(|(k, f, ..)| *k == kind && *f == format)
            // A unit test walks every variant through the table.
            .expect("every document is in the table")
    }

    /// `agenda.pdf`.
    pub fn file_name(self) -> &'static str {
        self.entry().2
    }

    /// `agenda.typ`: the template that renders it.
    pub fn template(self) -> &'static str {
        self.entry().3
    }

    /// "Agenda (PDF)": how a link to it reads.
    pub fn label(self) -> String {
        format!("{} ({})", self.kind().title(), self.format().label())
    }

    /// Where it goes, relative to its context's folder: `2026-12-02-review/agenda.pdf`.
    pub fn path_in_context(self) -> String {
        match self.meeting() {
            Some(m) => format!("{}/{}", m.name, self.file_name()),
            None => self.file_name().to_string(),
        }
    }

    /// Where it goes, relative to the output folder.
    pub fn path(self, c: &Context) -> String {
        format!("restricted/{}/{}", c.id, self.path_in_context())
    }
}

/// The documents of a meeting. A moved or cancelled meeting has none: it
/// is not going ahead.
pub fn of_meeting(m: &Meeting) -> Vec<Document<'_>> {
    if !m.is_active() {
        return Vec::new();
    }
    let mut docs = vec![
        Document::Agenda(m, Format::Html),
        Document::Agenda(m, Format::Pdf),
        Document::Agenda(m, Format::Docx),
    ];
    if m.is_held() {
        docs.push(Document::Minutes(m, Format::Html));
        docs.push(Document::Minutes(m, Format::Pdf));
        docs.push(Document::Minutes(m, Format::Docx));
    }
    if m.is_conference() {
        docs.push(Document::Pack(m));
    }
    docs
}

/// Every document of a context: its page, its plan, its assessment when
/// it has one, then each meeting's.
pub fn of_context(c: &Context) -> Vec<Document<'_>> {
    let mut docs = vec![
        Document::ContextPage,
        Document::Plan(Format::Html),
        Document::Plan(Format::Pdf),
        Document::Plan(Format::Docx),
    ];
    if c.assessment.is_some() {
        docs.push(Document::Assessment(Format::Html));
        docs.push(Document::Assessment(Format::Pdf));
    }
    docs.extend(c.meetings.iter().flat_map(of_meeting));
    docs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_of_the_table_is_one_kind_and_format() {
        for (i, a) in TABLE.iter().enumerate() {
            for b in &TABLE[i + 1..] {
                assert!((a.0, a.1) != (b.0, b.1), "{a:?} twice");
                assert_ne!(a.2, b.2, "file name {} twice", a.2);
            }
            let template_ext = match a.1 {
                Format::Html => ".html",
                Format::Pdf => ".typ",
                Format::Docx => ".docx",
            };
            assert!(a.3.ends_with(template_ext), "{a:?}");
        }
    }

    #[test]
    fn every_document_a_meeting_can_have_is_in_the_table() {
        use crate::model::{MeetingKind, MeetingStatus};
        use crate::rules::test_casebook::{context, meeting};
        let mut held = meeting(MeetingKind::Review, "2026-09-02", MeetingStatus::Held);
        held.name = "2026-09-02-review".into();
        let c = context(vec![held]);
        let paths: Vec<String> = of_context(&c).into_iter().map(|d| d.path(&c)).collect();
        let base = "restricted/stonehouse";
        let meeting = format!("{base}/2026-09-02-review");
        assert_eq!(
            paths,
            [
                format!("{base}/index.html"),
                format!("{base}/action-plan.html"),
                format!("{base}/action-plan.pdf"),
                format!("{base}/action-plan.docx"),
                format!("{meeting}/agenda.html"),
                format!("{meeting}/agenda.pdf"),
                format!("{meeting}/agenda.docx"),
                format!("{meeting}/minutes.html"),
                format!("{meeting}/minutes.pdf"),
                format!("{meeting}/minutes.docx"),
                format!("{meeting}/pack.pdf"),
            ]
        );
        for d in of_context(&c) {
            assert_eq!(Kind::of_file(d.file_name()), Some(d.kind()));
        }
    }

    #[test]
    fn files_name_their_kind() {
        assert_eq!(Kind::of_file("pack.pdf"), Some(Kind::Pack));
        assert_eq!(Kind::of_file("action-plan.html"), Some(Kind::Plan));
        assert_eq!(Kind::of_file("calendar.ics"), None);
        assert_eq!(Document::Plan(Format::Pdf).label(), "Action plan (PDF)");
        assert_eq!(Document::Plan(Format::Pdf).template(), "action-plan.typ");
        assert_eq!(Kind::of_file("assessment.pdf"), Some(Kind::Assessment));
        assert_eq!(
            Document::Assessment(Format::Html).label(),
            "Context assessment (HTML)"
        );
    }
}
