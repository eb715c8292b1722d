//! The fonts of the PDFs: found on the system, read once, passed to typst as bytes.

use std::path::{Path, PathBuf};

use typst::foundations::Bytes;
use typst::text::Font;

use crate::PdfError;

/// The Debian/Ubuntu package that provides the fonts.
pub const FONT_PACKAGE: &str = "fonts-noto-cjk";

/// File names of Noto Sans CJK regular (required): the collection Debian ships, or the
/// Simplified-Chinese OpenType files other distributions and Google ship.
const SANS: &[&str] = &[
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "NotoSansSC-Regular.otf",
];

/// Optional faces: bold and the serif body face.
const OPTIONAL: &[&[&str]] = &[
    &[
        "NotoSansCJK-Bold.ttc",
        "NotoSansCJKsc-Bold.otf",
        "NotoSansSC-Bold.otf",
    ],
    &[
        "NotoSerifCJK-Regular.ttc",
        "NotoSerifCJKsc-Regular.otf",
        "NotoSerifSC-Regular.otf",
    ],
    &[
        "NotoSerifCJK-Bold.ttc",
        "NotoSerifCJKsc-Bold.otf",
        "NotoSerifSC-Bold.otf",
    ],
];

/// The fonts a PDF is set in, loaded once and shared by every document.
#[derive(Debug, Clone)]
pub struct Fonts {
    faces: Vec<Font>,
    files: Vec<PathBuf>,
}

impl Fonts {
    /// The folders searched by [`Fonts::system`]: those in `JIXIAO_FONT_DIR` (`:`-separated)
    /// when it is set — and then only those —, else `/usr/share/fonts`,
    /// `/usr/local/share/fonts`, `~/.local/share/fonts`, `~/.fonts`.
    pub fn search_dirs() -> Vec<PathBuf> {
        if let Some(v) = std::env::var_os("JIXIAO_FONT_DIR") {
            return std::env::split_paths(&v).collect();
        }
        let mut dirs: Vec<PathBuf> = Vec::new();
        dirs.push("/usr/share/fonts".into());
        dirs.push("/usr/local/share/fonts".into());
        if let Some(home) = std::env::var_os("HOME") {
            let home = PathBuf::from(home);
            dirs.push(home.join(".local/share/fonts"));
            dirs.push(home.join(".fonts"));
        }
        dirs
    }

    /// Noto Sans CJK (required) and its bold, Noto Serif CJK and its bold (when installed),
    /// found in [`Fonts::search_dirs`].
    pub fn system() -> Result<Fonts, PdfError> {
        Fonts::find_in(&Fonts::search_dirs())
    }

    /// Like [`Fonts::system`], in the given folders (searched recursively).
    pub fn find_in(dirs: &[PathBuf]) -> Result<Fonts, PdfError> {
        let mut found: Vec<PathBuf> = Vec::new();
        for d in dirs {
            walk(d, 0, &mut found);
        }
        let pick = |names: &[&str]| -> Option<PathBuf> {
            names
                .iter()
                .find_map(|n| {
                    found
                        .iter()
                        .find(|p| p.file_name().is_some_and(|f| f == *n))
                })
                .cloned()
        };
        let Some(sans) = pick(SANS) else {
            return Err(PdfError::FontMissing {
                package: FONT_PACKAGE,
                searched: dirs
                    .iter()
                    .map(|d| d.display().to_string())
                    .collect::<Vec<_>>()
                    .join(":"),
            });
        };
        let mut files = vec![sans];
        files.extend(OPTIONAL.iter().filter_map(|names| pick(names)));
        let mut data = Vec::with_capacity(files.len());
        for f in &files {
            let bytes = std::fs::read(f).map_err(|e| PdfError::Font {
                path: f.display().to_string(),
                reason: e.to_string(),
            })?;
            data.push(bytes);
        }
        let mut fonts = Fonts::from_bytes(data)?;
        fonts.files = files;
        Ok(fonts)
    }

    /// Fonts from the bytes of font files (TrueType/OpenType, or collections). A file that
    /// holds no font is [`PdfError::Font`]; none that sets Chinese is [`PdfError::FontMissing`].
    pub fn from_bytes(files: Vec<Vec<u8>>) -> Result<Fonts, PdfError> {
        let mut faces = Vec::new();
        for (k, data) in files.into_iter().enumerate() {
            let before = faces.len();
            faces.extend(Font::iter(Bytes::new(data)));
            if faces.len() == before {
                return Err(PdfError::Font {
                    path: format!("#{}", k + 1),
                    reason: "不是字体文件 / not a font file".into(),
                });
            }
        }
        // 中 — a font that cannot set it cannot set the forms.
        if !faces
            .iter()
            .any(|f| f.info().coverage.contains('中' as u32))
        {
            return Err(PdfError::FontMissing {
                package: FONT_PACKAGE,
                searched: "（给定的字体 / the fonts given）".into(),
            });
        }
        Ok(Fonts {
            faces,
            files: Vec::new(),
        })
    }

    /// The font files read (empty for [`Fonts::from_bytes`]).
    pub fn files(&self) -> &[PathBuf] {
        &self.files
    }

    pub(crate) fn faces(&self) -> Vec<Font> {
        self.faces.clone()
    }
}

/// Collects font files under `dir` (not following symbolic links to folders; 8 levels deep).
fn walk(dir: &Path, depth: u32, out: &mut Vec<PathBuf>) {
    if depth > 8 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let Ok(t) = e.file_type() else { continue };
        let p = e.path();
        if t.is_dir() {
            walk(&p, depth + 1, out);
        } else if p
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| matches!(x.to_ascii_lowercase().as_str(), "ttc" | "otf" | "ttf"))
        {
            out.push(p);
        }
    }
}
