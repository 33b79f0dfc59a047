//! `govmedia monitor --once` on the bundled sample with a fake collector and a fake 企业微信
//! robot on loopback: the first round alerts on what is wrong, a repeated round sends nothing
//! again, and when every feed of the collector stops, the collector — not its accounts — is
//! reported lost.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use common::{run, write};

/// Reads one HTTP request: its path and body.
fn read_request(stream: &std::net::TcpStream) -> (String, String) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut length = 0;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).unwrap() == 0 || h == "\r\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    (path, String::from_utf8_lossy(&body).into_owned())
}

/// A loopback HTTP server: `answer(path, request body)` gives (status, body); request bodies
/// are kept.
fn serve(answer: impl Fn(&str, &str) -> (u16, String) + Send + 'static) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let log = bodies.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let (path, body) = read_request(&stream);
            if !body.is_empty() {
                log.lock().unwrap().push(body.clone());
            }
            let (status, text) = answer(&path, &body);
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                text.len()
            );
        }
    });
    (base, bodies)
}

fn feed(title: &str, day: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>{title}</title>\
         <entry><title>{title}今日动态</title><link href=\"https://mp.weixin.qq.com/s/monitor-{title}-{day}\"/>\
         <id>{day}</id><updated>{day}T09:00:00+08:00</updated></entry></feed>"
    )
}

#[test]
fn a_round_alerts_once_and_a_silent_collector_is_not_a_silent_account() {
    alerts_once_and_a_silent_collector("g.db", "");
}

/// The same rounds on PostgreSQL: the alert state and outbox live in the store's database.
#[test]
fn a_round_on_postgres_keeps_its_alert_state_in_the_database() {
    let Some(pg) = govmedia_store_postgres::testing::TestDb::create("monitor_round") else { return };
    let in_process = alerts_once_and_a_silent_collector(pg.url(), "");
    let mut client = postgres::Client::connect(pg.url(), postgres::NoTls).unwrap();
    let sent: i64 =
        client.query_one("SELECT COUNT(*) FROM alert_outbox WHERE status = 'sent'", &[]).unwrap().get(0);
    assert!(sent > 0);

    // The same rounds with their evaluation on the job queue (three accounts per job, done by
    // the monitor's own worker threads): the same alerts, and the runs recorded as distributed.
    let Some(queued) = govmedia_store_postgres::testing::TestDb::create("monitor_queue") else { return };
    let on_queue =
        alerts_once_and_a_silent_collector(queued.url(), "distributed = true\naccounts_per_job = 3\n");
    assert_eq!(on_queue, in_process);
    let mut client = postgres::Client::connect(queued.url(), postgres::NoTls).unwrap();
    let (runs, jobs): (i64, i64) = {
        let row = client
            .query_one(
                "SELECT COUNT(DISTINCT run_id), COUNT(*) FILTER (WHERE state = 'done') FROM run_jobs",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1))
    };
    assert_eq!(runs, 3, "one distributed run per round");
    assert!(jobs > 3 * 3, "observe, prepare and assess jobs done: {jobs}");
}

/// The bundled sample imported into `db`, a fake collector serving two of its accounts and a
/// fake 企业微信 robot, with `monitor.toml` in the returned directory; the robot's received
/// bodies.
/// `evaluate` adds lines to the file's `[evaluate]` section.
fn monitored_sample(db: &str, evaluate: &str) -> (tempfile::TempDir, Arc<Mutex<Vec<String>>>) {
    let (dir, received, _) = monitored_sample_with_late_item(db, evaluate);
    (dir, received)
}

/// [`monitored_sample`], and a switch: once set, the first feed also has an item of 2025-10-30
/// (collected late).
fn monitored_sample_with_late_item(
    db: &str,
    evaluate: &str,
) -> (tempfile::TempDir, Arc<Mutex<Vec<String>>>, Arc<AtomicBool>) {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::repo("examples/sample-survey");
    let (code, _, err) = run(dir.path(), &["import", sample.to_str().unwrap(), "--db", db]);
    assert_eq!(code, 0, "{err}");
    // The collector serves two of the sample's accounts; each feed has one item of 2025-10-31.
    let late = Arc::new(AtomicBool::new(false));
    let switch = late.clone();
    let (collector, _) = serve(move |path, _| match path {
        "/feeds/a.atom" if switch.load(Ordering::Relaxed) => {
            let late = feed("工信微报", "2025-10-30");
            let entry = &late[late.find("<entry>").unwrap()..late.find("</feed>").unwrap()];
            (200, feed("工信微报", "2025-10-31").replace("</feed>", &format!("{entry}</feed>")))
        }
        "/feeds/a.atom" => (200, feed("工信微报", "2025-10-31")),
        "/feeds/b.atom" => (200, feed("国家民委", "2025-10-31")),
        _ => (404, String::new()),
    });
    let (robot, received) = serve(|_, _| (200, r#"{"errcode":0,"errmsg":"ok"}"#.into()));
    write(
        dir.path(),
        "sinks.toml",
        &format!(
            "[[sink]]\nid = \"office\"\nkind = \"wecom\"\nurl = \"{robot}/cgi-bin/webhook/send?key=test\"\n"
        ),
    );
    write(
        dir.path(),
        "monitor.toml",
        &format!(
            "[collect]\npoliteness_secs = 0\nallow_private = true\nquiet_after_days = 3\n\n\
             [[feed]]\nurl = \"{collector}/feeds/a.atom\"\naccount = \"gh_81d143f29dd7\"\ncollector = \"wewe-rss\"\n\n\
             [[feed]]\nurl = \"{collector}/feeds/b.atom\"\naccount = \"gh_627741cb6033\"\ncollector = \"wewe-rss\"\n\n\
             [evaluate]\noffline = true\nbrowser = \"/nonexistent\"\n{evaluate}\n[alerts]\nsinks = \"sinks.toml\"\n"
        ),
    );
    (dir, received, late)
}

/// Runs three rounds and checks what they alert; returns the alert messages sent.
fn alerts_once_and_a_silent_collector(db: &str, evaluate: &str) -> Vec<String> {
    let (dir, received, late) = monitored_sample_with_late_item(db, evaluate);
    let round = |now: &str| {
        let (code, out, err) =
            run(dir.path(), &["monitor", "--once", "--config", "monitor.toml", "--db", db, "--now", now]);
        assert_eq!(code, 0, "{out}\n{err}");
        out
    };

    let first = round("2025-11-01T02:00:00Z");
    assert!(first.contains("订阅源：2 个有更新"), "{first}");
    let sent_first = received.lock().unwrap().len();
    assert!(sent_first > 0, "{first}");
    assert!(received.lock().unwrap().iter().all(|b| b.contains("\"msgtype\":\"markdown\"")));
    assert!(first.contains("告警：新发") && !first.contains("告警：新发 0"), "{first}");

    // Half an hour later no feed is due and nothing was written: the evaluation is reused.
    let reused = round("2025-11-01T02:30:00Z");
    assert!(
        reused.contains("均未变化，沿用第") && reused.contains("告警：新发 0，升级 0，解除 0"),
        "{reused}"
    );
    assert!(!first.contains("沿用"), "{first}");

    // An hour later one feed brings an item of 10-30, collected late: nothing new is raised or
    // sent, and only that account is checked again (in-process rounds).
    late.store(true, Ordering::Relaxed);
    let again = round("2025-11-01T03:00:00Z");
    assert!(again.contains("告警：新发 0，升级 0，解除 0"), "{again}");
    assert!(!again.contains("均未变化，沿用第"), "{again}");
    if evaluate.is_empty() {
        assert!(again.contains("个账号的数据自上次评估以来未变，沿用其内容安全与分类检查结果"), "{again}");
    }
    assert_eq!(received.lock().unwrap().len(), sent_first);

    // Five days on, both feeds still end on 10-31: the collector lost its login, and that is
    // what the office is told.
    let later = round("2025-11-06T02:00:00Z");
    assert!(later.contains("采集源失效：wewe-rss"), "{later}");
    let texts = received.lock().unwrap()[sent_first..].join("\n");
    assert!(texts.contains("采集源失效"), "{texts}");
    received.lock().unwrap().clone()
}

/// A webhook receiver whose first request hangs without an answer (the monitor is killed while
/// it waits); later requests are answered and their bodies kept.
/// Two monitors on one database never run a round at once: while one holds the round lock, the
/// other's round collects and sends nothing; once it is released, the next round does.
#[test]
fn a_round_waits_while_another_monitor_holds_the_database() {
    one_round_at_a_time("g.db");
    if let Some(pg) = govmedia_store_postgres::testing::TestDb::create("monitor_lock") {
        one_round_at_a_time(pg.url());
    }
}

fn one_round_at_a_time(db: &str) {
    let (dir, received) = monitored_sample(db, "");
    let spec =
        if db.starts_with("postgres") { db.to_owned() } else { dir.path().join(db).display().to_string() };
    let store = govmedia_pipeline::open_store(&govmedia_pipeline::StoreSpec::parse(&spec)).unwrap();
    let held = store.try_lock(govmedia_pipeline::monitor::ROUND_LOCK).unwrap().expect("the lock is free");
    assert!(store.try_lock(govmedia_pipeline::monitor::ROUND_LOCK).unwrap().is_none(), "{db}: taken twice");
    let round = || {
        let args =
            ["monitor", "--once", "--config", "monitor.toml", "--db", db, "--now", "2025-11-01T02:00:00Z"];
        let (code, out, err) = run(dir.path(), &args);
        assert_eq!(code, 0, "{out}\n{err}");
        out
    };
    let waiting = round();
    assert!(waiting.contains("本轮跳过") && received.lock().unwrap().is_empty(), "{db}: {waiting}");
    drop(held);
    let after = round();
    assert!(after.contains("订阅源：2 个有更新") && !received.lock().unwrap().is_empty(), "{db}: {after}");
}

/// `govmedia serve --monitor` runs the rounds in the server's process: alerts go out, the
/// round's evaluation is the run the dashboard shows, and SIGTERM stops both.
#[test]
fn the_server_runs_the_monitor_rounds() {
    let (dir, received) = monitored_sample("g.db", "");
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut server = std::process::Command::new(env!("CARGO_BIN_EXE_govmedia"))
        .current_dir(dir.path())
        .args(["serve", "--db", "g.db", "--no-evaluate", "--monitor", "monitor.toml"])
        .args(["--listen", &format!("127.0.0.1:{port}")])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while received.lock().unwrap().is_empty() {
        assert!(started.elapsed().as_secs() < 120, "no alert from the server's monitor");
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    // The round recorded its evaluation: the dashboard's latest run.
    let (code, out, _) = run(dir.path(), &["runs", "--db", "g.db"]);
    assert_eq!(code, 0);
    assert!(out.lines().nth(1).is_some_and(|l| l.contains("已完成")), "{out}");
    terminate(server.id());
    let status = server.wait().unwrap();
    let mut log = String::new();
    server.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    assert!(status.success(), "the server stops cleanly on SIGTERM:\n{log}");
    assert!(log.contains("监测轮次") && log.contains("告警新发"), "{log}");
}

/// Sends SIGTERM, as a service manager stops the server.
fn terminate(pid: u32) {
    let pid = rustix::process::Pid::from_raw(pid as i32).expect("a process id");
    rustix::process::kill_process(pid, rustix::process::Signal::TERM).expect("the signal is sent");
}

fn hanging_receiver() -> (String, Arc<std::sync::atomic::AtomicBool>, Arc<Mutex<Vec<String>>>) {
    use std::sync::atomic::{AtomicBool, Ordering};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let hung = Arc::new(AtomicBool::new(false));
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let (flag, log) = (hung.clone(), bodies.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let mut stream = stream.unwrap();
            let (flag, log) = (flag.clone(), log.clone());
            std::thread::spawn(move || {
                if !flag.swap(true, Ordering::SeqCst) {
                    // The first request: never answered, never counted as received.
                    std::thread::sleep(std::time::Duration::from_secs(60));
                    return;
                }
                log.lock().unwrap().push(read_request(&stream).1);
                let _ = write!(stream, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
            });
        }
    });
    (base, hung, bodies)
}

#[test]
fn a_monitor_killed_before_sending_loses_and_repeats_no_alert() {
    use std::sync::atomic::Ordering;
    let dir = tempfile::tempdir().unwrap();
    let sample = common::repo("examples/sample-survey");
    let (code, _, err) = run(dir.path(), &["import", sample.to_str().unwrap(), "--db", "g.db"]);
    assert_eq!(code, 0, "{err}");
    let (receiver, hung, received) = hanging_receiver();
    write(
        dir.path(),
        "sinks.toml",
        &format!(
            "[[sink]]\nid = \"hook\"\nkind = \"webhook\"\nurl = \"{receiver}/alerts\"\nsecret = \"test-secret\"\n"
        ),
    );
    write(
        dir.path(),
        "monitor.toml",
        "[evaluate]\noffline = true\nbrowser = \"/nonexistent\"\n\n[alerts]\nsinks = \"sinks.toml\"\n",
    );
    let args =
        ["monitor", "--once", "--config", "monitor.toml", "--db", "g.db", "--now", "2025-11-01T02:00:00Z"];
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("govmedia"))
        .args(args)
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !hung.load(Ordering::SeqCst) {
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the monitor ended ({status}) before it tried to send");
        }
        assert!(started.elapsed().as_secs() < 120, "the monitor never tried to send");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().unwrap(); // SIGKILL, while the first delivery waits for an answer
    child.wait().unwrap();

    let db = rusqlite::Connection::open(dir.path().join("g.db")).unwrap();
    let count = |sql: &str| db.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
    let queued = count("SELECT COUNT(*) FROM alert_outbox");
    assert!(queued > 0);
    assert_eq!(count("SELECT COUNT(*) FROM alert_outbox WHERE status = 'sent'"), 0);
    assert!(received.lock().unwrap().is_empty());

    // The next round detects nothing new and delivers every pending alert, each once.
    let (code, out, err) = run(dir.path(), &args);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("告警：新发 0，升级 0，解除 0"), "{out}");
    let (code, out, _) = run(dir.path(), &args);
    assert_eq!(code, 0);
    assert!(out.contains("已发送 0 条消息"), "{out}");
    let keys = alert_keys(&received.lock().unwrap());
    let unique: std::collections::BTreeSet<&String> = keys.iter().collect();
    assert_eq!(keys.len() as i64, queued, "every queued alert arrived");
    assert_eq!(unique.len(), keys.len(), "none twice");
    assert_eq!(count("SELECT COUNT(*) FROM alert_outbox WHERE status = 'sent'"), queued);
}

/// Datacube's answer for every day asked (begin_date to end_date): followers growing by 10 a
/// day from 10,000 with 5 unfollows, 1,500 readers, 60 sharers and 20 在看 users a day.
fn datacube(path: &str, body: &str) -> String {
    let req: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    let date = |k: &str| chrono::NaiveDate::parse_from_str(req[k].as_str().unwrap_or(""), "%Y-%m-%d").ok();
    let (Some(begin), Some(end)) = (date("begin_date"), date("end_date")) else {
        return r#"{"errcode":61500,"errmsg":"date format error"}"#.into();
    };
    let rows: Vec<serde_json::Value> = begin
        .iter_days()
        .take_while(|d| *d <= end)
        .map(|d| {
            let n = (d - chrono::NaiveDate::from_ymd_opt(2025, 10, 1).unwrap()).num_days();
            let ref_date = d.to_string();
            match path {
                "/datacube/getusercumulate" => serde_json::json!({"ref_date": ref_date, "cumulate_user": 10_000 + 10 * n}),
                "/datacube/getusersummary" => {
                    serde_json::json!({"ref_date": ref_date, "user_source": 0, "new_user": 15, "cancel_user": 5})
                }
                "/datacube/getbizsummary" => serde_json::json!({"ref_date": ref_date, "detail": {
                    "read_user": 1500, "share_user": 60, "zaikan_user": 20, "like_user": 30, "comment_count": 0,
                    "collection_user": 0, "send_page_count": 1}}),
                _ => serde_json::Value::Null,
            }
        })
        .filter(|v| !v.is_null())
        .collect();
    serde_json::json!({"list": rows, "is_delay": false}).to_string()
}

/// A fake Open API: the real response shapes of the shared fixtures; the menu users see gains
/// an item after the first capture. Paths asked are kept.
fn open_api() -> (String, Arc<Mutex<Vec<String>>>) {
    let fixtures = common::shared("wechat/api-fixtures");
    let read = move |f: &str| std::fs::read_to_string(fixtures.join(f)).unwrap();
    let selfmenu = read("wechatpy/get_current_selfmenu_info.json");
    let changed = {
        let mut v: serde_json::Value = serde_json::from_str(&selfmenu).unwrap();
        v["selfmenu_info"]["button"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({"type": "view", "name": "办事指南", "url": "https://www.gov.cn/fuwu/"}));
        v.to_string()
    };
    let (token, menu_get) = (read("wechatpy/token.json"), read("wechatpy/menu_get.json"));
    let menus_served = Arc::new(Mutex::new(0));
    let paths = Arc::new(Mutex::new(Vec::new()));
    let log = paths.clone();
    let (base, _) = serve(move |path, body| {
        let p = path.split('?').next().unwrap_or(path).to_owned();
        log.lock().unwrap().push(p.clone());
        match p.as_str() {
            "/cgi-bin/stable_token" => (200, token.clone()),
            "/cgi-bin/get_current_selfmenu_info" => {
                let mut n = menus_served.lock().unwrap();
                *n += 1;
                (200, if *n == 1 { selfmenu.clone() } else { changed.clone() })
            }
            "/cgi-bin/menu/get" => (200, menu_get.clone()),
            "/cgi-bin/freepublish/batchget" => (200, r#"{"total_count":0,"item_count":0,"item":[]}"#.into()),
            "/cgi-bin/comment/list" => (200, r#"{"errcode":0,"errmsg":"ok","total":0,"comment":[]}"#.into()),
            p if p.starts_with("/datacube/") => (200, datacube(p, body)),
            _ => (200, r#"{"errcode":48001,"errmsg":"api unauthorized"}"#.into()),
        }
    });
    (base, paths)
}

#[test]
fn an_open_api_account_is_synced_with_one_shared_token_and_its_menu_change_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let sample = common::repo("examples/sample-survey");
    let (code, _, err) = run(dir.path(), &["import", sample.to_str().unwrap(), "--db", "g.db"]);
    assert_eq!(code, 0, "{err}");
    let (api, paths) = open_api();
    write(
        dir.path(),
        "monitor.toml",
        &format!(
            "[[wechat]]\naccount = \"gh_627741cb6033\"\ncredentials = \"minwei\"\nevery_minutes = 30\nbase_url = \"{api}\"\n\n\
             [evaluate]\nframework = \"wechat-handbook\"\noffline = true\nbrowser = \"/nonexistent\"\n"
        ),
    );
    let round = |now: &str| {
        let out = common::govmedia(dir.path())
            .args(["monitor", "--once", "--config", "monitor.toml", "--db", "g.db", "--now", now])
            .env("GOVMEDIA_WECHAT_APPID_MINWEI", "wx0000000000000001")
            .env("GOVMEDIA_WECHAT_SECRET_MINWEI", "not-a-real-secret-123")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{text}");
        assert!(!text.contains("not-a-real-secret-123") && !text.contains("1234567890"), "{text}");
        text
    };
    // The first capture differs from the menu of the imported dataset (another menu altogether).
    let first = round("2025-11-01T02:00:00Z");
    assert!(first.contains("开放接口 gh_627741cb6033"), "{first}");
    assert!(first.contains("菜单变更 gh_627741cb6033：新增：button"), "{first}");
    let second = round("2025-11-01T03:00:00Z");
    assert!(second.contains("菜单变更 gh_627741cb6033：新增：办事指南\n"), "{second}");
    // One token for both rounds: the second process took it from the store.
    let paths = paths.lock().unwrap().clone();
    assert_eq!(paths.iter().filter(|p| *p == "/cgi-bin/stable_token").count(), 1, "{paths:?}");
    assert_eq!(paths.iter().filter(|p| *p == "/cgi-bin/get_current_selfmenu_info").count(), 2);
    // The menus are stored: two captures of the menu users see.
    let db = rusqlite::Connection::open(dir.path().join("g.db")).unwrap();
    let stored: i64 = db
        .query_row("SELECT COUNT(*) FROM menus WHERE account = 'gh_627741cb6033'", [], |r| r.get(0))
        .unwrap();
    assert!(stored >= 2, "{stored}");

    // The platform's daily figures joined the account and score the handbook's factors; an
    // account without them is not evaluated on those, with the reason.
    let last: i64 = db.query_row("SELECT MAX(id) FROM runs", [], |r| r.get(0)).unwrap();
    let (code, _, err) =
        run(dir.path(), &["runs", "export", &last.to_string(), "--db", "g.db", "--out", "out"]);
    assert_eq!(code, 0, "{err}");
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("out/results.json")).unwrap()).unwrap();
    let account =
        |id: &str| results["accounts"].as_array().unwrap().iter().find(|a| a["id"] == id).unwrap().clone();
    let synced = account("gh_627741cb6033");
    let read_rate = synced["indicators"]["articles.read_rate"]["score"].as_f64().unwrap();
    assert!((read_rate - 1.0).abs() < 1e-6, "{}", synced["indicators"]); // 1,500 of ~10,000 a day: above 10 %
    let cancel = synced["indicators"]["followers.cancel_rate"]["score"].as_f64().unwrap();
    assert!(cancel > 0.0 && cancel < 1.0, "{cancel}");
    let other = account("gh_81d143f29dd7");
    let why = other["indicators"]["articles.read_rate"]["not_evaluated"].as_str().unwrap();
    assert!(why.contains("datacube"), "{why}");
}

/// The idempotency keys of every alert a webhook receiver was sent.
fn alert_keys(bodies: &[String]) -> Vec<String> {
    bodies
        .iter()
        .flat_map(|b| {
            let v: serde_json::Value = serde_json::from_str(b).unwrap();
            v["alerts"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["idempotency_key"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Sixty days of monitoring the bundled sample from 2025-11-01: its accounts fall silent (the
/// data ends on 10-31: warnings at day 10 and 12, then the veto), a collector feeds two of them
/// daily, loses its login on day 20 (HTTP 401) and is back on day 40. One run is SIGKILLed on
/// day 30 while its alerts wait for the receiver; it must deliver exactly what an undisturbed
/// run delivers — every alert once, none missing, none twice.
#[test]
fn sixty_days_with_a_kill_deliver_what_an_undisturbed_monitor_delivers() {
    use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
    let run_days = |kill_on: Option<i64>| -> (Vec<String>, String, String) {
        let dir = tempfile::tempdir().unwrap();
        let sample = common::repo("examples/sample-survey");
        let (code, _, err) = run(dir.path(), &["import", sample.to_str().unwrap(), "--db", "g.db"]);
        assert_eq!(code, 0, "{err}");
        let day = Arc::new(AtomicI64::new(0));
        let today = day.clone();
        let (collector, _) = serve(move |path, _| {
            let d = today.load(Ordering::SeqCst);
            if (20..40).contains(&d) {
                return (401, String::new());
            }
            let date = chrono::NaiveDate::from_ymd_opt(2025, 11, 1).unwrap() + chrono::Days::new(d as u64);
            let yesterday = (date - chrono::Days::new(1)).to_string();
            match path {
                "/feeds/a.atom" => (200, feed("工信微报", &yesterday)),
                "/feeds/b.atom" => (200, feed("国家民委", &yesterday)),
                _ => (404, String::new()),
            }
        });
        // The receiver: answers every request, except the one it is told to hold (never answered).
        let hold = Arc::new(AtomicBool::new(false));
        let held = Arc::new(AtomicBool::new(false));
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let receiver = format!("http://{}", listener.local_addr().unwrap());
        let bodies = Arc::new(Mutex::new(Vec::new()));
        {
            let (hold, held, bodies) = (hold.clone(), held.clone(), bodies.clone());
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    let mut stream = stream.unwrap();
                    let (hold, held, bodies) = (hold.clone(), held.clone(), bodies.clone());
                    std::thread::spawn(move || {
                        if hold.swap(false, Ordering::SeqCst) {
                            held.store(true, Ordering::SeqCst);
                            std::thread::sleep(std::time::Duration::from_secs(60));
                            return;
                        }
                        bodies.lock().unwrap().push(read_request(&stream).1);
                        let _ = write!(
                            stream,
                            "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                        );
                    });
                }
            });
        }
        write(
            dir.path(),
            "sinks.toml",
            &format!(
                "[[sink]]\nid = \"hook\"\nkind = \"webhook\"\nurl = \"{receiver}/alerts\"\nsecret = \"s\"\nper_minute = 1000\n"
            ),
        );
        write(
            dir.path(),
            "monitor.toml",
            &format!(
                "[collect]\npoliteness_secs = 0\nallow_private = true\nquiet_after_days = 3\n\n\
                 [[feed]]\nurl = \"{collector}/feeds/a.atom\"\naccount = \"gh_81d143f29dd7\"\ncollector = \"wewe-rss\"\nevery_minutes = 1440\n\n\
                 [[feed]]\nurl = \"{collector}/feeds/b.atom\"\naccount = \"gh_627741cb6033\"\ncollector = \"wewe-rss\"\nevery_minutes = 1440\n\n\
                 [evaluate]\noffline = true\nbrowser = \"/nonexistent\"\n\n[alerts]\nsinks = \"sinks.toml\"\n"
            ),
        );
        let mut log = String::new();
        for d in 0..60 {
            day.store(d, Ordering::SeqCst);
            let now = (chrono::NaiveDate::from_ymd_opt(2025, 11, 1).unwrap() + chrono::Days::new(d as u64))
                .and_hms_opt(2, 0, 0)
                .unwrap()
                .and_utc()
                .to_rfc3339();
            let args =
                ["monitor", "--once", "--config", "monitor.toml", "--db", "g.db", "--now", now.as_str()];
            if kill_on == Some(d) {
                hold.store(true, Ordering::SeqCst);
                let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("govmedia"))
                    .args(args)
                    .current_dir(dir.path())
                    .stdout(std::process::Stdio::null())
                    .stderr(std::process::Stdio::null())
                    .spawn()
                    .unwrap();
                while !held.load(Ordering::SeqCst) {
                    assert!(
                        child.try_wait().unwrap().is_none(),
                        "day {d}: the monitor ended before delivering"
                    );
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                child.kill().unwrap();
                child.wait().unwrap();
            }
            let (code, out, err) = run(dir.path(), &args);
            assert_eq!(code, 0, "day {d}: {out}\n{err}");
            log.push_str(&out);
        }
        let bodies = bodies.lock().unwrap().clone();
        (alert_keys(&bodies), log, bodies.join("\n"))
    };
    let (undisturbed, log, sent) = run_days(None);
    let (killed, _, _) = run_days(Some(20));
    // Raised, escalated and resolved alike: silence stages, the collector lost and back.
    assert!(log.contains("采集源失效：wewe-rss"), "{log}");
    for rule in ["source.login_lost", "update.silence"] {
        assert!(sent.contains(rule), "{rule} was never sent");
    }
    assert!(sent.contains("\"resolved\""), "no alert was resolved");
    assert!(undisturbed.len() > 50, "{}", undisturbed.len());
    // Each day's round checks again only the accounts whose articles of the period changed.
    let remembered = log.matches("个账号的数据自上次评估以来未变，沿用其内容安全与分类检查结果").count();
    assert!(remembered >= 55, "{remembered} of 60 rounds reused the content outcomes\n{log}");
    let unique: std::collections::BTreeSet<&String> = killed.iter().collect();
    assert_eq!(unique.len(), killed.len(), "an alert was delivered twice");
    let (mut a, mut b) = (undisturbed.clone(), killed.clone());
    a.sort();
    b.sort();
    assert_eq!(a, b, "the killed run delivered other alerts than the undisturbed one");
}
