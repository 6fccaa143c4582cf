//! JSON-RPC messages over stdio: `Content-Length` framing, read on a thread
//! of its own, with bounds.
//!
//! why: lsp-server's own stdio transport allocates whatever `Content-Length`
//! says (one header line could ask for exabytes) and ends the connection on
//! the first body that is not a valid message. Here a header line is at most
//! [`MAX_HEADER_LINE`] bytes and a body at most [`MAX_MESSAGE_BYTES`]; a body
//! over the limit is skipped unread, and one that is not a JSON-RPC message
//! is logged and skipped: the framing still says where the next one starts.
//! Only a broken frame (no `Content-Length`, a header line too long) ends
//! the connection, since nothing says where the next message starts.

use std::io::{self, BufRead, Read, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use lsp_server::Message;

/// The largest message body read: a document of 8 MiB (the most designgate
/// lints) escaped as JSON fits several times over.
pub(super) const MAX_MESSAGE_BYTES: usize = 64 << 20;

/// The longest header line accepted.
pub(super) const MAX_HEADER_LINE: u64 = 8 << 10;

/// Messages waiting for the server, at most: past that the reader waits,
/// and so, through the pipe, does the client.
const QUEUE: usize = 64;

/// What reading one frame gave.
#[derive(Debug)]
pub(super) enum Frame {
    Message(Message),
    /// A frame whose body is not a message, or too large: why, for the log.
    Skipped(String),
}

/// Reads one frame. `Ok(None)` at the end of the input; an error when the
/// input is no longer framed (or cannot be read).
pub(super) fn read_frame(r: &mut impl BufRead) -> io::Result<Option<Frame>> {
    let mut length = None;
    let mut first = true;
    loop {
        let mut line = Vec::new();
        r.by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)?;
        if line.is_empty() && first {
            return Ok(None);
        }
        first = false;
        let Some(line) = line.strip_suffix(b"\r\n") else {
            return Err(broken(if line.len() as u64 >= MAX_HEADER_LINE {
                "a header line longer than 8 KiB"
            } else {
                "a header line that does not end with CRLF"
            }));
        };
        if line.is_empty() {
            break;
        }
        let line = String::from_utf8_lossy(line);
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| broken("a header line without `:`"))?;
        if name.trim().eq_ignore_ascii_case("content-length") {
            let n = value
                .trim()
                .parse::<u64>()
                .map_err(|_| broken("a Content-Length that is not a number"))?;
            length = Some(n);
        }
    }
    let length = length.ok_or_else(|| broken("a message without Content-Length"))?;
    if length > MAX_MESSAGE_BYTES as u64 {
        let skipped = io::copy(&mut r.by_ref().take(length), &mut io::sink())?;
        if skipped < length {
            return Ok(None);
        }
        return Ok(Some(Frame::Skipped(format!(
            "skipped a message of {length} bytes: designgate reads messages of up to {MAX_MESSAGE_BYTES} bytes"
        ))));
    }
    let mut body = Vec::new();
    r.by_ref().take(length).read_to_end(&mut body)?;
    if (body.len() as u64) < length {
        return Ok(None);
    }
    Ok(Some(match serde_json::from_slice::<Message>(&body) {
        Ok(message) => Frame::Message(message),
        Err(e) => Frame::Skipped(format!("skipped a message that is not JSON-RPC: {e}")),
    }))
}

fn broken(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("the client sent {what}; the connection cannot go on"),
    )
}

/// Writes one message, framed, and flushes.
pub(super) fn write_message(w: &mut dyn Write, message: &Message) -> io::Result<()> {
    let body = serde_json::to_vec(&JsonRpc {
        jsonrpc: "2.0",
        message,
    })?;
    write!(w, "Content-Length: {}\r\n\r\n", body.len())?;
    w.write_all(&body)?;
    w.flush()
}

#[derive(serde::Serialize)]
struct JsonRpc<'a> {
    jsonrpc: &'static str,
    #[serde(flatten)]
    message: &'a Message,
}

/// Reads stdin on a thread of its own. The receiver ends (disconnects) at
/// the end of the input, after an `exit` notification, or when the framing
/// breaks; every skipped frame and the reason for ending go to `log`.
pub(super) fn spawn_reader(log: fn(&str)) -> Receiver<Message> {
    let (tx, rx) = sync_channel(QUEUE);
    let spawned = std::thread::Builder::new()
        .name("designgate-lsp-reader".to_owned())
        .spawn(move || read_all(&mut io::stdin().lock(), &tx, log));
    if let Err(e) = spawned {
        log(&format!("cannot start the reader thread: {e}"));
    }
    rx
}

fn read_all(input: &mut impl BufRead, tx: &SyncSender<Message>, log: fn(&str)) {
    loop {
        match read_frame(input) {
            Ok(None) => return,
            Ok(Some(Frame::Skipped(why))) => log(&why),
            Ok(Some(Frame::Message(message))) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if tx.send(message).is_err() || exit {
                    return;
                }
            }
            Err(e) => {
                log(&format!("reading stdin: {e}"));
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<String> {
        let mut r = io::BufReader::new(input);
        let mut out = Vec::new();
        loop {
            match read_frame(&mut r) {
                Ok(None) => break,
                Ok(Some(Frame::Message(Message::Notification(n)))) => out.push(n.method),
                Ok(Some(Frame::Message(m))) => out.push(format!("{m:?}")),
                Ok(Some(Frame::Skipped(why))) => out.push(format!("skipped: {why}")),
                Err(e) => {
                    out.push(format!("error: {e}"));
                    break;
                }
            }
        }
        out
    }

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn bad_bodies_are_skipped_and_reading_goes_on() {
        let input = [
            frame(r#"{"jsonrpc":"2.0","method":"a"}"#),
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","method":5}"#),
            format!(
                "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n{}",
                frame(r#"{"jsonrpc":"2.0","method":"b"}"#)
            ),
        ]
        .concat();
        let got = frames(input.as_bytes());
        assert_eq!(got[0], "a");
        assert!(got[1].starts_with("skipped: skipped a message that is not JSON-RPC"));
        assert!(got[2].starts_with("skipped:"));
        assert_eq!(got[3], "b");
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn a_huge_length_is_not_allocated() {
        let input = format!(
            "Content-Length: 18446744073709551615\r\n\r\n{}",
            "x".repeat(10)
        );
        // The body is shorter than announced: the input ended.
        assert!(frames(input.as_bytes()).is_empty());
        let big = MAX_MESSAGE_BYTES + 1;
        let mut input = format!("Content-Length: {big}\r\n\r\n").into_bytes();
        input.resize(input.len() + big, b' ');
        input.extend(frame(r#"{"jsonrpc":"2.0","method":"after"}"#).bytes());
        let got = frames(&input);
        assert!(
            got[0].contains("designgate reads messages of up to"),
            "{got:?}"
        );
        assert_eq!(got[1], "after");
    }

    #[test]
    fn broken_framing_ends_the_connection() {
        for input in [
            "Content-Length: 5\n\n{}".to_owned(),
            "\r\n{}".to_owned(),
            "Content-Length: five\r\n\r\n".to_owned(),
            format!("X: {}\r\n", "y".repeat(10_000)),
        ] {
            let got = frames(input.as_bytes());
            assert_eq!(got.len(), 1, "{input:?}: {got:?}");
            assert!(got[0].starts_with("error: the client sent"), "{got:?}");
        }
    }

    #[test]
    fn written_messages_read_back() {
        let message = Message::Notification(lsp_server::Notification::new(
            "window/logMessage".to_owned(),
            serde_json::json!({"type": 3, "message": "é"}),
        ));
        let mut out = Vec::new();
        write_message(&mut out, &message).unwrap();
        assert!(out.starts_with(b"Content-Length: "));
        assert_eq!(frames(&out), ["window/logMessage"]);
    }
}
