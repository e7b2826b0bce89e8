//! HTTP/1.1 on the wire: reading a request head and body (content length or chunked, with
//! limits and timeouts) and writing a whole response in one write.

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    sync::atomic::{AtomicBool, Ordering},
    time::{Duration, Instant},
};

use crate::rpc::constants::MAX_BODY_BYTES;

/// How long a keep-alive connection may stay idle between requests.
const IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// How long reading one request (headers and body) may take once it has started.
pub(super) const READ_TIMEOUT: Duration = Duration::from_secs(30);
/// Largest request head (request line and headers).
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// One parsed request.
pub(super) struct Head {
    pub method: String,
    pub path: String,
    pub content_length: Option<usize>,
    pub chunked: bool,
    pub expect_continue: bool,
    pub keep_alive: bool,
}

/// Waits, at most `IDLE_TIMEOUT`, for the next request's first byte; `false` when the client
/// closed, stayed idle, or the server is stopping (checked every second, so that a stop never
/// waits for idle connections).
pub(super) fn wait_for_request(
    reader: &mut BufReader<TcpStream>,
    stream: &TcpStream,
    stop: &AtomicBool,
) -> bool {
    let idle_since = Instant::now();
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    loop {
        match reader.fill_buf() {
            Ok(bytes) => return !bytes.is_empty(),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                if stop.load(Ordering::SeqCst) || idle_since.elapsed() >= IDLE_TIMEOUT {
                    return false;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}

/// Reads a request head; `Ok(None)` when the client closed between requests.
pub(super) fn read_head(
    reader: &mut BufReader<TcpStream>,
    stream: &TcpStream,
) -> Result<Option<Head>, u16> {
    // Once a request has started, it must arrive in full within READ_TIMEOUT.
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let mut lines = Vec::new();
    let mut total = 0;
    loop {
        let mut line = Vec::new();
        let n = match reader
            .by_ref()
            .take((MAX_HEAD_BYTES - total + 1) as u64)
            .read_until(b'\n', &mut line)
        {
            Ok(n) => n,
            Err(_) if lines.is_empty() => return Ok(None),
            Err(_) => return Err(408),
        };
        if n == 0 {
            return if lines.is_empty() { Ok(None) } else { Err(400) };
        }
        total += n;
        if total > MAX_HEAD_BYTES {
            return Err(431);
        }
        let text = String::from_utf8_lossy(&line).trim_end_matches(['\r', '\n']).to_string();
        if text.is_empty() {
            if lines.is_empty() {
                continue; // a stray CRLF between requests
            }
            break;
        }
        lines.push(text);
    }
    let mut parts = lines[0].split_whitespace();
    let (Some(method), Some(path), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    let mut head = Head {
        method: method.to_ascii_uppercase(),
        path: path.to_string(),
        content_length: None,
        chunked: false,
        expect_continue: false,
        keep_alive: version.eq_ignore_ascii_case("HTTP/1.1"),
    };
    for line in &lines[1..] {
        let Some((name, value)) = line.split_once(':') else { return Err(400) };
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim());
        match name.as_str() {
            "content-length" => head.content_length = Some(value.parse().map_err(|_| 400u16)?),
            "transfer-encoding" => head.chunked = value.to_ascii_lowercase().contains("chunked"),
            "expect" => head.expect_continue = value.eq_ignore_ascii_case("100-continue"),
            "connection" => {
                let v = value.to_ascii_lowercase();
                if v.contains("close") {
                    head.keep_alive = false;
                } else if v.contains("keep-alive") {
                    head.keep_alive = true;
                }
            }
            _ => {}
        }
    }
    Ok(Some(head))
}

pub(super) enum BodyError {
    TooLarge,
    Io,
}

pub(super) fn read_body(
    reader: &mut BufReader<TcpStream>,
    head: &Head,
) -> Result<Vec<u8>, BodyError> {
    let mut body = Vec::new();
    if head.chunked {
        loop {
            let mut size_line = Vec::new();
            reader
                .by_ref()
                .take(1024)
                .read_until(b'\n', &mut size_line)
                .map_err(|_| BodyError::Io)?;
            let text = String::from_utf8_lossy(&size_line);
            let size =
                usize::from_str_radix(text.trim().split(';').next().unwrap_or("").trim(), 16)
                    .map_err(|_| BodyError::Io)?;
            if size == 0 {
                // Trailers, up to the empty line.
                loop {
                    let mut line = Vec::new();
                    let n = reader
                        .by_ref()
                        .take(8 * 1024)
                        .read_until(b'\n', &mut line)
                        .map_err(|_| BodyError::Io)?;
                    if n == 0 || line == b"\r\n" || line == b"\n" {
                        return Ok(body);
                    }
                }
            }
            if body.len() + size > MAX_BODY_BYTES {
                return Err(BodyError::TooLarge);
            }
            let start = body.len();
            body.resize(start + size, 0);
            reader.read_exact(&mut body[start..]).map_err(|_| BodyError::Io)?;
            let mut crlf = [0u8; 2];
            reader.read_exact(&mut crlf).map_err(|_| BodyError::Io)?;
        }
    }
    let length = head.content_length.unwrap_or(0);
    if length > MAX_BODY_BYTES {
        return Err(BodyError::TooLarge);
    }
    body.resize(length, 0);
    reader.read_exact(&mut body).map_err(|_| BodyError::Io)?;
    Ok(body)
}

pub(super) fn discard_body(
    reader: &mut BufReader<TcpStream>,
    head: &Head,
) -> Result<(), BodyError> {
    read_body(reader, head).map(|_| ())
}

/// Writes a whole response in one write, with the CORS headers.
pub(super) fn write_response(
    mut stream: &TcpStream,
    status: u16,
    content_type: &str,
    body: &[u8],
    keep_alive: bool,
) -> std::io::Result<()> {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Payload Too Large",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    };
    let mut out = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: POST, GET, OPTIONS\r\n\
         Access-Control-Allow-Headers: content-type, solana-client\r\nConnection: {}\r\n\r\n",
        body.len(),
        if keep_alive { "keep-alive" } else { "close" },
    )
    .into_bytes();
    out.extend_from_slice(body);
    stream.write_all(&out)?;
    stream.flush()
}
