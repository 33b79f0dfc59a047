//! The Chromium process: started in a process group of its own, killed with the whole group
//! on every exit path, and watched for memory.
//!
//! - govmedia killed (SIGTERM, SIGKILL, a panic that aborts): the browser's main process has
//!   a parent-death signal (SIGKILL), tied to a thread that lives as long as the browser; its
//!   helper processes exit when the main process is gone.
//! - a session closed or dropped (errors, panics that unwind): the group is killed.
//! - a page that makes the browser grow beyond [`MAX_MEMORY_BYTES`] (all its processes
//!   together): the group is killed and the render fails with a Chinese reason.
//! - the browser gone for any reason: every later render fails at once with a reason, never
//!   waits for an answer that cannot come.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rustix::process::{Pid, Signal};

use crate::WebError;

/// The most memory (proportional set size, all processes of the browser) a session may use.
pub const MAX_MEMORY_BYTES: u64 = 2 << 30;
const WATCH_EVERY: Duration = Duration::from_millis(250);

pub(super) struct Chromium {
    pgid: Pid,
    exited: Arc<AtomicBool>,
    over_memory: Arc<AtomicBool>,
    watchdog: tokio::task::JoinHandle<()>,
}

impl Chromium {
    /// Starts `exe` with `args` and returns it with its DevTools WebSocket address.
    pub(super) async fn start(
        exe: &Path,
        args: &[String],
        timeout: Duration,
    ) -> Result<(Self, String), WebError> {
        let fail = |e: String| WebError::Other(format!("无法启动浏览器：{e}"));
        let (tx, rx) = tokio::sync::oneshot::channel::<Result<(u32, String), String>>();
        let exited = Arc::new(AtomicBool::new(false));
        let (exe, args, done) = (exe.to_owned(), args.to_vec(), exited.clone());
        // The thread that starts the browser is its parent for the parent-death signal: it
        // lives exactly as long as the browser (it waits for it), and dies only with govmedia.
        std::thread::spawn(move || {
            let mut cmd = Command::new(&exe);
            cmd.args(&args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
            std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
            let parent = rustix::process::getpid();
            // SAFETY: only async-signal-safe system calls (prctl, getppid) run between fork
            // and exec.
            unsafe {
                std::os::unix::process::CommandExt::pre_exec(&mut cmd, move || {
                    rustix::process::set_parent_process_death_signal(Some(Signal::KILL))?;
                    // The parent may have died before the signal was armed.
                    if rustix::process::getppid() != Some(parent) {
                        return Err(std::io::Error::other("parent exited"));
                    }
                    Ok(())
                });
            }
            let mut child = match cmd.spawn() {
                Ok(c) => c,
                Err(e) => {
                    let _ = tx.send(Err(e.to_string()));
                    return;
                }
            };
            let stderr = child.stderr.take().expect("piped");
            let pid = child.id();
            let mut tx = Some(tx);
            // Read stderr until the DevTools address appears, then keep draining it (a full
            // pipe would stall the browser).
            let reader = std::thread::spawn(move || {
                let mut tail = String::new();
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    if let Some(ws) = line.rsplit_once("listening on ").map(|(_, w)| w.trim())
                        && ws.starts_with("ws")
                        && let Some(tx) = tx.take()
                    {
                        let _ = tx.send(Ok((pid, ws.to_owned())));
                    } else if tx.is_some() && tail.len() < 4096 {
                        tail.push_str(&line);
                        tail.push('\n');
                    }
                }
                if let Some(tx) = tx.take() {
                    let _ = tx.send(Err(format!("浏览器未给出调试地址即退出：{}", tail.trim())));
                }
            });
            let _ = child.wait();
            done.store(true, Ordering::SeqCst);
            let _ = reader.join();
        });
        let (pid, ws) = match tokio::time::timeout(timeout, rx).await {
            Ok(Ok(Ok(started))) => started,
            Ok(Ok(Err(e))) => return Err(fail(e)),
            Ok(Err(_)) => return Err(fail("启动线程异常退出".into())),
            Err(_) => return Err(fail(format!("{} 秒内未就绪", timeout.as_secs()))),
        };
        let pgid = Pid::from_raw(pid as i32).expect("a child's pid is positive");
        let over_memory = Arc::new(AtomicBool::new(false));
        let watchdog = tokio::spawn(watch(pgid, over_memory.clone()));
        Ok((Chromium { pgid, exited, over_memory, watchdog }, ws))
    }

    pub(super) fn pgid(&self) -> u32 {
        self.pgid.as_raw_nonzero().get() as u32
    }

    /// An error when the browser is gone: killed by the watchdog for its memory, or exited.
    pub(super) fn check_alive(&self) -> Result<(), String> {
        if self.over_memory.load(Ordering::SeqCst) {
            Err(format!("浏览器内存超过 {} MB 上限，已终止（页面过大或恶意页面）", MAX_MEMORY_BYTES >> 20))
        } else if self.exited.load(Ordering::SeqCst) {
            Err("浏览器进程已意外退出".into())
        } else {
            Ok(())
        }
    }

    /// Waits up to `limit` for the browser's main process to exit.
    pub(super) async fn wait_exit(&self, limit: Duration) {
        let start = std::time::Instant::now();
        while !self.exited.load(Ordering::SeqCst) && start.elapsed() < limit {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        self.watchdog.abort();
        let _ = rustix::process::kill_process_group(self.pgid, Signal::KILL);
    }
}

/// Kills the group when its memory passes [`MAX_MEMORY_BYTES`].
async fn watch(pgid: Pid, over: Arc<AtomicBool>) {
    loop {
        tokio::time::sleep(WATCH_EVERY).await;
        match group_memory(pgid.as_raw_nonzero().get() as u32) {
            Some(bytes) if bytes > MAX_MEMORY_BYTES => {
                over.store(true, Ordering::SeqCst);
                let _ = rustix::process::kill_process_group(pgid, Signal::KILL);
                return;
            }
            Some(_) => {}
            None => return,
        }
    }
}

/// The memory of every process in the group `pgid` together (from /proc); none when the group
/// is gone. Each process counts its proportional set size (shared pages divided among the
/// processes that map them): Chromium's processes share most of their code, and summing their
/// resident sizes would count it once per process and kill a browser that is not large.
pub fn group_memory(pgid: u32) -> Option<u64> {
    let mut total = 0;
    let mut members = 0;
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().filter(|n| n.bytes().all(|b| b.is_ascii_digit())) else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        // Fields after the command name (which may hold spaces and parentheses).
        let Some((_, rest)) = stat.rsplit_once(')') else { continue };
        let fields: Vec<&str> = rest.split_whitespace().collect();
        // state ppid pgrp …; rss (in pages) is field 24 of the line, 22 after the name.
        if fields.get(2).and_then(|g| g.parse::<u32>().ok()) != Some(pgid) {
            continue;
        }
        members += 1;
        let rss = || fields.get(21).and_then(|r| r.parse::<u64>().ok()).unwrap_or(0) * 4096;
        total += pss(pid).unwrap_or_else(rss);
    }
    (members > 0).then_some(total)
}

/// The proportional set size of `pid` in bytes (none where the kernel has no smaps_rollup).
fn pss(pid: &str) -> Option<u64> {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let kb = rollup.lines().find_map(|l| l.strip_prefix("Pss:"))?.trim().strip_suffix("kB")?;
    kb.trim().parse::<u64>().ok().map(|kb| kb * 1024)
}
