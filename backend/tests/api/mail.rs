//! Mail leaves the building over SMTP: a small SMTP sink in the test stands in
//! for the mail server, so the real transport (lettre) is exercised end to end.

use std::sync::{Arc, Mutex};

use backend::config::Secret;
use reqwest::Method;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::helpers::*;

/// Accepts SMTP sessions and keeps every message's envelope recipient and data.
struct SmtpSink {
    port: u16,
    messages: Arc<Mutex<Vec<(String, String)>>>,
}

impl SmtpSink {
    async fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let messages = Arc::new(Mutex::new(Vec::new()));
        let store = messages.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, store.clone()));
            }
        });
        SmtpSink { port, messages }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    async fn wait_for(&self, count: usize) -> Vec<(String, String)> {
        for _ in 0..250 {
            let got = self.messages.lock().unwrap().clone();
            if got.len() >= count {
                return got;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("the SMTP sink received fewer than {count} messages");
    }
}

async fn session(stream: tokio::net::TcpStream, store: Arc<Mutex<Vec<(String, String)>>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read).lines();
    let _ = write.write_all(b"220 sink.test ESMTP\r\n").await;
    let mut rcpt = String::new();
    while let Ok(Some(line)) = lines.next_line().await {
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" | "HELO" => b"250 sink.test\r\n",
            "MAIL" | "RSET" | "NOOP" => b"250 OK\r\n",
            "RCPT" => {
                rcpt = line[8..].trim().trim_matches(['<', '>']).to_owned();
                b"250 OK\r\n"
            }
            "DATA" => {
                let _ = write.write_all(b"354 End with <CRLF>.<CRLF>\r\n").await;
                let mut data = String::new();
                while let Ok(Some(l)) = lines.next_line().await {
                    if l == "." {
                        break;
                    }
                    data.push_str(&l);
                    data.push('\n');
                }
                store.lock().unwrap().push((rcpt.clone(), data));
                b"250 Queued\r\n"
            }
            "QUIT" => {
                let _ = write.write_all(b"221 Bye\r\n").await;
                return;
            }
            _ => b"502 Not implemented\r\n",
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}

async fn coordinator(app: &TestApp, email: &str) -> Session {
    use backend::db::schema::users;
    use diesel::prelude::*;
    let s = app.signup(email).await;
    diesel::update(users::table.find(s.user_id))
        .set(users::role.eq("coordinator"))
        .execute(&mut app.conn())
        .unwrap();
    s
}

async fn file_report(app: &TestApp, s: &Session, contact_ok: bool) -> Value {
    let cats: Vec<Value> = app
        .client
        .get(app.url("/api/report-categories"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let body = json!({
        "category_id": cats[0]["id"],
        "description": "Harde muziek en geschreeuw tot vier uur 's nachts",
        "occurred_at": (chrono::Utc::now() - chrono::Duration::hours(3)).to_rfc3339(),
        "neighbourhood_id": 9,
        "address": "Oude Ebbingestraat 1",
        "anonymous_to_partners": false,
        "contact_ok": contact_ok,
    });
    let res = app
        .send_auth(Method::POST, "/api/reports", &s.token, &body)
        .await;
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

async fn triage(app: &TestApp, s: &Session, id: i64) {
    let res = app
        .send_auth(
            Method::POST,
            &format!("/api/reports/{id}/transitions"),
            &s.token,
            &json!({"to": "triaged", "public_note": "We kijken ernaar.", "internal_note": "Geheim intern"}),
        )
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn status_changes_are_mailed_over_smtp_to_reporters_who_agreed() {
    let sink = SmtpSink::start().await;
    let url = sink.url();
    let app = spawn_app_with(|c| c.smtp_url = Some(Secret::new(url))).await;
    let coord = coordinator(&app, "coord@gemeente.test").await;
    // Sign-up sends a verification mail over SMTP too; wait for it first.
    let anna = app.signup("anna@example.nl").await;
    let bert = app.signup("bert@example.nl").await;
    let before = sink.wait_for(3).await.len();

    let report = file_report(&app, &anna, true).await;
    let silent = file_report(&app, &bert, false).await;
    triage(&app, &coord, report["id"].as_i64().unwrap()).await;
    triage(&app, &coord, silent["id"].as_i64().unwrap()).await;

    let got = sink.wait_for(before + 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let got_after = sink.messages.lock().unwrap().clone();
    assert_eq!(
        got_after.len(),
        got.len(),
        "only the reporter who agreed gets mail"
    );
    let (to, data) = got.last().unwrap();
    assert_eq!(to, "anna@example.nl");
    let reference = report["reference"].as_str().unwrap();
    assert!(data.contains(reference), "{data}");
    assert!(data.contains("We kijken ernaar."), "{data}");
    assert!(
        !data.contains("Geheim intern"),
        "internal notes never leave"
    );

    // The outbox records the delivery.
    let mut sent = Vec::new();
    for _ in 0..100 {
        sent = app.outbox("anna@example.nl");
        if sent.iter().all(|m| m.status == "sent") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(sent.len(), 2, "verification and status change");
    assert!(sent
        .iter()
        .all(|m| m.status == "sent" && m.sent_at.is_some()));
    assert!(
        app.outbox("bert@example.nl").len() == 1,
        "only the verification mail"
    );
}

#[tokio::test]
async fn an_unreachable_mail_server_fails_the_mail_not_the_request() {
    // A port that nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app =
        spawn_app_with(|c| c.smtp_url = Some(Secret::new(format!("smtp://127.0.0.1:{port}"))))
            .await;
    let coord = coordinator(&app, "coord@gemeente.test").await;
    let anna = app.signup("anna@example.nl").await;
    let report = file_report(&app, &anna, true).await;
    triage(&app, &coord, report["id"].as_i64().unwrap()).await;
    let mut statuses = Vec::new();
    for _ in 0..250 {
        statuses = app
            .outbox("anna@example.nl")
            .into_iter()
            .map(|m| m.status)
            .collect::<Vec<_>>();
        if statuses.len() == 2 && statuses.iter().all(|s| s == "failed") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(statuses, ["failed", "failed"]);
}
