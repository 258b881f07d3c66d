//! Wijkveilig web client: Leptos, rendered in the browser.
//!
//! Built twice: the participant client (default) leaves the staff pages out,
//! the staff client (`--features staff`) has every page. The server sends
//! the staff client for the staff pages' addresses (`STAFF_PAGES` in
//! `backend/src/web_assets.rs`).

mod api;
mod app;
mod components;
mod i18n;
mod pages;
mod time;

use std::sync::OnceLock;

static FIRST_PATH: OnceLock<String> = OnceLock::new();

/// The path this client was loaded at.
pub fn first_path() -> Option<&'static str> {
    FIRST_PATH.get().map(String::as_str)
}

fn main() {
    // Which client runs, for the browser tests and anyone debugging a page.
    let client = if cfg!(feature = "staff") {
        "staff"
    } else {
        "participant"
    };
    if let Some(html) = leptos::prelude::document().document_element() {
        let _ = html.set_attribute("data-client", client);
    }
    if let Ok(path) = leptos::prelude::window().location().pathname() {
        api::prefetch(pages::public_reads(&path));
        let _ = FIRST_PATH.set(path);
    }
    leptos::mount::mount_to_body(app::App);
}
