//! `index.html`: the casebook at a glance for chairs and lead practitioners.

use super::{BuildError, CasebookFile, Gate, Renderer};
use crate::Checked;
use crate::render::view::Views;

/// The dashboard, linking to `outputs` (every other file of the build,
/// relative to the output folder).
pub fn render(
    _renderer: &Renderer,
    _checked: &Checked,
    _views: &Views,
    _gate: &Gate,
    _outputs: &[&str],
) -> Result<Vec<CasebookFile>, BuildError> {
    Ok(Vec::new())
}
