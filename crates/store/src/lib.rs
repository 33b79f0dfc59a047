//! Persistence of surveys: SQLite with versioned migrations; the only place that writes SQL
