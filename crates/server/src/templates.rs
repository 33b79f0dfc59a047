//! The page templates, embedded and compiled once. Autoescaping is on for `.html`: titles,
//! comments and reasons come from outside and are never trusted.

use axum::response::Html;
use minijinja::Environment;
use serde::Serialize;

use crate::auth::Viewer;
use crate::error::HttpError;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("login.html", include_str!("../templates/login.html")),
    ("overview.html", include_str!("../templates/overview.html")),
    ("rankings.html", include_str!("../templates/rankings.html")),
    ("account.html", include_str!("../templates/account.html")),
    ("finding.html", include_str!("../templates/finding.html")),
    ("runs.html", include_str!("../templates/runs.html")),
    ("diff.html", include_str!("../templates/diff.html")),
    ("precision.html", include_str!("../templates/precision.html")),
    ("users.html", include_str!("../templates/users.html")),
    ("audit.html", include_str!("../templates/audit.html")),
    ("empty.html", include_str!("../templates/empty.html")),
];

pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    pub fn new() -> Templates {
        let mut env = Environment::new();
        for (name, source) in TEMPLATES {
            env.add_template(name, source).expect("the embedded templates parse");
        }
        Templates { env }
    }

    /// Renders a page; `page` is the template's own data, `viewer` the signed-in user.
    pub fn page<T: Serialize>(
        &self,
        name: &str,
        viewer: Option<&Viewer>,
        page: &T,
    ) -> Result<Html<String>, HttpError> {
        let me = viewer.map(|v| {
            minijinja::context! {
                name => v.user.name.clone(),
                role => v.user.role.as_str(),
                role_label => v.user.role.label(),
                csrf => v.csrf.clone(),
                all => v.scope.is_all(),
            }
        });
        self.env
            .get_template(name)
            .and_then(|t| t.render(minijinja::context! { me => me, page => minijinja::value::Serde(page) }))
            .map(Html)
            .map_err(|e| {
                tracing::error!("template {name}: {e:#}");
                let mut source = std::error::Error::source(&e);
                while let Some(s) = source {
                    tracing::error!("  caused by: {s:#}");
                    source = s.source();
                }
                HttpError::Internal("页面生成失败".into())
            })
    }
}
