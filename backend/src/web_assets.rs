//! Serving the built web client: files from trunk's `dist`, `index.html` for
//! every client route, and a Content-Security-Policy that admits exactly the
//! inline loader script trunk writes and the inlined style sheet (by hash),
//! never `'unsafe-inline'`.
//!
//! The client comes in two builds (`scripts/build.sh`): `index.html` loads the
//! participant client, which leaves the staff pages out to stay small on a
//! phone, and `staff.html` the staff client with every page. The addresses in
//! [`STAFF_PAGES`] get the staff client; the participant client turns a
//! client-side visit to one of them into a page load.

use std::path::{Path, PathBuf};

use crate::metrics::monitor::esc as escape;
use actix_web::http::header::{
    self, AcceptEncoding, ContentEncoding, Encoding, Preference, Quality,
};
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use base64::Engine;
use sha2::{Digest, Sha256};
use shared::shell::{self, Intro};
use shared::users::{Language, Role};

/// The pages only staff use, as the client's router writes them (`:id` is any
/// one segment). `frontend/src/app.rs` routes exactly these to `pages::staff`
/// (a unit test below compares the two).
pub const STAFF_PAGES: &[&str] = &[
    "/admin/users",
    "/admin/privacy",
    "/admin/categories",
    "/neighbourhoods",
    "/queue",
    "/meetings/new",
    "/actions",
    "/dashboard",
    "/surveys/new",
    "/surveys/:id/edit",
    "/surveys/:id/results",
    "/campaigns",
    "/campaigns/:id/poster",
];

/// Whether `path` is the address of a staff page.
pub fn is_staff_page(path: &str) -> bool {
    let path = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    STAFF_PAGES.iter().any(|pattern| {
        let mut wanted = pattern.split('/');
        let mut given = path.split('/');
        loop {
            match (wanted.next(), given.next()) {
                (None, None) => return true,
                (Some(w), Some(g)) if w == g || (w.starts_with(':') && !g.is_empty()) => {}
                _ => return false,
            }
        }
    })
}

pub struct WebAssets {
    pub dir: PathBuf,
    index_html: Option<String>,
    /// The staff client; without it (a build of the participant client only)
    /// staff pages get `index.html`, which says "not found" for them.
    staff_html: Option<String>,
    script_hashes: Vec<String>,
    style_hashes: Vec<String>,
}

impl WebAssets {
    pub fn load(dir: &Path) -> WebAssets {
        let index_html = std::fs::read_to_string(dir.join("index.html")).ok();
        let staff_html = std::fs::read_to_string(dir.join("staff.html")).ok();
        if index_html.is_none() {
            tracing::warn!(dir = %dir.display(), "no built web client found; serving the API only");
        } else if staff_html.is_none() {
            tracing::warn!(dir = %dir.display(), "no staff client (staff.html) found; staff pages will not load");
        }
        let hashes = |tag: &str| {
            let mut hashes: Vec<String> = [&index_html, &staff_html]
                .into_iter()
                .flatten()
                .flat_map(|html| inline_hashes(html, tag))
                .collect();
            hashes.sort_unstable();
            hashes.dedup();
            hashes
        };
        WebAssets {
            dir: dir.to_owned(),
            script_hashes: hashes("script"),
            style_hashes: hashes("style"),
            index_html,
            staff_html,
        }
    }

    pub fn has_client(&self) -> bool {
        self.index_html.is_some()
    }

    pub fn content_security_policy(&self) -> String {
        let list = |hashes: &[String]| -> String {
            hashes.iter().map(|h| format!(" 'sha256-{h}'")).collect()
        };
        let (scripts, styles) = (list(&self.script_hashes), list(&self.style_hashes));
        format!(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{scripts}; \
             style-src 'self'{styles}; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; \
             object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
        )
    }
}

/// SHA-256 (base64) of the body of every `<tag>` without `src` (`script`:
/// trunk's loader; `style`: the style sheet, inlined so that the first view
/// paints without waiting for another request).
fn inline_hashes(html: &str, tag: &str) -> Vec<String> {
    let (open, close_tag) = (format!("<{tag}"), format!("</{tag}>"));
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        rest = &rest[start..];
        let Some(tag_end) = rest.find('>') else { break };
        let tag = &rest[..tag_end];
        let body_start = tag_end + 1;
        let Some(close) = rest[body_start..].find(&close_tag) else {
            break;
        };
        let body = &rest[body_start..body_start + close];
        if !tag.contains(" src=") && !body.trim().is_empty() {
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(base64::engine::general_purpose::STANDARD.encode(digest));
        }
        rest = &rest[body_start + close..];
    }
    hashes
}

/// `index.html` for client-side routes (the SPA fallback), `staff.html` for
/// the staff pages, each with the page's first view (see [`first_view`]).
pub async fn index(assets: web::Data<WebAssets>, req: HttpRequest) -> HttpResponse {
    let staff = is_staff_page(req.path());
    let page = match &assets.staff_html {
        Some(html) if staff => Some(html),
        _ => assets.index_html.as_ref(),
    };
    match page {
        Some(html) => HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            // The first view follows the language and session cookies.
            .insert_header((header::VARY, "Cookie, Accept-Language"))
            .body(with_first_view(html, &req, staff)),
        None => HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("The web client is not built. Run scripts/run.sh, or build it with trunk."),
    }
}

/// `html` with the first view of the page `req` asks for, in the language
/// the client will show: before `</body>`, and the language on `<html>`.
fn with_first_view(html: &str, req: &HttpRequest, staff: bool) -> String {
    let cookie = |name: &str| req.cookie(name).map(|c| c.value().to_owned());
    let browser = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split([',', ';']).next())
        .unwrap_or("");
    let lang = shell::language(cookie(shell::LANGUAGE_COOKIE).as_deref(), browser);
    let marker = cookie(crate::auth::session::MARKER_COOKIE).filter(|m| !m.is_empty());
    let view = match marker {
        None => Shell::Guest,
        Some(marker) => Shell::LoggedIn(Role::parse(&marker)),
    };
    let html = html.replacen(
        "<html lang=\"nl\">",
        &format!("<html lang=\"{}\">", lang.as_str()),
        1,
    );
    html.replacen(
        "</body>",
        &format!("{}</body>", first_view(req.path(), lang, view, staff)),
        1,
    )
}

/// Whose first view: the menu differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shell {
    Guest,
    /// A session cookie came along, with the role it was set for; none
    /// when it holds something else (a cookie from before it held the role).
    LoggedIn(Option<Role>),
}

/// The first view of `path`: the header, the menu, and what the page shows
/// at the top before it has loaded anything (`shared::shell`), so that a
/// phone on a slow network shows the page at once instead of a blank screen
/// until the client has arrived. The client draws the same texts and removes
/// this when its page is ready (`frontend/src/app.rs`). Every link works
/// without the client; there is no button, since nothing would answer it.
///
/// The menu is the role's, as the client draws it, and with the "logged in
/// as" line under it, so that nothing moves when the client takes over. A
/// session of an unknown role gets the participant's menu on the
/// participant's pages (the common case) and no menu on the staff pages.
fn first_view(path: &str, lang: Language, view: Shell, staff: bool) -> String {
    let t = shell::texts(lang);
    let mut out = String::with_capacity(1024);
    out.push_str(
        "<div id=\"shell\"><header class=\"site-header\"><div class=\"bar\">\
         <a href=\"/\" class=\"brand\"><span class=\"logo\" aria-hidden=\"true\">WV</span>\
         <span>Wijkveilig</span></a></div>",
    );
    let (menu, role) = match view {
        Shell::Guest if staff => (Vec::new(), None),
        Shell::Guest => (shell::menu(t, None), None),
        Shell::LoggedIn(Some(role)) => (shell::menu(t, Some(role)), Some(role)),
        Shell::LoggedIn(None) if staff => (Vec::new(), None),
        Shell::LoggedIn(None) => (shell::menu(t, Some(Role::Participant)), None),
    };
    if !menu.is_empty() {
        out.push_str(&format!("<nav aria-label=\"{}\"><ul>", escape(t.nav_label)));
        for (href, label) in &menu {
            let current = if *href == path {
                " aria-current=\"page\""
            } else {
                ""
            };
            out.push_str(&format!(
                "<li><a href=\"{href}\"{current}>{}</a></li>",
                escape(label)
            ));
        }
        out.push_str("</ul>");
        if let Some(role) = role {
            out.push_str(&format!(
                "<p class=\"role-badge\">{} <strong>{}</strong></p>",
                escape(t.logged_in_as),
                escape(shell::role_name(lang, role))
            ));
        }
        out.push_str("</nav>");
    }
    out.push_str("</header><main>");
    match shell::intro(t, path) {
        Intro::Home => out.push_str(&format!(
            "<section class=\"hero\"><h1>{}</h1><p class=\"tagline\">{}</p>\
             <p class=\"lead\">{}</p></section>",
            escape(t.home_title),
            escape(t.app_tagline),
            escape(t.home_lead)
        )),
        Intro::Titled { title, lead } => {
            out.push_str(&format!("<h1>{}</h1>", escape(title)));
            if let Some(lead) = lead {
                out.push_str(&format!("<p class=\"lead\">{}</p>", escape(lead)));
            }
        }
        Intro::Unknown => {}
    }
    out.push_str(&format!(
        "<p class=\"shell-loading\" role=\"status\">{}</p></main></div>",
        escape(t.loading)
    ));
    out
}

/// A built asset in the best encoding the client accepts: the build stores
/// `name.br` (brotli at its highest quality) and `name.gz` beside each file,
/// which is smaller than what the server could compress on the fly (the WASM:
/// 472 KB instead of 612 KB) and costs no CPU per request. Without a
/// precompressed variant the file goes out as is (and the Compress middleware
/// may compress it); a name that is not a plain file name of the client is
/// left to the static file service.
pub async fn precompressed(
    assets: web::Data<WebAssets>,
    req: HttpRequest,
    name: web::Path<String>,
) -> actix_web::Result<HttpResponse> {
    use actix_files::NamedFile;

    let name = name.into_inner();
    let plain = !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if !plain {
        return Ok(index(assets, req).await);
    }
    // An unreadable header counts as none: the file goes out as it is.
    let accepted = req.get_header::<AcceptEncoding>();
    let wanted: Vec<(&str, ContentEncoding)> = [
        ("br", ContentEncoding::Brotli),
        ("gz", ContentEncoding::Gzip),
    ]
    .into_iter()
    .filter(|(_, encoding)| accepted.as_ref().is_some_and(|a| accepts(a, *encoding)))
    .collect();
    // Which file to send, looked up on the blocking pool (file system calls).
    let dir = assets.dir.clone();
    let chosen = web::block(move || {
        let original = dir.join(&name);
        if !original.is_file() {
            return None;
        }
        let variant = wanted.into_iter().find_map(|(suffix, encoding)| {
            let path = dir.join(format!("{name}.{suffix}"));
            path.is_file().then_some((path, encoding))
        });
        Some((original, variant))
    })
    .await?;
    let Some((original, variant)) = chosen else {
        return Ok(index(assets, req).await);
    };
    let Some((path, encoding)) = variant else {
        return Ok(NamedFile::open_async(&original)
            .await?
            .disable_content_disposition()
            .into_response(&req));
    };
    let mime = actix_files::file_extension_to_mime(
        original.extension().and_then(|e| e.to_str()).unwrap_or(""),
    );
    let mut res = NamedFile::open_async(&path)
        .await?
        .set_content_type(mime)
        .set_content_encoding(encoding)
        .disable_content_disposition()
        .into_response(&req);
    res.headers_mut().insert(
        header::VARY,
        header::HeaderValue::from_static("accept-encoding"),
    );
    Ok(res)
}

/// Whether the client's `Accept-Encoding` allows `encoding`: named with a
/// weight above zero, or else covered by `*` with one (RFC 9110, 12.5.3).
/// `br;q=0` is a refusal, not an offer.
fn accepts(accepted: &AcceptEncoding, encoding: ContentEncoding) -> bool {
    let weight = |wanted: Preference<Encoding>| {
        accepted
            .iter()
            .find(|item| item.item == wanted)
            .map(|item| item.quality > Quality::ZERO)
    };
    weight(Preference::Specific(Encoding::Known(encoding)))
        .or_else(|| weight(Preference::Any))
        .unwrap_or(false)
}

/// Trunk puts a content hash in asset names (`frontend-3f2a...wasm`): those
/// never change and may be cached for a year; anything else is revalidated.
pub fn cache_control_for(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or("");
    let stem = name.split('.').next().unwrap_or("");
    // wasm-bindgen names the module `{name}-{hash}_bg.wasm`.
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    let hashed = stem
        .rsplit_once('-')
        .is_some_and(|(_, h)| h.len() >= 16 && h.chars().all(|c| c.is_ascii_hexdigit()));
    if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_accept_encoding_weights() {
        let accepts_lines = |lines: &[&str], coding: &str| {
            let mut req = actix_web::test::TestRequest::default();
            for line in lines {
                req = req.append_header((header::ACCEPT_ENCODING, *line));
            }
            let req = req.to_http_request();
            let coding = coding.parse().unwrap();
            req.get_header::<AcceptEncoding>()
                .is_some_and(|a| super::accepts(&a, coding))
        };
        let accepts = |header: &str, coding| accepts_lines(&[header], coding);
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip;q=1.0, BR;q=0.5", "br"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(!accepts("br;q=0.000, *", "br"));
        assert!(!accepts("gzip", "br"));
        assert!(accepts("*", "gzip"));
        assert!(!accepts("*;q=0", "gzip"));
        assert!(!accepts("", "gzip"));
        // Two header lines count as one list.
        assert!(accepts_lines(&["gzip", "br"], "br"));
    }

    #[test]
    fn hashes_only_inline_scripts_and_styles() {
        let html = r#"<html><style>p { color: red }</style><script src="/a.js"></script><script type="module">boot()</script></html>"#;
        let hash =
            |body: &[u8]| base64::engine::general_purpose::STANDARD.encode(Sha256::digest(body));
        assert_eq!(inline_hashes(html, "script"), [hash(b"boot()")]);
        assert_eq!(inline_hashes(html, "style"), [hash(b"p { color: red }")]);
    }

    #[test]
    fn knows_the_staff_pages() {
        for path in [
            "/dashboard",
            "/dashboard/",
            "/admin/users",
            "/surveys/12/edit",
            "/surveys/new",
            "/campaigns/3/poster",
        ] {
            assert!(is_staff_page(path), "{path}");
        }
        for path in [
            "/",
            "",
            "/surveys",
            "/surveys/12",
            "/surveys//edit",
            "/surveys/12/edit/x",
            "/admin",
            "/reports/new",
            "/dashboards",
            "/meetings/7",
        ] {
            assert!(!is_staff_page(path), "{path}");
        }
    }

    /// The server's list and the client's router name the same staff pages:
    /// every route to `pages::staff` is in `STAFF_PAGES`, and no other route
    /// is a staff page.
    #[test]
    fn staff_pages_match_the_client_router() {
        let app = include_str!("../../frontend/src/app.rs");
        let routes: Vec<(&str, bool)> = app
            .lines()
            .filter_map(|line| {
                let start = line.find("<Route path=path!(\"")? + 19;
                let len = line[start..].find('"')?;
                Some((
                    &line[start..start + len],
                    line.contains("view=pages::staff::"),
                ))
            })
            .collect();
        assert!(
            routes.len() > STAFF_PAGES.len(),
            "read the routes of app.rs"
        );
        let mut routed: Vec<&str> = routes.iter().filter(|r| r.1).map(|r| r.0).collect();
        let mut listed = STAFF_PAGES.to_vec();
        routed.sort_unstable();
        listed.sort_unstable();
        assert_eq!(routed, listed);
        for (path, _) in routes.iter().filter(|r| !r.1) {
            let concrete = path.replace(":id", "7");
            assert!(!is_staff_page(&concrete), "{path} is not a staff page");
        }
    }

    #[test]
    fn hashed_asset_names_are_immutable() {
        assert_eq!(
            cache_control_for("/frontend-0123456789abcdef.wasm"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(
            cache_control_for("/frontend-0123456789abcdef_bg.wasm"),
            "public, max-age=31536000, immutable"
        );
        assert_eq!(cache_control_for("/index.html"), "no-cache");
        assert_eq!(cache_control_for("/app-icon.svg"), "no-cache");
    }
}
