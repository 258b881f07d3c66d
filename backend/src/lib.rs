//! Wijkveilig backend: the REST API under `/api` and the host of the built web client.

pub mod api;
pub mod auth;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod mail;
pub mod metrics;
pub mod openapi;
pub mod privacy;
pub mod ratelimit;
pub mod startup;
pub mod storage;
pub mod telemetry;
pub mod web_assets;
