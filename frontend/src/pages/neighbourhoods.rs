use leptos::prelude::*;
use shared::neighbourhoods::Neighbourhood;

use crate::api;
use crate::components::fetch;

/// The neighbourhood list (public).
pub const NEIGHBOURHOODS: &str = "/api/neighbourhoods";

/// Loads the neighbourhood list once per page.
pub fn load_neighbourhoods() -> ReadSignal<Option<Vec<Neighbourhood>>> {
    fetch(|| async {
        api::get::<Vec<Neighbourhood>>(NEIGHBOURHOODS)
            .await
            .unwrap_or_default()
    })
}
