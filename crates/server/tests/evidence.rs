//! Evidence files behind findings: a phone screenshot of the mobile check and a page snapshot
//! from the store's cache are served to whoever sees the finding that cites them, and to no
//! one else; nothing outside the evidence directory can be named.

mod common;

use axum::body::Body;
use axum::http::Request;
use govmedia_model::results::AccountResult;
use govmedia_pipeline::StoreSpec;
use govmedia_server::{App, Pool};
use govmedia_store_api::Role;
use tower::ServiceExt;

/// GET `path` with the session `cookie`: (status, content type, body).
async fn get(router: &axum::Router, cookie: &str, path: &str) -> (u16, String, Vec<u8>) {
    let req = Request::get(path)
        .header("cookie", format!("govmedia_session={cookie}"))
        .body(Body::empty())
        .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status().as_u16();
    let mime = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec();
    (status, mime, body)
}

fn cited<'a>(a: &'a AccountResult, key: &str) -> Option<&'a str> {
    a.findings.iter().find_map(|f| f.evidence.get(key).and_then(|v| v.as_str()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn evidence_is_served_with_the_finding_that_cites_it() {
    let dir = tempfile::tempdir().unwrap();
    let spec = StoreSpec::Sqlite(dir.path().join("govmedia.db"));
    let out = dir.path().join("out");
    let results = tokio::task::spawn_blocking({
        let (spec, out) = (spec.clone(), out.clone());
        move || common::evaluated(&spec, Some(&out))
    })
    .await
    .unwrap();
    let shot = results
        .accounts
        .iter()
        .find(|a| cited(a, "screenshot").is_some())
        .expect("a mobile finding with a screenshot");
    let other = results.accounts.iter().find(|a| a.id != shot.id && a.score.is_some()).unwrap();
    let (op, evaluator) = {
        let mut store = govmedia_pipeline::open_store(&spec).unwrap();
        common::user(&mut *store, "op", Role::Operator, &[], &[&shot.id]);
        common::user(&mut *store, "other-op", Role::Operator, &[], &[&other.id]);
        common::user(&mut *store, "ev", Role::Evaluator, &[], &[]);
        let login = |store: &mut dyn govmedia_store_api::Store, name: &str| {
            govmedia_server::auth::login(store, name, common::PASSWORD).unwrap().unwrap().0
        };
        (login(&mut *store, "op"), login(&mut *store, "ev"))
    };
    let other_op = {
        let mut store = govmedia_pipeline::open_store(&spec).unwrap();
        govmedia_server::auth::login(&mut *store, "other-op", common::PASSWORD).unwrap().unwrap().0
    };
    let app = App::new(Pool::open(spec.clone()).unwrap(), false, Some(out.join("evidence")));
    let router = govmedia_server::router(app);

    let file = cited(shot, "screenshot").unwrap().rsplit('/').next().unwrap().to_owned();
    let url = format!("/accounts/{}/evidence/{file}", shot.id);
    let (status, mime, body) = get(&router, &op, &url).await;
    assert_eq!((status, mime.as_str()), (200, "image/png"), "the operator sees its screenshot");
    assert_eq!(&body[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(body, std::fs::read(out.join("evidence").join(&file)).unwrap());
    // The account page links it.
    let (_, _, page) = get(&router, &op, &format!("/accounts/{}", shot.id)).await;
    assert!(String::from_utf8(page).unwrap().contains(&file));

    // Another unit's operator: not through the account, not through its own account.
    assert_eq!(get(&router, &other_op, &url).await.0, 404);
    assert_eq!(get(&router, &other_op, &format!("/accounts/{}/evidence/{file}", other.id)).await.0, 404);
    // Only cited files, only plain names.
    for name in ["..%2Fgovmedia.db", "%2E%2E%2F%2E%2E%2Fgovmedia.db", ".hidden", "not-cited.png"] {
        assert_eq!(
            get(&router, &evaluator, &format!("/accounts/{}/evidence/{name}", shot.id)).await.0,
            404,
            "{name}"
        );
    }

    // Page snapshots from the cache, as text, for a finding citing their hash.
    if let Some((account, hash)) =
        results.accounts.iter().find_map(|a| cited(a, "content_hash").map(|h| (a, h.to_owned())))
    {
        let url = format!("/accounts/{}/snapshot/{hash}", account.id);
        let (status, mime, _) = get(&router, &evaluator, &url).await;
        assert_eq!((status, mime.as_str()), (200, "text/plain; charset=utf-8"), "{url}");
        if account.id != other.id {
            assert_eq!(get(&router, &other_op, &url).await.0, 404);
        }
        assert_eq!(
            get(&router, &evaluator, &format!("/accounts/{}/snapshot/{}", account.id, "0".repeat(64)))
                .await
                .0,
            404
        );
    }
}
