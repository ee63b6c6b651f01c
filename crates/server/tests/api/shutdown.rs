//! Graceful shutdown of the real binary: on SIGTERM (and SIGINT) it stops accepting at once,
//! lets a request already in flight finish, closes the pool and exits 0; a request that does
//! not finish within `--shutdown-grace-seconds` does not keep it alive.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The server binary in development mode with demo data; returns the child and its address.
fn start(grace_seconds: u64) -> (Child, String, BufReader<std::process::ChildStdout>) {
    let data = crate::common::temp_dir("shutdown");
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args([
            "--port",
            "0",
            "--dev-outbox",
            "--seed-demo",
            "--insecure-cookies",
        ])
        .arg("--shutdown-grace-seconds")
        .arg(grace_seconds.to_string())
        .arg("--data-dir")
        .arg(&data)
        .arg("--dist-dir")
        .arg(crate::common::fake_dist())
        .env_remove("DATABASE_URL")
        .env("PORTAL_ARGON2_MEMORY_KIB", "1024")
        .env("PORTAL_ARGON2_ITERATIONS", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run the server binary");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    let addr = loop {
        line.clear();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "server exited early"
        );
        if let Some(url) = line.trim().strip_prefix("listening on http://") {
            break url.to_owned();
        }
    };
    (child, addr, stdout)
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// Waits for the process to exit (a watchdog ends a hung server so the test fails instead).
fn exit_status(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server did not exit after the signal");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Polls until a new connection is refused: the listener is closed.
fn until_refused(addr: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while TcpStream::connect(addr).is_ok() {
        assert!(Instant::now() < deadline, "still accepting connections");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A connection that has already been served once (so it is accepted and owned by the
/// server), now sending the headers and half the body of a password sign-in.
fn half_sent_sign_in(addr: &str) -> (TcpStream, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(stream, "GET /api/health HTTP/1.1\r\nHost: test\r\n\r\n").unwrap();
    let first = read_one_response(&mut stream);
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");
    let body = format!(
        r#"{{"phone":"13800000001","password":"{}"}}"#,
        server::seed::DEMO_PASSWORD
    )
    .into_bytes();
    write!(
        stream,
        "POST /api/v1/auth/password-sign-in HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    let half = body.len() / 2;
    stream.write_all(&body[..half]).unwrap();
    stream.flush().unwrap();
    (stream, body[half..].to_vec())
}

/// Reads exactly one response (headers, then a Content-Length or chunked body) off a
/// keep-alive connection.
fn read_one_response(stream: &mut TcpStream) -> String {
    let mut data = Vec::new();
    let mut byte = [0u8; 1];
    while !data.ends_with(b"\r\n\r\n") {
        assert_eq!(
            stream.read(&mut byte).unwrap(),
            1,
            "connection closed early"
        );
        data.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&data).to_ascii_lowercase();
    let length = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map(|v| v.trim().parse::<usize>().unwrap());
    match length {
        Some(length) => {
            let mut body = vec![0u8; length];
            stream.read_exact(&mut body).unwrap();
            data.extend(body);
        }
        None => {
            while !data.ends_with(b"0\r\n\r\n") {
                assert_eq!(
                    stream.read(&mut byte).unwrap(),
                    1,
                    "connection closed early"
                );
                data.push(byte[0]);
            }
        }
    }
    String::from_utf8_lossy(&data).into_owned()
}

fn check_in_flight_request_finishes(signal_name: &str) {
    let (mut child, addr, mut stdout) = start(30);
    let (mut stream, rest) = half_sent_sign_in(&addr);
    // Let the server read the headers: the request is now in flight.
    std::thread::sleep(Duration::from_millis(300));

    signal(&child, signal_name);
    until_refused(&addr);
    assert!(
        child.try_wait().unwrap().is_none(),
        "exited with a request in flight"
    );

    stream.write_all(&rest).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("csrf_token"), "{response}");

    assert!(exit_status(&mut child).success());
    let mut rest_of_stdout = String::new();
    stdout.read_to_string(&mut rest_of_stdout).unwrap();
    assert!(rest_of_stdout.contains("stopped"), "{rest_of_stdout}");
}

#[test]
fn sigterm_lets_the_request_in_flight_finish_refuses_new_connections_and_exits_0() {
    check_in_flight_request_finishes("TERM");
}

#[test]
fn sigint_stops_the_same_way() {
    check_in_flight_request_finishes("INT");
}

#[test]
fn a_request_that_outlives_the_grace_period_does_not_keep_the_server_alive() {
    let (mut child, addr, _stdout) = start(1);
    let (_stream, _never_sent) = half_sent_sign_in(&addr);
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, "TERM");
    assert!(exit_status(&mut child).success());
}
