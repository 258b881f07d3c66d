//! Rules that are neither HTTP nor SQL.

pub mod photos;
pub mod working_days;
