//! Rules that are neither HTTP nor SQL.

pub mod working_days;
