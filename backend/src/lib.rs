//! Wijkveilig backend: the REST API under `/api` and the host of the built web client.

/// mimalloc instead of glibc's malloc, for every binary of the backend:
/// under load glibc's allocating, freeing and consolidating of its arenas
/// took about a tenth of the machine's CPU across the server's threads.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub mod api;
pub mod auth;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod gate;
pub mod mail;
pub mod metrics;
pub mod openapi;
pub mod priority;
pub mod privacy;
pub mod ratelimit;
pub mod startup;
pub mod storage;
pub mod telemetry;
pub mod web_assets;
