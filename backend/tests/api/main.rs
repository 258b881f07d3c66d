//! Integration tests against the real application and a real database.

mod admin;
mod auth;
mod campaigns;
mod faults;
mod hardening;
mod helpers;
mod mail;
mod matrix;
mod me;
mod meetings;
mod metrics;
mod open311;
mod privacy;
mod reports;
mod scale_out;
mod schema;
mod surveys;
mod teams;
