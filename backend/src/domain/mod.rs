//! Rules that are neither HTTP nor SQL.

pub mod photos;
pub mod survey_results;
pub mod working_days;
