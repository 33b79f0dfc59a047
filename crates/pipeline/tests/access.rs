//! The server's records (users, credentials, reviews, re-checks, audit log, account trends)
//! behave the same in both stores: one set of assertions, run on SQLite and on PostgreSQL.
//! Everything written is checked again after the store is opened a second time, which also
//! runs the migrations over a store that already has them.

use govmedia_model::results::Results;
use govmedia_pipeline::{StoreSpec, open_store};
use govmedia_store_api::{
    AuditEntry, Credential, CredentialKind, Decision, NewRun, NewUser, Recheck, Review, Role, Store,
    StoreError, User,
};
use serde_json::json;

const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";

fn open(spec: &str) -> Box<dyn Store> {
    open_store(&StoreSpec::parse(spec)).unwrap()
}

fn new_user(name: &str, role: Role) -> NewUser {
    NewUser { name: name.into(), role, regions: Vec::new(), accounts: Vec::new(), password_hash: None }
}

fn session(hash: &str, user: i64, expires_at: &str) -> Credential {
    Credential {
        hash: hash.into(),
        user,
        kind: CredentialKind::Session,
        label: None,
        csrf: Some(format!("csrf-{hash}")),
        created_at: "2025-03-01T08:00:00Z".into(),
        expires_at: Some(expires_at.into()),
    }
}

fn review(account: &str, code: &str, decision: Decision, run: Option<i64>) -> Review {
    Review {
        id: 0,
        account: account.into(),
        code: code.into(),
        fingerprint: format!("fp-{code}"),
        decision,
        reason: (decision == Decision::Dismissed).then(|| "误报：链接可访问".into()),
        user: "alice".into(),
        at: "2025-03-02T09:00:00Z".into(),
        run,
    }
}

fn recheck(account: &str) -> Recheck {
    Recheck {
        id: 0,
        account: account.into(),
        user: "Bob".into(),
        requested_at: "2025-03-03T10:00:00Z".into(),
        done_run: None,
    }
}

fn audit(n: u32) -> AuditEntry {
    AuditEntry {
        id: 0,
        at: format!("2025-03-04T10:00:{n:02}Z"),
        user: n.is_multiple_of(2).then(|| "张三".into()),
        action: "user.add".into(),
        object: format!("用户{n}"),
        detail: json!({"n": n, "role": "operator", "accounts": ["gh_a"]}),
    }
}

fn new_run(check_date: &str) -> NewRun {
    serde_json::from_value(json!({
        "framework": "gov-2025",
        "period": {"from": "2025-01-01", "to": "2025-01-31"},
        "check_date": check_date,
        "options": {}
    }))
    .unwrap()
}

/// Results of a run: each account with its score, rank and whether it passed (one that did not
/// has one finding).
fn results(check_date: &str, accounts: &[(&str, Option<f64>, Option<u32>, bool)]) -> Results {
    let accounts: Vec<_> = accounts
        .iter()
        .map(|(id, score, rank, passed)| {
            let findings = if *passed {
                json!([])
            } else {
                json!([{"code": "update.stale_14d", "severity": "veto", "message": "两周内未更新", "evidence": {}}])
            };
            json!({
                "id": id, "name": id, "owner": "某市人民政府", "level": "prefecture",
                "score": score, "rank": rank, "passed": passed,
                "vetoes": [], "indicators": {}, "stats": {}, "findings": findings
            })
        })
        .collect();
    serde_json::from_value(json!({
        "framework": "gov-2025",
        "period": {"from": "2025-01-01", "to": "2025-01-31"},
        "check_date": check_date,
        "generated_at": "2025-02-01T00:00:00Z",
        "govmedia_version": "0.1.0",
        "accounts": accounts,
        "articles": []
    }))
    .unwrap()
}

/// Writes every kind of record and returns the ids the checks need.
struct Written {
    alice: i64,
    bob: i64,
    runs: [i64; 4],
    rechecks: [i64; 3],
}

fn write(store: &mut dyn Store) -> Written {
    let mut alice = new_user("alice", Role::Supervisor);
    alice.regions = vec!["4401".into()];
    alice.password_hash = Some(HASH.into());
    let alice = store.add_user(&alice).unwrap();
    let mut bob = new_user("Bob", Role::Operator);
    bob.accounts = vec!["gh_a".into(), "gh_b".into()];
    let bob = store.add_user(&bob).unwrap();
    let admin = store.add_user(&new_user("张三", Role::Admin)).unwrap();
    assert!(alice < bob && bob < admin, "ids increase");

    match store.add_user(&new_user("alice", Role::Admin)) {
        Err(StoreError::Conflict { what, .. }) => assert_eq!(what, "用户“alice”"),
        other => panic!("a taken name is a conflict, not {other:?}"),
    }
    let e = store.add_user(&new_user("alice", Role::Operator)).unwrap_err().to_string();
    assert!(e.contains("中已有用户“alice”"), "{e}");

    let mut changed = store.user("Bob").unwrap().unwrap();
    changed.role = Role::Supervisor;
    changed.regions = vec!["440100".into(), "440300".into()];
    changed.accounts = Vec::new();
    changed.password_hash = Some("$argon2id$new".into());
    changed.failed_logins = 3;
    changed.locked_until = Some("2025-03-01T09:15:00Z".into());
    changed.disabled = true;
    changed.name = "Robert".into();
    changed.created_at = "1999-01-01T00:00:00Z".into();
    store.update_user(&changed).unwrap();

    store.put_credential(&session("h1", alice, "2025-03-01T20:00:00Z")).unwrap();
    store.put_credential(&session("h1", alice, "2025-03-02T20:00:00Z")).unwrap();
    store.put_credential(&session("h2", bob, "2025-03-01T20:00:00Z")).unwrap();
    let token = Credential {
        hash: "h3".into(),
        kind: CredentialKind::ApiToken,
        label: Some("夜间评估脚本".into()),
        csrf: None,
        expires_at: None,
        ..session("h3", admin, "")
    };
    store.put_credential(&token).unwrap();
    let older = Credential {
        label: Some("周报导出".into()),
        created_at: "2025-02-01T08:00:00Z".into(),
        expires_at: Some("2026-02-01T08:00:00Z".into()),
        ..token.clone()
    };
    store.put_credential(&Credential { hash: "h5".into(), ..older.clone() }).unwrap();
    store.put_credential(&Credential { hash: "h4".into(), user: alice, ..older }).unwrap();
    store.delete_credential("h2").unwrap();
    store.delete_credential("missing").unwrap();
    store.put_credential(&session("h6", bob, "2025-03-01T07:59:59Z")).unwrap();
    store.put_credential(&session("h7", bob, "2025-03-01T08:00:00Z")).unwrap();
    assert_eq!(store.delete_expired_credentials("2025-03-01T08:00:00Z").unwrap(), 1, "only h6 ran out");
    assert_eq!(store.delete_expired_credentials("2025-03-01T08:00:00Z").unwrap(), 0);
    store.delete_credential("h7").unwrap();

    let runs = [
        store.start_run(&new_run("2025-02-01")).unwrap(),
        store.start_run(&new_run("2025-02-08")).unwrap(),
        store.start_run(&new_run("2025-02-15")).unwrap(),
        store.start_run(&new_run("2025-02-22")).unwrap(),
    ];
    let first = [("gh_b", Some(92.5), Some(1), true), ("gh_a", Some(71.25), Some(2), true)];
    store.finish_run(runs[0], &results("2025-02-01", &first)).unwrap();
    store.fail_run(runs[1], "采集失败").unwrap();
    // runs[2] is still running.
    store.finish_run(runs[3], &results("2025-02-22", &[("gh_a", None, None, false)])).unwrap();

    let ids: Vec<i64> = [
        review("gh_a", "LINK_BROKEN", Decision::Confirmed, Some(runs[0])),
        review("gh_b", "SILENT", Decision::Dismissed, Some(runs[0])),
        review("gh_a", "LINK_BROKEN", Decision::Fixed, None),
    ]
    .iter()
    .map(|r| store.add_review(r).unwrap())
    .collect();
    assert!(ids.is_sorted() && ids[0] < ids[2], "ids increase: {ids:?}");

    let rechecks = [
        store.add_recheck(&recheck("gh_a")).unwrap(),
        store.add_recheck(&recheck("gh_b")).unwrap(),
        store.add_recheck(&recheck("gh_a")).unwrap(),
    ];
    store.complete_rechecks(&[rechecks[0], rechecks[2]], runs[3]).unwrap();
    store.complete_rechecks(&[rechecks[0]], runs[0]).unwrap();
    store.complete_rechecks(&[], runs[0]).unwrap();

    for n in 1..=5 {
        store.add_audit(&audit(n)).unwrap();
    }
    Written { alice, bob, runs, rechecks }
}

fn check(store: &mut dyn Store, w: &Written) {
    let names: Vec<String> = store.users().unwrap().into_iter().map(|u| u.name).collect();
    assert_eq!(names, ["Bob", "alice", "张三"], "by name, in byte order");

    let alice = store.user("alice").unwrap().unwrap();
    assert_eq!(store.user_by_id(w.alice).unwrap().as_ref(), Some(&alice));
    let created_at = alice.created_at.clone();
    assert!(
        chrono::DateTime::parse_from_rfc3339(&created_at).is_ok() && created_at.ends_with('Z'),
        "{created_at}"
    );
    let expected = User {
        id: w.alice,
        name: "alice".into(),
        role: Role::Supervisor,
        regions: vec!["4401".into()],
        accounts: Vec::new(),
        password_hash: Some(HASH.into()),
        failed_logins: 0,
        locked_until: None,
        disabled: false,
        created_at,
    };
    assert_eq!(alice, expected);

    let bob = store.user_by_id(w.bob).unwrap().unwrap();
    assert_eq!((bob.name.as_str(), bob.role), ("Bob", Role::Supervisor), "the name stays");
    assert_eq!(bob.regions, ["440100", "440300"]);
    assert!(bob.accounts.is_empty());
    assert_eq!(bob.password_hash.as_deref(), Some("$argon2id$new"));
    assert_eq!(
        (bob.failed_logins, bob.locked_until.as_deref(), bob.disabled),
        (3, Some("2025-03-01T09:15:00Z"), true)
    );
    assert_ne!(bob.created_at, "1999-01-01T00:00:00Z", "the creation time stays");
    assert_eq!(store.user("Robert").unwrap(), None);
    assert_eq!(store.user_by_id(9999).unwrap(), None);

    assert_eq!(
        store.credential("h1").unwrap(),
        Some(session("h1", w.alice, "2025-03-02T20:00:00Z")),
        "replaced"
    );
    assert_eq!(store.credential("h2").unwrap(), None, "deleted");
    let token = store.credential("h3").unwrap().unwrap();
    assert_eq!(token.kind, CredentialKind::ApiToken);
    assert_eq!((token.label.as_deref(), token.csrf, token.expires_at), (Some("夜间评估脚本"), None, None));
    let hashes = |tokens: Vec<Credential>| tokens.into_iter().map(|t| t.hash).collect::<Vec<_>>();
    assert_eq!(hashes(store.api_tokens(None).unwrap()), ["h4", "h5", "h3"], "tokens only, oldest first");
    assert_eq!(hashes(store.api_tokens(Some(w.alice)).unwrap()), ["h4"]);
    assert_eq!(hashes(store.api_tokens(Some(w.bob)).unwrap()), [] as [&str; 0], "sessions are not tokens");

    let all = store.reviews(None).unwrap();
    let seen: Vec<(&str, Decision)> = all.iter().map(|r| (r.account.as_str(), r.decision)).collect();
    assert_eq!(
        seen,
        [("gh_a", Decision::Confirmed), ("gh_b", Decision::Dismissed), ("gh_a", Decision::Fixed)]
    );
    assert!(all.windows(2).all(|p| p[0].id < p[1].id), "oldest first");
    let expected = Review { id: all[1].id, ..review("gh_b", "SILENT", Decision::Dismissed, Some(w.runs[0])) };
    assert_eq!(all[1], expected);
    let a = store.reviews(Some("gh_a")).unwrap();
    assert_eq!(a, [all[0].clone(), all[2].clone()]);
    assert_eq!(a[1].run, None);
    assert!(store.reviews(Some("gh_x")).unwrap().is_empty());

    let [r1, r2, r3] = w.rechecks;
    let pending = store.pending_rechecks().unwrap();
    assert_eq!(pending, [Recheck { id: r2, ..recheck("gh_b") }]);
    let done: Vec<(i64, Option<i64>)> =
        store.rechecks("gh_a").unwrap().iter().map(|r| (r.id, r.done_run)).collect();
    assert_eq!(
        done,
        [(r3, Some(w.runs[3])), (r1, Some(w.runs[3]))],
        "newest first; a done request stays done"
    );

    let log = store.audit_log(3).unwrap();
    let objects: Vec<&str> = log.iter().map(|e| e.object.as_str()).collect();
    assert_eq!(objects, ["用户5", "用户4", "用户3"], "newest first");
    assert_eq!(log[1], AuditEntry { id: log[1].id, ..audit(4) });
    assert_eq!(log[0].user, None);
    assert_eq!(store.audit_log(100).unwrap().len(), 5);
    assert!(store.audit_log(0).unwrap().is_empty());

    let trend: Vec<_> = store
        .account_runs("gh_a")
        .unwrap()
        .into_iter()
        .map(|r| (r.run, r.check_date, r.score, r.rank, r.passed, r.findings))
        .collect();
    assert_eq!(
        trend,
        [
            (w.runs[0], "2025-02-01".to_owned(), Some(71.25), Some(2), true, 0),
            (w.runs[3], "2025-02-22".to_owned(), None, None, false, 1),
        ],
        "finished runs only, oldest first"
    );
    assert!(store.account_runs("gh_x").unwrap().is_empty());
}

fn conformance(spec: &str) {
    let written = {
        let mut store = open(spec);
        let w = write(store.as_mut());
        check(store.as_mut(), &w);
        w
    };
    check(open(spec).as_mut(), &written);
}

#[test]
fn sqlite_keeps_the_servers_records() {
    let dir = tempfile::tempdir().unwrap();
    conformance(dir.path().join("govmedia.db").to_str().unwrap());
}

#[test]
fn postgres_keeps_the_servers_records() {
    let Some(db) = govmedia_store_postgres::testing::TestDb::create("access") else { return };
    conformance(db.url());
}
