//! The authorisation table: every route × role × object, with the status each answer must
//! have, run against both backends (SQLite always, PostgreSQL when `GOVMEDIA_TEST_PG` names a
//! server). The bundled sample is imported and evaluated once per backend; four users (one per
//! role) then call every page, download and API route through the router itself (no socket).
//!
//! The objects are accounts as the Guangdong operator and supervisor see them: the operator's
//! own account, another Guangdong account (in the supervisor's region), one outside Guangdong
//! and a ministry account without a region. Out-of-scope objects answer 404 (as a missing one
//! does), role-forbidden actions 403. Beside the statuses, every answer an operator or a
//! supervisor receives is searched for the ids and names of the accounts they may not see, and
//! the list routes (rankings, CSV, overview, diff, precision, pending re-checks) are compared
//! with the accounts each role should see. The same routes are then called with the other
//! kind of credential (API token on pages, session on the API), without any or with the wrong
//! kind (303 to the login page, 401), and every POST of a session without its CSRF token (403).

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use govmedia_model::results::Results;
use govmedia_pipeline::{EvaluateOptions, NoProgress, StoreSpec};
use govmedia_server::{App, Pool};
use govmedia_store_api::Role;
use tower::ServiceExt;

const PASSWORD: &str = "correct-horse-battery";

/// 佛山政府网 (440600): the operator's own account.
const OWN: &str = "gh_fd69e59caf0b";
/// 广东税务 (440000): in the supervisor's region, not the operator's.
const REGION: &str = "gh_8c24cf02da8b";
/// 首都之窗 (110000): outside Guangdong.
const OTHER: &str = "gh_e6a34ed6e03d";
/// 审计署: a ministry account, no region at all.
const NATIONAL: &str = "gh_25b1e7b757fb";
/// No such account.
const MISSING: &str = "gh_000000000000";

/// What a route is called about.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Obj {
    /// No account in the path: the survey, as far as the caller may see it.
    Survey,
    Own,
    Region,
    Other,
    National,
    Missing,
}
use Obj::*;

impl Obj {
    fn id(self) -> &'static str {
        match self {
            Survey => "",
            Own => OWN,
            Region => REGION,
            Other => OTHER,
            National => NATIONAL,
            Missing => MISSING,
        }
    }
}

/// The roles in the order of the table's status columns.
const ROLES: [Role; 4] = [Role::Admin, Role::Evaluator, Role::Supervisor, Role::Operator];

// Request bodies. `{fp}` is the object's first finding's fingerprint, `{role}` the caller's
// role; page forms get the session's `csrf` field added, API bodies are JSON.
const NONE: &str = "";
const CONFIRM: &str = "fingerprint={fp}&decision=confirmed";
const DISMISS: &str = "fingerprint={fp}&decision=dismissed&reason=%E8%AF%AF%E6%8A%A5";
const FIX: &str = "fingerprint={fp}&decision=fixed&reason=";
const NEW_USER: &str =
    "name=new-{role}&role=operator&accounts=gh_fd69e59caf0b&password=correct-horse-battery";
const API_CONFIRM: &str = r#"{"fingerprint": "{fp}", "decision": "confirmed"}"#;
const API_DISMISS: &str = r#"{"fingerprint": "{fp}", "decision": "dismissed", "reason": "误报"}"#;
const API_FIX: &str = r#"{"fingerprint": "{fp}", "decision": "fixed"}"#;

/// One row: method, route (`{id}` is the object's account id, `{run}` the evaluated run),
/// object, body, and the expected status for admin, evaluator, supervisor and operator. Pages
/// answer a successful form with 303 (to a page other than the login page).
type Row = (&'static str, &'static str, Obj, &'static str, [u16; 4]);

#[rustfmt::skip]
const TABLE: &[Row] = &[
    // method route                                               object    body          admin eval  super oper
    // Public: the login page, the front-end files and the API's description.
    ("GET",  "/login",                                            Survey,   NONE,         [200, 200, 200, 200]),
    ("GET",  "/assets/app.js",                                    Survey,   NONE,         [200, 200, 200, 200]),
    // Pages that list the survey: everyone, filtered to their scope (contents checked below).
    ("GET",  "/",                                                 Survey,   NONE,         [200, 200, 200, 200]),
    ("GET",  "/rankings",                                         Survey,   NONE,         [200, 200, 200, 200]),
    ("GET",  "/rankings?format=csv",                              Survey,   NONE,         [200, 200, 200, 200]),
    ("GET",  "/rankings?format=xlsx",                             Survey,   NONE,         [200, 200, 200, 200]),
    ("GET",  "/runs",                                             Survey,   NONE,         [200, 200, 200, 200]),
    ("GET",  "/runs/diff?from={run}&to={run}",                    Survey,   NONE,         [200, 200, 200, 200]),
    // Reviewers' precision: not for operators; users and audit: admins only.
    ("GET",  "/precision",                                        Survey,   NONE,         [200, 200, 200, 403]),
    ("GET",  "/admin/users",                                      Survey,   NONE,         [200, 403, 403, 403]),
    ("GET",  "/admin/audit",                                      Survey,   NONE,         [200, 403, 403, 403]),
    // The survey report covers every account: only those who see every account.
    ("GET",  "/report/report.html",                               Survey,   NONE,         [200, 200, 403, 403]),
    ("GET",  "/report/report.xlsx",                               Survey,   NONE,         [200, 200, 403, 403]),
    ("POST", "/runs",                                             Survey,   NONE,         [303, 303, 403, 403]),
    ("POST", "/admin/users",                                      Survey,   NEW_USER,     [303, 403, 403, 403]),
    ("POST", "/admin/users/authz-spare/state",                    Survey,   "disabled=true", [303, 403, 403, 403]),
    ("POST", "/admin/users/authz-spare/password",                 Survey,   "password=another-long-password", [303, 403, 403, 403]),
    ("POST", "/admin/users/nobody/state",                         Survey,   "disabled=true", [404, 403, 403, 403]),
    // The account page and its diagnosis: own for everyone, in-region for the supervisor too.
    ("GET",  "/accounts/{id}",                                    Own,      NONE,         [200, 200, 200, 200]),
    ("GET",  "/accounts/{id}",                                    Region,   NONE,         [200, 200, 200, 404]),
    ("GET",  "/accounts/{id}",                                    Other,    NONE,         [200, 200, 404, 404]),
    ("GET",  "/accounts/{id}",                                    National, NONE,         [200, 200, 404, 404]),
    ("GET",  "/accounts/{id}",                                    Missing,  NONE,         [404, 404, 404, 404]),
    ("GET",  "/accounts/{id}/diagnosis/diagnosis.html",           Own,      NONE,         [200, 200, 200, 200]),
    ("GET",  "/accounts/{id}/diagnosis/diagnosis.html",           Region,   NONE,         [200, 200, 200, 404]),
    ("GET",  "/accounts/{id}/diagnosis/diagnosis.html",           Other,    NONE,         [200, 200, 404, 404]),
    ("GET",  "/accounts/{id}/diagnosis/diagnosis.html",           National, NONE,         [200, 200, 404, 404]),
    ("GET",  "/accounts/{id}/diagnosis/diagnosis.html",           Missing,  NONE,         [404, 404, 404, 404]),
    // (PDF rows run only where the CJK fonts are installed.)
    ("GET",  "/accounts/{id}/diagnosis/diagnosis.pdf",            Own,      NONE,         [200, 200, 200, 200]),
    ("GET",  "/accounts/{id}/diagnosis/diagnosis.pdf",            Region,   NONE,         [200, 200, 200, 404]),
    ("GET",  "/accounts/{id}/diagnosis/diagnosis.pdf",            Other,    NONE,         [200, 200, 404, 404]),
    ("GET",  "/accounts/{id}/diagnosis/diagnosis.pdf",            National, NONE,         [200, 200, 404, 404]),
    ("GET",  "/accounts/{id}/diagnosis/diagnosis.pdf",            Missing,  NONE,         [404, 404, 404, 404]),
    // Decisions on findings: reviewers confirm and dismiss, operators and admins mark fixed;
    // out of scope is 404 before the role is asked, in scope but not the role's is 403.
    ("POST", "/accounts/{id}/reviews",                            Own,      CONFIRM,      [303, 303, 303, 403]),
    ("POST", "/accounts/{id}/reviews",                            Region,   CONFIRM,      [303, 303, 303, 404]),
    ("POST", "/accounts/{id}/reviews",                            Other,    CONFIRM,      [303, 303, 404, 404]),
    ("POST", "/accounts/{id}/reviews",                            National, CONFIRM,      [303, 303, 404, 404]),
    ("POST", "/accounts/{id}/reviews",                            Own,      DISMISS,      [303, 303, 303, 403]),
    ("POST", "/accounts/{id}/reviews",                            Region,   DISMISS,      [303, 303, 303, 404]),
    ("POST", "/accounts/{id}/reviews",                            Other,    DISMISS,      [303, 303, 404, 404]),
    ("POST", "/accounts/{id}/reviews",                            National, DISMISS,      [303, 303, 404, 404]),
    ("POST", "/accounts/{id}/reviews",                            Own,      FIX,          [303, 403, 403, 303]),
    ("POST", "/accounts/{id}/reviews",                            Region,   FIX,          [303, 403, 403, 404]),
    ("POST", "/accounts/{id}/reviews",                            Other,    FIX,          [303, 403, 404, 404]),
    ("POST", "/accounts/{id}/reviews",                            National, FIX,          [303, 403, 404, 404]),
    // The API: the same rules, as JSON.
    ("GET",  "/api/v1/openapi.json",                              Survey,   NONE,         [200, 200, 200, 200]),
    ("GET",  "/api/v1/me",                                        Survey,   NONE,         [200, 200, 200, 200]),
    ("GET",  "/api/v1/runs",                                      Survey,   NONE,         [200, 200, 200, 200]),
    ("POST", "/api/v1/runs",                                      Survey,   NONE,         [202, 202, 403, 403]),
    ("GET",  "/api/v1/overview",                                  Survey,   NONE,         [200, 200, 200, 200]),
    ("GET",  "/api/v1/rankings",                                  Survey,   NONE,         [200, 200, 200, 200]),
    ("GET",  "/api/v1/diff?from={run}&to={run}",                  Survey,   NONE,         [200, 200, 200, 200]),
    ("GET",  "/api/v1/precision",                                 Survey,   NONE,         [200, 200, 200, 403]),
    ("GET",  "/api/v1/audit",                                     Survey,   NONE,         [200, 403, 403, 403]),
    ("GET",  "/api/v1/accounts/{id}",                             Own,      NONE,         [200, 200, 200, 200]),
    ("GET",  "/api/v1/accounts/{id}",                             Region,   NONE,         [200, 200, 200, 404]),
    ("GET",  "/api/v1/accounts/{id}",                             Other,    NONE,         [200, 200, 404, 404]),
    ("GET",  "/api/v1/accounts/{id}",                             National, NONE,         [200, 200, 404, 404]),
    ("GET",  "/api/v1/accounts/{id}",                             Missing,  NONE,         [404, 404, 404, 404]),
    ("POST", "/api/v1/accounts/{id}/reviews",                     Own,      API_CONFIRM,  [200, 200, 200, 403]),
    ("POST", "/api/v1/accounts/{id}/reviews",                     Region,   API_CONFIRM,  [200, 200, 200, 404]),
    ("POST", "/api/v1/accounts/{id}/reviews",                     Other,    API_CONFIRM,  [200, 200, 404, 404]),
    ("POST", "/api/v1/accounts/{id}/reviews",                     National, API_CONFIRM,  [200, 200, 404, 404]),
    ("POST", "/api/v1/accounts/{id}/reviews",                     Own,      API_DISMISS,  [200, 200, 200, 403]),
    ("POST", "/api/v1/accounts/{id}/reviews",                     Region,   API_DISMISS,  [200, 200, 200, 404]),
    ("POST", "/api/v1/accounts/{id}/reviews",                     Other,    API_DISMISS,  [200, 200, 404, 404]),
    ("POST", "/api/v1/accounts/{id}/reviews",                     National, API_DISMISS,  [200, 200, 404, 404]),
    ("POST", "/api/v1/accounts/{id}/reviews",                     Own,      API_FIX,      [200, 403, 403, 200]),
    ("POST", "/api/v1/accounts/{id}/reviews",                     Region,   API_FIX,      [200, 403, 403, 404]),
    ("POST", "/api/v1/accounts/{id}/reviews",                     Other,    API_FIX,      [200, 403, 404, 404]),
    ("POST", "/api/v1/accounts/{id}/reviews",                     National, API_FIX,      [200, 403, 404, 404]),
];

/// Routes anyone may call without signing in.
const PUBLIC: &[&str] = &["/login", "/assets/app.js", "/api/v1/openapi.json"];

/// How a request proves who it is.
#[derive(Clone, Copy)]
enum Cred<'a> {
    Anonymous,
    /// The session cookie, with the CSRF token put where the route expects it (form field or
    /// header) when `csrf` is given.
    Session {
        secret: &'a str,
        csrf: Option<&'a str>,
    },
    Bearer(&'a str),
    /// Anything as the session cookie (a token where a session belongs).
    Cookie(&'a str),
}

/// One user's credentials.
struct Login {
    role: Role,
    name: String,
    session: String,
    csrf: String,
    token: String,
}

/// A backend with the sample evaluated and one user per role.
struct Fixture {
    backend: &'static str,
    spec: StoreSpec,
    router: Router,
    run: i64,
    results: Results,
    /// Each object's first finding's fingerprint.
    fingerprints: HashMap<&'static str, String>,
    users: Vec<Login>,
}

/// An answer, read whole.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    fn text(&self) -> Option<String> {
        let ctype = self.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        (ctype.starts_with("text/") || ctype.starts_with("application/json"))
            .then(|| String::from_utf8_lossy(&self.body).into_owned())
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body));
        })
    }
}

fn is_api(route: &str) -> bool {
    route.starts_with("/api/")
}

impl Fixture {
    /// Imports and evaluates the sample into `spec` and adds the users (blocking: call it
    /// outside the runtime, the PostgreSQL client runs its own).
    fn new(backend: &'static str, spec: StoreSpec) -> Fixture {
        let started = std::time::Instant::now();
        let sample = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/sample-survey"));
        let mut store = govmedia_pipeline::open_store(&spec).expect("the store opens");
        govmedia_pipeline::import(&mut *store, sample, Default::default(), &NoProgress)
            .expect("the sample imports");
        let options = EvaluateOptions { offline: true, ..Default::default() };
        govmedia_pipeline::evaluate(&mut *store, &options, None, &NoProgress).expect("the sample evaluates");
        let run = store.runs().unwrap()[0].id;
        let results = store.run_results(run).unwrap().expect("the run has results");
        eprintln!("{backend}: sample imported and evaluated in {:.1?}", started.elapsed());

        let mut fingerprints = HashMap::new();
        for object in [Own, Region, Other, National] {
            let account =
                results.accounts.iter().find(|a| a.id == object.id()).expect("the object is in the run");
            let region_ok = match object {
                Own | Region => account.region.as_deref().is_some_and(|r| r.starts_with("44")),
                Other => account.region.as_deref().is_some_and(|r| !r.starts_with("44")),
                _ => account.region.is_none(),
            };
            assert!(region_ok, "{object:?} ({}) has region {:?}", account.id, account.region);
            let finding = account.findings.first().unwrap_or_else(|| {
                panic!("{object:?} ({}) has no finding: choose another account", account.id)
            });
            fingerprints.insert(object.id(), govmedia_server::review::fingerprint(finding));
        }

        let mut users = Vec::new();
        for role in ROLES {
            let name = format!("authz-{}", role.as_str());
            let (regions, accounts): (Vec<String>, Vec<String>) = match role {
                Role::Supervisor => (vec!["440000".into()], vec![]),
                Role::Operator => (vec![], vec![OWN.into()]),
                _ => (vec![], vec![]),
            };
            govmedia_server::users::add_user(
                &mut *store,
                &name,
                role,
                &regions,
                &accounts,
                Some(PASSWORD),
                None,
            )
            .expect("the user is added");
            let (session, csrf) = govmedia_server::auth::login(&mut *store, &name, PASSWORD)
                .expect("the store answers")
                .expect("the password is right");
            let token = govmedia_server::users::create_token(&mut *store, &name, "authz", None).unwrap();
            users.push(Login { role, name, session, csrf, token });
        }
        // The user the admin routes disable and give a new password.
        govmedia_server::users::add_user(
            &mut *store,
            "authz-spare",
            Role::Operator,
            &[],
            &[OWN.into()],
            Some(PASSWORD),
            None,
        )
        .expect("the user is added");
        drop(store);
        let app = App::new(Pool::open(spec.clone()).expect("the store opens"), false, None);
        Fixture {
            backend,
            spec,
            router: govmedia_server::router(Arc::clone(&app)),
            run,
            results,
            fingerprints,
            users,
        }
    }

    fn user(&self, role: Role) -> &Login {
        self.users.iter().find(|u| u.role == role).unwrap()
    }

    /// The accounts `role` may see (worked out here, not by the server's scope).
    fn visible(&self, role: Role) -> BTreeSet<String> {
        self.results
            .accounts
            .iter()
            .filter(|a| match role {
                Role::Admin | Role::Evaluator => true,
                Role::Supervisor => a.region.as_deref().is_some_and(|r| r.starts_with("44")),
                Role::Operator => a.id == OWN,
            })
            .map(|a| a.id.clone())
            .collect()
    }

    /// The ids and names of the accounts `role` may not see, nor find named anywhere. The
    /// evidence of a visible finding may cite another account: the original of copied content
    /// (`first_account`) or the unit's other accounts on the platform (`accounts`). Those are
    /// what the finding is about and show with it (id and name); nothing else about them does.
    /// A name that a visible or cited account also bears is not searched for.
    fn hidden(&self, role: Role) -> Vec<String> {
        let visible = self.visible(role);
        let cited: BTreeSet<&str> = self
            .results
            .accounts
            .iter()
            .filter(|a| visible.contains(&a.id))
            .flat_map(|a| &a.findings)
            .flat_map(|f| {
                let first = f.evidence.get("first_account").and_then(|v| v.as_str());
                let others = f.evidence.get("accounts").and_then(|v| v.as_array());
                first.into_iter().chain(others.into_iter().flatten().filter_map(|v| v.as_str()))
            })
            .collect();
        let (shown, hidden): (Vec<_>, Vec<_>) = self
            .results
            .accounts
            .iter()
            .partition(|a| visible.contains(&a.id) || cited.contains(a.id.as_str()));
        let shown_names: BTreeSet<&str> = shown.iter().map(|a| a.name.as_str()).collect();
        let mut out: Vec<String> = hidden.iter().map(|a| a.id.clone()).collect();
        out.extend(hidden.iter().map(|a| a.name.clone()).filter(|n| !shown_names.contains(n.as_str())));
        out.sort();
        out.dedup();
        out
    }

    fn fill(&self, template: &str, object: Obj, role: Role) -> String {
        template
            .replace("{id}", object.id())
            .replace("{run}", &self.run.to_string())
            .replace("{fp}", self.fingerprints.get(object.id()).map_or("0000000000000000", String::as_str))
            .replace("{role}", role.as_str())
    }

    /// Sends one request through the router.
    async fn send(&self, method: &str, uri: &str, body: &str, cred: Cred<'_>) -> Answer {
        let mut req = Request::builder().method(method).uri(uri);
        let mut body = body.to_owned();
        match cred {
            Cred::Anonymous => {}
            Cred::Session { secret, csrf } => {
                req = req.header(header::COOKIE, format!("{}={secret}", govmedia_server::auth::COOKIE));
                if let Some(csrf) = csrf.filter(|_| method == "POST") {
                    if is_api(uri) {
                        req = req.header("x-csrf-token", csrf);
                    } else {
                        body = if body.is_empty() {
                            format!("csrf={csrf}")
                        } else {
                            format!("{body}&csrf={csrf}")
                        };
                    }
                }
            }
            Cred::Bearer(token) => req = req.header(header::AUTHORIZATION, format!("Bearer {token}")),
            Cred::Cookie(secret) => {
                req = req.header(header::COOKIE, format!("{}={secret}", govmedia_server::auth::COOKIE))
            }
        }
        if method == "POST" {
            let ctype = if is_api(uri) { "application/json" } else { "application/x-www-form-urlencoded" };
            if !body.is_empty() || !is_api(uri) {
                req = req.header(header::CONTENT_TYPE, ctype);
            }
        }
        let response = self.router.clone().oneshot(req.body(Body::from(body)).unwrap()).await.unwrap();
        let (parts, body) = response.into_parts();
        let body = axum::body::to_bytes(body, usize::MAX).await.unwrap().to_vec();
        Answer { status: parts.status, headers: parts.headers, body }
    }

    /// Checks an answer against the expected status, and a successful one to an operator or a
    /// supervisor for the ids of accounts they may not see. Returns what is wrong.
    fn judge(&self, case: &str, role: Role, expected: u16, answer: &Answer) -> Vec<String> {
        let mut wrong = Vec::new();
        if answer.status.as_u16() != expected {
            let body = answer.text().unwrap_or_default();
            wrong.push(format!(
                "{case}: expected {expected}, got {} {}",
                answer.status.as_u16(),
                body.chars().take(200).collect::<String>()
            ));
        } else if expected == 303 && answer.location() == "/login" {
            wrong.push(format!("{case}: redirected to the login page"));
        }
        if answer.status.is_success()
            && let Some(text) = answer.text()
        {
            let leaked: Vec<String> =
                self.hidden(role).into_iter().filter(|id| text.contains(id.as_str())).collect();
            if !leaked.is_empty() {
                wrong.push(format!("{case}: the answer names accounts out of scope: {leaked:?}"));
            }
        }
        wrong
    }
}

fn case_name(method: &str, uri: &str, object: Obj, body: &str, role: Role, how: &str) -> String {
    let decision = body
        .split(['&', ','])
        .find_map(|p| p.split_once("decision").map(|(_, d)| d.trim_matches(|c: char| !c.is_alphanumeric())))
        .map(|d| format!(" [{d}]"))
        .unwrap_or_default();
    format!("{method} {uri}{decision} as {} ({object:?}, {how})", role.as_str())
}

/// Runs the table and the checks beside it on one backend; panics listing every failure.
async fn check(fx: &Fixture) {
    let pdf = govmedia_report::find_cjk_fonts().is_ok();
    if !pdf {
        eprintln!("{}: no CJK fonts, the diagnosis PDF rows are skipped", fx.backend);
    }
    let rows: Vec<&Row> = TABLE.iter().filter(|r| pdf || !r.1.ends_with(".pdf")).collect();
    let mut wrong = Vec::new();
    let mut cases = 0;

    // 1. The table, pages with each role's session (and its CSRF token), the API with its token.
    for &&(method, route, object, body, expect) in &rows {
        for (role, expected) in ROLES.into_iter().zip(expect) {
            let u = fx.user(role);
            let (uri, body) = (fx.fill(route, object, role), fx.fill(body, object, role));
            let cred = if is_api(route) {
                Cred::Bearer(&u.token)
            } else {
                Cred::Session { secret: &u.session, csrf: Some(&u.csrf) }
            };
            let how = if is_api(route) { "token" } else { "session" };
            let answer = fx.send(method, &uri, &body, cred).await;
            wrong.extend(fx.judge(
                &case_name(method, &uri, object, &body, role, how),
                role,
                expected,
                &answer,
            ));
            cases += 1;
        }
    }
    let table_cases = cases;

    // 2. The other way in: pages with an API token (accepted, as for scripts downloading the
    //    rankings; no CSRF to check without a cookie), the API with a session (GET as is,
    //    POST with the X-CSRF-Token header).
    for &&(method, route, object, body, expect) in &rows {
        if method == "POST" && !is_api(route) {
            continue;
        }
        for (role, expected) in ROLES.into_iter().zip(expect) {
            let u = fx.user(role);
            let (uri, body) = (fx.fill(route, object, role), fx.fill(body, object, role));
            let (cred, how) = if is_api(route) {
                (Cred::Session { secret: &u.session, csrf: Some(&u.csrf) }, "session")
            } else {
                (Cred::Bearer(&u.token), "token")
            };
            let answer = fx.send(method, &uri, &body, cred).await;
            wrong.extend(fx.judge(
                &case_name(method, &uri, object, &body, role, how),
                role,
                expected,
                &answer,
            ));
            cases += 1;
        }
    }

    // 3. Without credentials, or with the wrong kind: pages send to the login page, the API
    //    answers 401. A session's secret is no bearer token, and a token no session cookie.
    let mut routes: Vec<(&str, &str, &str)> = Vec::new();
    for &&(method, route, _, body, _) in &rows {
        if !routes.iter().any(|r| r.0 == method && r.1 == route) {
            routes.push((method, route, body));
        }
    }
    let operator = fx.user(Role::Operator);
    for &(method, route, body) in &routes {
        let (uri, body) = (fx.fill(route, Own, Role::Operator), fx.fill(body, Own, Role::Operator));
        let creds = [
            (Cred::Anonymous, "anonymous"),
            (Cred::Bearer(&operator.session), "session secret as bearer"),
            (Cred::Cookie(&operator.token), "token as cookie"),
            (Cred::Bearer("not-a-token"), "unknown bearer"),
            (Cred::Cookie("not-a-session"), "unknown cookie"),
        ];
        for (cred, how) in creds {
            let answer = fx.send(method, &uri, &body, cred).await;
            let case = format!("{method} {uri} ({how})");
            cases += 1;
            if PUBLIC.contains(&route) {
                if answer.status != StatusCode::OK {
                    wrong.push(format!("{case}: a public route answered {}", answer.status));
                }
            } else if is_api(route) {
                if answer.status != StatusCode::UNAUTHORIZED || answer.json().get("error").is_none() {
                    wrong.push(format!("{case}: expected 401 with an error, got {}", answer.status));
                }
            } else if answer.status != StatusCode::SEE_OTHER || answer.location() != "/login" {
                wrong.push(format!(
                    "{case}: expected 303 to /login, got {} {}",
                    answer.status,
                    answer.location()
                ));
            }
        }
    }

    // 4. A session's POST without its CSRF token, or with another session's, is refused
    //    before anything else is looked at: 403 for every role, object and route.
    for &&(method, route, object, body, _) in rows.iter().filter(|r| r.0 == "POST") {
        for role in ROLES {
            let u = fx.user(role);
            let foreign = &fx.users.iter().find(|o| o.role != role).unwrap().csrf;
            let (uri, body) = (fx.fill(route, object, role), fx.fill(body, object, role));
            for (csrf, how) in [
                (None, "session without CSRF token"),
                (Some(foreign.as_str()), "another session's CSRF token"),
            ] {
                let answer = fx.send(method, &uri, &body, Cred::Session { secret: &u.session, csrf }).await;
                wrong.extend(fx.judge(
                    &case_name(method, &uri, object, &body, role, how),
                    role,
                    403,
                    &answer,
                ));
                cases += 1;
            }
        }
    }
    // Logging out needs the token too (and a refused logout leaves the session working).
    let answer =
        fx.send("POST", "/logout", "", Cred::Session { secret: &operator.session, csrf: None }).await;
    wrong.extend(fx.judge("POST /logout without CSRF token", Role::Operator, 403, &answer));
    let answer =
        fx.send("GET", "/api/v1/me", "", Cred::Session { secret: &operator.session, csrf: None }).await;
    wrong.extend(fx.judge("GET /api/v1/me after a refused logout", Role::Operator, 200, &answer));

    // 5. What the lists contain.
    wrong.extend(contents(fx).await);

    // 6. The table has a row for every operation the API describes (a route added to the API
    //    and its description needs its rows here).
    let spec = fx.send("GET", "/api/v1/openapi.json", "", Cred::Anonymous).await.json();
    let mut described = 0;
    for (path, operations) in spec["paths"].as_object().unwrap() {
        let methods =
            operations.as_object().unwrap().keys().filter(|m| ["get", "post"].contains(&m.as_str()));
        for method in methods {
            described += 1;
            let (method, route) = (method.to_uppercase(), format!("/api/v1{path}"));
            if !TABLE.iter().any(|r| r.0 == method && r.1.split('?').next() == Some(route.as_str())) {
                wrong.push(format!("{method} {route} is described in openapi.json but not in the table"));
            }
        }
    }
    assert!(described >= 10, "openapi.json describes {described} operations");

    eprintln!(
        "{}: {} table rows ({table_cases} role cases), {cases} requests checked in all",
        fx.backend,
        rows.len()
    );
    assert!(wrong.is_empty(), "{}: {} failures:\n{}", fx.backend, wrong.len(), wrong.join("\n"));
}

/// The list routes hold exactly the accounts each role may see.
async fn contents(fx: &Fixture) -> Vec<String> {
    let mut wrong = Vec::new();
    assert_eq!(fx.visible(Role::Supervisor), BTreeSet::from([OWN.to_owned(), REGION.to_owned()]));
    for role in ROLES {
        let u = fx.user(role);
        let (token, r) = (Cred::Bearer(&u.token), role.as_str());
        let visible = fx.visible(role);

        let me = fx.send("GET", "/api/v1/me", "", token).await.json();
        expect(
            &mut wrong,
            me["role"] == r && me["name"] == u.name.as_str(),
            format!("{r}: /api/v1/me says {me}"),
        );

        // Rankings, as JSON and as the CSV download.
        let rows = fx.send("GET", "/api/v1/rankings", "", token).await.json();
        let ids: BTreeSet<String> =
            rows.as_array().unwrap().iter().map(|row| row["id"].as_str().unwrap().to_owned()).collect();
        expect(
            &mut wrong,
            ids == visible,
            format!("{r}: /api/v1/rankings lists {ids:?}, expected {visible:?}"),
        );
        let csv = fx.send("GET", "/rankings?format=csv", "", token).await;
        let csv = String::from_utf8(csv.body).unwrap();
        let ids: BTreeSet<String> = csv
            .lines()
            .skip(1)
            .filter_map(|line| line.split(',').nth(1))
            .map(|cell| cell.trim_matches('"').to_owned())
            .collect();
        expect(
            &mut wrong,
            ids == visible,
            format!("{r}: the rankings CSV lists {ids:?}, expected {visible:?}"),
        );
        // A region filter cannot widen the scope.
        let beijing = fx.send("GET", "/api/v1/rankings?region=110000", "", token).await.json();
        let n = beijing.as_array().unwrap().len();
        expect(
            &mut wrong,
            if visible.contains(OTHER) { n > 0 } else { n == 0 },
            format!("{r}: /api/v1/rankings?region=110000 gives {n} rows"),
        );

        // The overview counts only the visible accounts.
        let overview = fx.send("GET", "/api/v1/overview", "", token).await.json();
        expect(
            &mut wrong,
            overview["accounts"] == visible.len(),
            format!("{r}: the overview counts {} accounts, expected {}", overview["accounts"], visible.len()),
        );
        for u in overview["unscored"].as_array().unwrap() {
            let id = u["id"].as_str().unwrap();
            expect(&mut wrong, visible.contains(id), format!("{r}: the overview lists unscored {id}"));
        }

        // The difference between two runs: the findings of the visible accounts, all of them.
        let diff = fx.send("GET", &format!("/api/v1/diff?from={0}&to={0}", fx.run), "", token).await.json();
        let mut seen = BTreeSet::new();
        for list in ["new", "fixed", "open"] {
            for row in diff[list].as_array().unwrap() {
                seen.insert(row["account"].as_str().unwrap().to_owned());
            }
        }
        let with_findings: BTreeSet<String> = fx
            .results
            .accounts
            .iter()
            .filter(|a| visible.contains(&a.id) && !a.findings.is_empty())
            .map(|a| a.id.clone())
            .collect();
        expect(
            &mut wrong,
            seen == with_findings,
            format!("{r}: the diff names {seen:?}, expected {with_findings:?}"),
        );

        // Precision counts the decisions on visible accounts only: one finding was decided on
        // each object, whoever decided it last.
        if role != Role::Operator {
            let p = fx.send("GET", "/api/v1/precision", "", token).await.json();
            let decided: u64 = p["codes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| {
                    ["confirmed", "dismissed", "fixed"].iter().map(|k| c[k].as_u64().unwrap()).sum::<u64>()
                })
                .sum();
            let objects =
                [OWN, REGION, OTHER, NATIONAL].iter().filter(|id| visible.contains(**id)).count() as u64;
            expect(
                &mut wrong,
                decided == objects,
                format!("{r}: precision counts {decided} decided findings, expected {objects}"),
            );
        }

        // Waiting re-checks (every object was marked fixed by the admin): each sees its own.
        let runs = fx.send("GET", "/runs", "", token).await;
        let text = runs.text().unwrap_or_default();
        for id in [OWN, REGION, OTHER, NATIONAL] {
            expect(
                &mut wrong,
                text.contains(id) == visible.contains(id),
                format!(
                    "{r}: the runs page {} the re-check of {id}",
                    if text.contains(id) { "shows" } else { "hides" }
                ),
            );
        }
        wrong.extend(fx.judge(&format!("GET /runs as {r} (pending re-checks)"), role, 200, &runs));
    }

    // A fingerprint from another account does not reach that account's finding through one's own.
    let operator = fx.user(Role::Operator);
    let foreign = &fx.fingerprints[OTHER];
    let answer = fx
        .send(
            "POST",
            &format!("/api/v1/accounts/{OWN}/reviews"),
            &format!(r#"{{"fingerprint": "{foreign}", "decision": "fixed"}}"#),
            Cred::Bearer(&operator.token),
        )
        .await;
    wrong.extend(fx.judge(
        "an operator's fix of another account's fingerprint",
        Role::Operator,
        404,
        &answer,
    ));
    wrong
}

#[test]
fn authorisation_table_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let fx = Fixture::new("sqlite", StoreSpec::Sqlite(dir.path().join("govmedia.db")));
    runtime().block_on(check(&fx));
    revoked_token(&fx);
}

#[test]
fn authorisation_table_postgres() {
    let Some(pg) = govmedia_store_postgres::testing::TestDb::create("authz") else { return };
    let fx = Fixture::new("postgres", StoreSpec::Postgres(pg.url().to_owned()));
    runtime().block_on(check(&fx));
    revoked_token(&fx);
    drop(fx);
}

/// A token works until it is revoked by its listed id, and not one request after; the
/// revocation is in the audit log. The store is used outside the runtime (the PostgreSQL client
/// is synchronous).
fn revoked_token(fx: &Fixture) {
    use govmedia_server::users::{self, UserError};
    let uri = format!("/api/v1/accounts/{OWN}");
    let name = &fx.user(Role::Operator).name;
    let mut store = govmedia_pipeline::open_store(&fx.spec).unwrap();
    let secret = users::create_token(&mut *store, name, "待吊销", None).unwrap();
    let rt = runtime();
    let status = |secret: &str| rt.block_on(fx.send("GET", &uri, "", Cred::Bearer(secret))).status;
    assert_eq!(status(&secret), StatusCode::OK);

    let listed = users::tokens(&mut *store, Some(name)).unwrap();
    let labels: Vec<&str> = listed.iter().map(|t| t.label.as_str()).collect();
    assert_eq!(labels, ["authz", "待吊销"], "the user's tokens, oldest first");
    let id = &listed[1].id;
    assert_eq!(id.len(), users::TOKEN_ID_LEN);
    assert!(!secret.contains(id.as_str()), "the listed id is not part of the secret");
    assert!(matches!(users::revoke_token(&mut *store, &id[..4], None), Err(UserError::ShortTokenId(_))));
    assert!(matches!(users::revoke_token(&mut *store, "00000000", None), Err(UserError::NoSuchToken(_))));
    let revoked = users::revoke_token(&mut *store, &id[..8], Some("authz-admin")).unwrap();
    assert_eq!((revoked.user.as_str(), revoked.label.as_str()), (name.as_str(), "待吊销"));

    assert_eq!(status(&secret), StatusCode::UNAUTHORIZED, "{}: a revoked token is refused", fx.backend);
    assert_eq!(status(&fx.user(Role::Operator).token), StatusCode::OK, "the user's other token still works");
    let entry = store.audit_log(1).unwrap().remove(0);
    assert_eq!((entry.action.as_str(), entry.object.as_str()), ("token.revoke", name.as_str()));
    assert_eq!(entry.detail["token"], id.as_str());
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

/// Notes `what` when not `ok`.
fn expect(wrong: &mut Vec<String>, ok: bool, what: String) {
    if !ok {
        wrong.push(what);
    }
}
