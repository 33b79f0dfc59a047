//! The survey report and per-account diagnoses: HTML, PDF, Excel, charts
