//! Wijkveilig web client: Leptos, rendered in the browser.

mod api;
mod app;
mod components;
mod i18n;
mod pages;
mod time;

fn main() {
    leptos::mount::mount_to_body(app::App);
}
