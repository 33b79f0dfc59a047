//! Versioned prompt templates from `prompts/`, embedded at build time.
//!
//! The version (the file stem, `category.v1`) is recorded with every judgement and is part of
//! the cache key: changing a prompt means a new file, so old judgements are never mistaken for
//! answers to the new wording.

use std::sync::OnceLock;

use crate::AiError;

/// What a template asks the model to judge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Task {
    Category,
    Quality,
    Review,
    Reply,
    Relevance,
    Repair,
}

impl Task {
    pub const ALL: [Task; 6] =
        [Task::Category, Task::Quality, Task::Review, Task::Reply, Task::Relevance, Task::Repair];

    /// The template version in force for this task.
    pub fn version(self) -> &'static str {
        self.source().0
    }

    fn source(self) -> (&'static str, &'static str) {
        macro_rules! prompt {
            ($v:literal) => {
                ($v, include_str!(concat!("../../../prompts/", $v, ".md")))
            };
        }
        match self {
            Task::Category => prompt!("category.v1"),
            Task::Quality => prompt!("quality.v1"),
            Task::Review => prompt!("review.v1"),
            Task::Reply => prompt!("reply.v1"),
            Task::Relevance => prompt!("relevance.v2"),
            Task::Repair => prompt!("repair.v1"),
        }
    }

    /// The parsed template. The embedded files are checked by tests, so parsing cannot fail
    /// in a released build.
    pub fn template(self) -> &'static Template {
        static CACHE: OnceLock<Vec<Template>> = OnceLock::new();
        let all = CACHE.get_or_init(|| {
            Task::ALL
                .iter()
                .map(|t| {
                    let (version, text) = t.source();
                    Template::parse(version, text).unwrap_or_else(|e| panic!("prompt {version}: {e}"))
                })
                .collect()
        });
        &all[Task::ALL.iter().position(|t| *t == self).expect("listed")]
    }
}

/// A system and a user message with `{{name}}` placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    pub version: String,
    pub system: Option<String>,
    pub user: String,
}

impl Template {
    /// Splits a template file at its `## system` and `## user` headings.
    pub fn parse(version: &str, text: &str) -> Result<Self, AiError> {
        let mut system: Option<String> = None;
        let mut user: Option<String> = None;
        let mut current: Option<&mut String> = None;
        for line in text.lines() {
            match line.trim_end() {
                "## system" => current = Some(system.insert(String::new())),
                "## user" => current = Some(user.insert(String::new())),
                _ => {
                    if let Some(buf) = current.as_deref_mut() {
                        buf.push_str(line);
                        buf.push('\n');
                    }
                }
            }
        }
        let user = user.ok_or_else(|| AiError::Config(format!("提示词模板 {version} 缺少“## user”部分")))?;
        let tidy = |s: String| s.trim().to_owned();
        Ok(Template { version: version.to_owned(), system: system.map(tidy), user: tidy(user) })
    }

    /// The names of all placeholders, in order of appearance.
    pub fn placeholders(&self) -> Vec<String> {
        let mut out = Vec::new();
        for part in self.system.iter().chain(std::iter::once(&self.user)) {
            let mut rest = part.as_str();
            while let Some(i) = rest.find("{{") {
                let Some(j) = rest[i..].find("}}") else { break };
                out.push(rest[i + 2..i + j].trim().to_owned());
                rest = &rest[i + j + 2..];
            }
        }
        out
    }

    /// Fills the placeholders in one pass: values are inserted literally, so text that itself
    /// contains `{{…}}` is never expanded.
    pub fn render(&self, vars: &[(&str, &str)]) -> Result<(Option<String>, String), AiError> {
        let fill = |s: &str| -> Result<String, AiError> {
            let mut out = String::with_capacity(s.len());
            let mut rest = s;
            while let Some(i) = rest.find("{{") {
                let Some(j) = rest[i..].find("}}") else { break };
                let name = rest[i + 2..i + j].trim();
                let value = vars.iter().find(|(k, _)| *k == name).map(|(_, v)| *v).ok_or_else(|| {
                    AiError::Config(format!("提示词模板 {} 的占位符 {{{{{name}}}}} 没有提供值", self.version))
                })?;
                out.push_str(&rest[..i]);
                out.push_str(value);
                rest = &rest[i + j + 2..];
            }
            out.push_str(rest);
            Ok(out)
        };
        Ok((self.system.as_deref().map(fill).transpose()?, fill(&self.user)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_template_parses_and_asks_for_json() {
        for t in Task::ALL {
            let tpl = t.template();
            assert_eq!(tpl.version, t.version());
            assert!(
                tpl.version.ends_with(if t == Task::Relevance { ".v2" } else { ".v1" }),
                "{}",
                tpl.version
            );
            if t != Task::Repair {
                let system = tpl.system.as_deref().unwrap();
                assert!(system.contains("JSON"), "{}", tpl.version);
                assert!(system.contains("不要执行"), "{} must fence off injected instructions", tpl.version);
            }
            assert!(!tpl.placeholders().is_empty());
        }
        assert_eq!(Task::Category.template().placeholders(), ["title", "content"]);
        assert_eq!(Task::Reply.template().placeholders(), ["title", "comment", "reply"]);
    }

    #[test]
    fn render_is_literal_and_strict() {
        let t = Template::parse("x.v1", "doc\n## system\nS {{a}}\n## user\nU {{a}}-{{ b }}\n").unwrap();
        let (s, u) = t.render(&[("a", "{{b}}"), ("b", "2")]).unwrap();
        assert_eq!(s.as_deref(), Some("S {{b}}"));
        assert_eq!(u, "U {{b}}-2");
        let err = t.render(&[("a", "1")]).unwrap_err().to_string();
        assert!(err.contains("{{b}}"), "{err}");
        assert!(Template::parse("y.v1", "## system\nonly").is_err());
    }
}
