//! Errors. What a user reads is Chinese; a configuration error names the file, the line and
//! the key, so a supervising office's administrator can fix the file without reading code.

use std::ops::Range;

/// A rules or sinks file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("{origin}: 无法读取配置文件：{message}")]
    Io { origin: String, message: String },
    #[error("{origin}:{line}: {message}")]
    Syntax { origin: String, line: usize, message: String },
    #[error("{origin}:{line}: {key}: {message}")]
    Invalid { origin: String, line: usize, key: String, message: String },
}

/// Builds [`ConfigError`]s for one file: turns byte spans into line numbers.
pub(crate) struct Origin<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

impl Origin<'_> {
    pub fn line_of(&self, offset: usize) -> usize {
        self.text.as_bytes()[..offset.min(self.text.len())].iter().filter(|b| **b == b'\n').count() + 1
    }

    pub fn invalid(&self, span: Range<usize>, key: &str, message: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            origin: self.name.to_owned(),
            line: self.line_of(span.start),
            key: key.to_owned(),
            message: message.into(),
        }
    }

    /// Parses TOML, reporting a syntax or type error with its line (unknown keys included:
    /// the file structs deny them, so a misspelt key does not silently do nothing).
    pub fn parse<T: serde::de::DeserializeOwned>(&self) -> Result<T, ConfigError> {
        toml::from_str(self.text).map_err(|e| ConfigError::Syntax {
            origin: self.name.to_owned(),
            line: e.span().map_or(1, |s| self.line_of(s.start)),
            message: e.message().trim().to_owned(),
        })
    }

    pub fn read(path: &std::path::Path) -> Result<String, ConfigError> {
        std::fs::read_to_string(path)
            .map_err(|e| ConfigError::Io { origin: path.display().to_string(), message: e.to_string() })
    }
}

/// The alert store could not be read or written.
#[derive(Debug, thiserror::Error)]
#[error("告警数据库“{location}”出错：{message}")]
pub struct StoreError {
    pub location: String,
    pub message: String,
}

/// One delivery attempt failed: the platform's answer or the transport's error, in Chinese.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SinkError(pub String);
