//! One module per subcommand.

pub mod ai;
pub mod classify;
pub mod evaluate;
pub mod fetch_pages;
pub mod framework;
pub mod generate;
pub mod import;
pub mod list;
pub mod measure;
pub mod monitor;
pub mod report;
pub mod runs;
pub mod serve;
pub mod stats;
pub mod survey;
pub mod worker;
