//! A DevTools Protocol connection of the test's own to the browser's page, for what needs
//! events (chromedriver's `goog/cdp/execute` only sends commands): intercepting requests with
//! `Fetch`, reading the console with `Log` and `Runtime`.
//!
//! chromedriver names the browser's debugging address in the session's capabilities; the
//! page's WebSocket is spoken here directly (text frames only), to need no WebSocket crate.
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use fantoccini::Client;
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::{mpsc, oneshot};

use crate::ensure;
use crate::support::Error;

type Pending = Arc<Mutex<HashMap<u64, oneshot::Sender<Value>>>>;

/// One DevTools session on the browser's first page. Cheap to clone; events go to whoever
/// took `events()`.
#[derive(Clone)]
pub struct DevTools {
    writer: Arc<tokio::sync::Mutex<OwnedWriteHalf>>,
    pending: Pending,
    next_id: Arc<std::sync::atomic::AtomicU64>,
}

impl DevTools {
    /// Connects to the page `browser` shows, and returns the connection and its events.
    pub async fn attach(
        browser: &Client,
    ) -> Result<(DevTools, mpsc::UnboundedReceiver<Value>), Error> {
        let address = browser
            .capabilities()
            .and_then(|c| c.get("goog:chromeOptions"))
            .and_then(|o| o.get("debuggerAddress"))
            .and_then(Value::as_str)
            .ok_or("chromedriver did not name the browser's debugging address")?
            .to_owned();
        let targets: Vec<Value> = serde_json::from_slice(&json_list(&address).await?)?;
        let socket = targets
            .iter()
            .find(|t| t["type"] == "page")
            .and_then(|t| t["webSocketDebuggerUrl"].as_str())
            .ok_or("no page target to attach to")?;
        let path = socket
            .strip_prefix("ws://")
            .and_then(|rest| rest.find('/').map(|slash| &rest[slash..]))
            .ok_or("unexpected DevTools WebSocket address")?;
        let mut stream = TcpStream::connect(address.as_str()).await?;
        let handshake = format!(
            "GET {path} HTTP/1.1\r\nHost: {address}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        );
        stream.write_all(handshake.as_bytes()).await?;
        let head = read_head(&mut stream).await?;
        ensure!(
            head.starts_with("HTTP/1.1 101"),
            "DevTools refused the WebSocket: {head}"
        );
        let (reader, writer) = stream.into_split();
        let pending: Pending = Arc::default();
        let (events_tx, events) = mpsc::unbounded_channel();
        tokio::spawn(read_messages(reader, pending.clone(), events_tx));
        let devtools = DevTools {
            writer: Arc::new(tokio::sync::Mutex::new(writer)),
            pending,
            next_id: Arc::default(),
        };
        Ok((devtools, events))
    }

    /// Sends a command and waits for its result.
    pub async fn call(&self, method: &str, params: Value) -> Result<Value, Error> {
        let id = self
            .next_id
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (done, answer) = oneshot::channel();
        self.pending.lock().expect("pending map").insert(id, done);
        let message = json!({ "id": id, "method": method, "params": params }).to_string();
        write_text_frame(&mut *self.writer.lock().await, message.as_bytes()).await?;
        let reply = tokio::time::timeout(std::time::Duration::from_secs(20), answer)
            .await
            .map_err(|_| format!("{method}: no answer from DevTools"))??;
        if let Some(error) = reply.get("error") {
            return Err(format!("{method} failed: {error}").into());
        }
        Ok(reply["result"].clone())
    }
}

/// The browser's list of targets (`/json/list`). Read by its length: the DevTools HTTP server
/// keeps the connection open.
async fn json_list(address: &str) -> Result<Vec<u8>, Error> {
    let mut stream = TcpStream::connect(address).await?;
    let request = format!("GET /json/list HTTP/1.1\r\nHost: {address}\r\n\r\n");
    stream.write_all(request.as_bytes()).await?;
    let head = read_head(&mut stream).await?.to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|n| n.trim().parse().ok())
        .ok_or("no Content-Length from DevTools")?;
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await?;
    Ok(body)
}

/// An HTTP response's head, up to the blank line.
async fn read_head(stream: &mut TcpStream) -> Result<String, Error> {
    let mut head = Vec::new();
    while !head.ends_with(b"\r\n\r\n") {
        head.push(stream.read_u8().await?);
    }
    Ok(String::from_utf8_lossy(&head).into_owned())
}

/// Routes each message: answers to their waiting command, events to the channel.
async fn read_messages(
    reader: OwnedReadHalf,
    pending: Pending,
    events: mpsc::UnboundedSender<Value>,
) {
    let mut reader = BufReader::new(reader);
    while let Ok(Some(text)) = read_text_message(&mut reader).await {
        let Ok(message) = serde_json::from_slice::<Value>(&text) else {
            continue;
        };
        match message.get("id").and_then(Value::as_u64) {
            Some(id) => {
                if let Some(done) = pending.lock().expect("pending map").remove(&id) {
                    let _ = done.send(message);
                }
            }
            None => {
                let _ = events.send(message);
            }
        }
    }
}

/// One client frame: final, text, masked (as a client must).
async fn write_text_frame(writer: &mut OwnedWriteHalf, payload: &[u8]) -> std::io::Result<()> {
    const MASK: [u8; 4] = [0x1f, 0x2e, 0x3d, 0x4c];
    let mut frame = vec![0x81];
    match payload.len() {
        n if n < 126 => frame.push(0x80 | n as u8),
        n if n <= usize::from(u16::MAX) => {
            frame.push(0x80 | 126);
            frame.extend_from_slice(&(n as u16).to_be_bytes());
        }
        n => {
            frame.push(0x80 | 127);
            frame.extend_from_slice(&(n as u64).to_be_bytes());
        }
    }
    frame.extend_from_slice(&MASK);
    frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ MASK[i % 4]));
    writer.write_all(&frame).await
}

/// The next whole text message (continuation frames joined), or `None` once closed.
async fn read_text_message(
    reader: &mut BufReader<OwnedReadHalf>,
) -> std::io::Result<Option<Vec<u8>>> {
    let mut message = Vec::new();
    loop {
        let first = reader.read_u8().await?;
        let second = reader.read_u8().await?;
        let length = match second & 0x7f {
            126 => u64::from(reader.read_u16().await?),
            127 => reader.read_u64().await?,
            n => u64::from(n),
        };
        let mask = if second & 0x80 != 0 {
            Some(reader.read_u32().await?.to_be_bytes())
        } else {
            None
        };
        let mut payload = vec![0; length as usize];
        reader.read_exact(&mut payload).await?;
        if let Some(mask) = mask {
            payload
                .iter_mut()
                .enumerate()
                .for_each(|(i, b)| *b ^= mask[i % 4]);
        }
        match first & 0x0f {
            0x8 => return Ok(None),
            0x9 | 0xa => continue,
            _ => message.extend_from_slice(&payload),
        }
        if first & 0x80 != 0 {
            return Ok(Some(message));
        }
    }
}
