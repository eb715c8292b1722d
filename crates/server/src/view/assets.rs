//! 静态资源 — the stylesheet and icon, embedded in the binary and served under a name that
//! carries a hash of their content (`/assets/app.3f2a….css`), so a browser may keep them for
//! a year and a new build is fetched at once. Nothing is loaded from elsewhere.

use std::sync::LazyLock;

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

struct Asset {
    /// The name templates ask for (`app.css`).
    name: &'static str,
    /// The address it is served at, with its hash.
    url: String,
    mime: &'static str,
    bytes: &'static [u8],
}

const FILES: [(&str, &str, &[u8]); 3] = [
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/app.css"),
    ),
    (
        "editor.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/editor.js"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../../assets/favicon.svg"),
    ),
];

/// FNV-1a, 64 bits: enough to tell one build's file from another's (not a security hash).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(name, mime, bytes)| {
            let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
            Asset {
                name,
                url: format!("/assets/{stem}.{:016x}.{ext}", fnv1a(bytes)),
                mime,
                bytes,
            }
        })
        .collect()
});

/// The address of an embedded file by its name (`app.css`); an unknown name gives an
/// address that answers 404.
pub(crate) fn url(name: &str) -> &'static str {
    ASSETS
        .iter()
        .find(|a| a.name == name)
        .map_or("/assets/missing", |a| a.url.as_str())
}

/// `GET /assets/{file}`: the file when the name and hash match, else 404.
pub(crate) async fn serve(Path(file): Path<String>) -> Response {
    let wanted = format!("/assets/{file}");
    match ASSETS.iter().find(|a| a.url == wanted) {
        Some(a) => {
            let mut r = a.bytes.into_response();
            let h = r.headers_mut();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(a.mime));
            h.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
            r
        }
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_carry_the_content_hash() {
        let css = url("app.css");
        assert!(
            css.starts_with("/assets/app.") && css.ends_with(".css"),
            "{css}"
        );
        assert_eq!(css.len(), "/assets/app.".len() + 16 + ".css".len());
        assert_eq!(url("nothing.js"), "/assets/missing");
    }
}
