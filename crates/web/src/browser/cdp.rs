//! A Chrome DevTools Protocol connection: JSON commands and events over the browser's
//! WebSocket, every page session flattened onto it.
//!
//! govmedia sends a dozen commands (targets, emulation, request interception, evaluation,
//! screenshots), so they are written as JSON here rather than through bindings generated for
//! the whole protocol (issue #22: those took over two minutes of a two-core first build).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use async_tungstenite::tungstenite::Message;
use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};

/// An event of a page session (or of a frame or worker attached under it).
#[derive(Debug)]
pub(super) struct Event {
    /// Its place among all events of the connection, in the order the browser sent them
    /// (see [`Connection::events_so_far`]).
    pub seq: u64,
    /// The session the event came from: the page's or an attached child's.
    pub session: String,
    pub method: String,
    pub params: Value,
}

type Reply = oneshot::Sender<Result<Value, String>>;

struct Pending {
    reply: Reply,
    /// `Target.attachToTarget`: the new session's events are routed before the reply is
    /// delivered, so none is lost in between.
    attaches: bool,
}

#[derive(Default)]
struct Routes {
    pending: HashMap<u64, Pending>,
    /// Where each session's events go; child sessions share their page's channel.
    sessions: HashMap<String, mpsc::UnboundedSender<Event>>,
    /// Event receivers of attached sessions not yet claimed by [`Connection::events`].
    unclaimed: HashMap<String, mpsc::UnboundedReceiver<Event>>,
    /// Events received so far.
    seq: u64,
    closed: bool,
}

/// One WebSocket to the browser. Commands may be sent from many tasks at once.
pub(super) struct Connection {
    out: mpsc::UnboundedSender<Message>,
    routes: Arc<Mutex<Routes>>,
    next_id: AtomicU64,
    tasks: [tokio::task::JoinHandle<()>; 2],
}

impl Connection {
    /// Connects to the browser's DevTools WebSocket (`ws://127.0.0.1:PORT/devtools/browser/…`).
    pub async fn connect(ws: &str) -> Result<Self, String> {
        let (socket, _) = async_tungstenite::tokio::connect_async(ws).await.map_err(|e| e.to_string())?;
        let (mut sink, mut stream) = socket.split();
        let (out, mut outgoing) = mpsc::unbounded_channel::<Message>();
        let routes = Arc::new(Mutex::new(Routes::default()));
        let writer = tokio::spawn(async move {
            while let Some(msg) = outgoing.recv().await {
                if sink.send(msg).await.is_err() {
                    break;
                }
            }
        });
        let reader = tokio::spawn({
            let routes = routes.clone();
            async move {
                while let Some(Ok(msg)) = stream.next().await {
                    if let Message::Text(text) = msg
                        && let Ok(value) = serde_json::from_str::<Value>(&text)
                    {
                        dispatch(&routes, value);
                    }
                }
                // The browser is gone: every waiting command fails at once.
                let mut r = routes.lock().expect("routes lock");
                r.closed = true;
                r.pending.clear();
                r.sessions.clear();
            }
        });
        Ok(Connection { out, routes, next_id: AtomicU64::new(1), tasks: [writer, reader] })
    }

    /// Sends `method` with `params` (to `session`, or to the browser) and waits for the result.
    pub async fn call(&self, session: Option<&str>, method: &str, params: Value) -> Result<Value, String> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = Value::from(s);
        }
        let (reply, answer) = oneshot::channel();
        {
            let mut r = self.routes.lock().expect("routes lock");
            if r.closed {
                return Err("与浏览器的连接已断开".into());
            }
            r.pending.insert(id, Pending { reply, attaches: method == "Target.attachToTarget" });
        }
        if self.out.send(Message::text(msg.to_string())).is_err() {
            self.routes.lock().expect("routes lock").pending.remove(&id);
            return Err("与浏览器的连接已断开".into());
        }
        answer.await.map_err(|_| "与浏览器的连接已断开".to_owned())?
    }

    /// How many events have arrived. An event with a higher `seq` came after this call: a
    /// command sent now cannot be confused with events its replies already followed.
    pub fn events_so_far(&self) -> u64 {
        self.routes.lock().expect("routes lock").seq
    }

    /// The events of an attached page session and of every child attached under it. Called
    /// once per session.
    pub fn events(&self, session: &str) -> mpsc::UnboundedReceiver<Event> {
        let mut r = self.routes.lock().expect("routes lock");
        r.unclaimed.remove(session).unwrap_or_else(|| {
            let (tx, rx) = mpsc::unbounded_channel();
            r.sessions.insert(session.to_owned(), tx);
            rx
        })
    }

    /// Stops routing the events of a page session and its children.
    pub fn forget(&self, session: &str) {
        let mut r = self.routes.lock().expect("routes lock");
        if let Some(page) = r.sessions.remove(session) {
            r.sessions.retain(|_, tx| !tx.same_channel(&page));
        }
        r.unclaimed.remove(session);
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.tasks.iter().for_each(|t| t.abort());
    }
}

/// Hands a message from the browser to whoever waits for it.
fn dispatch(routes: &Mutex<Routes>, mut value: Value) {
    let mut r = routes.lock().expect("routes lock");
    if let Some(id) = value.get("id").and_then(Value::as_u64) {
        let Some(pending) = r.pending.remove(&id) else { return };
        let result = match value.get_mut("error") {
            Some(e) => Err(e.get("message").and_then(Value::as_str).unwrap_or("未知错误").to_owned()),
            None => Ok(value.get_mut("result").map(Value::take).unwrap_or(Value::Null)),
        };
        if pending.attaches
            && let Ok(res) = &result
            && let Some(session) = res.get("sessionId").and_then(Value::as_str)
        {
            let (tx, rx) = mpsc::unbounded_channel();
            r.sessions.insert(session.to_owned(), tx);
            r.unclaimed.insert(session.to_owned(), rx);
        }
        let _ = pending.reply.send(result);
        return;
    }
    let (Some(session), Some(method)) = (
        value.get("sessionId").and_then(Value::as_str).map(str::to_owned),
        value.get("method").and_then(Value::as_str).map(str::to_owned),
    ) else {
        return;
    };
    let params = value.get_mut("params").map(Value::take).unwrap_or(Value::Null);
    r.seq += 1;
    let seq = r.seq;
    let Some(tx) = r.sessions.get(&session).cloned() else { return };
    // A frame or worker auto-attached under a page reports to the page's channel.
    match method.as_str() {
        "Target.attachedToTarget" => {
            if let Some(child) = params.get("sessionId").and_then(Value::as_str) {
                r.sessions.insert(child.to_owned(), tx.clone());
            }
        }
        "Target.detachedFromTarget" => {
            if let Some(child) = params.get("sessionId").and_then(Value::as_str) {
                r.sessions.remove(child);
            }
        }
        _ => {}
    }
    let _ = tx.send(Event { seq, session, method, params });
}
