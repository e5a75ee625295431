//! The embedded fonts and their advance widths.

use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

pub(crate) static REGULAR: &[u8] = include_bytes!("../fonts/LiberationSerif-Regular.ttf");
pub(crate) static BOLD: &[u8] = include_bytes!("../fonts/LiberationSerif-Bold.ttf");
pub(crate) static ITALIC: &[u8] = include_bytes!("../fonts/LiberationSerif-Italic.ttf");

/// Which of the three faces a run uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Face {
    Regular,
    Bold,
    Italic,
}

impl Face {
    pub fn of(bold: bool, italic: bool) -> Self {
        match (bold, italic) {
            (true, _) => Self::Bold,
            (false, true) => Self::Italic,
            _ => Self::Regular,
        }
    }

    pub(crate) fn bytes(self) -> &'static [u8] {
        match self {
            Self::Regular => REGULAR,
            Self::Bold => BOLD,
            Self::Italic => ITALIC,
        }
    }
}

/// Width of `text` in points at `size`, from the font's horizontal advances (no kerning: the
/// lines are broken a little conservatively).
pub(crate) fn width(face: Face, size: f32, text: &str) -> f32 {
    let Ok(font) = FontRef::new(face.bytes()) else { return 0.0 };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars().map(|c| metrics.advance_width(charmap.map(c).unwrap_or_default()).unwrap_or(0.0)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_letters_have_glyphs_and_widths() {
        let font = FontRef::new(REGULAR).unwrap();
        let charmap = font.charmap();
        for c in "ĂÂĐÊÔƠƯăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ".chars()
        {
            assert!(charmap.map(c).is_some(), "no glyph for {c}");
        }
        let w = width(Face::Regular, 12.0, "Hồ sơ");
        assert!(w > 20.0 && w < 40.0, "{w}");
        assert!(width(Face::Bold, 12.0, "Hồ sơ") > w);
    }
}
