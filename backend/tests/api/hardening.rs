use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn client_mistakes_get_problems_never_500s() {
    let app = spawn_app().await;
    let post_raw = |ct: &'static str, body: Vec<u8>| {
        app.client
            .post(app.url("/api/auth/login"))
            .header("content-type", ct)
            .body(body)
            .send()
    };
    let malformed = post_raw("application/json", b"{\"email\": ".to_vec())
        .await
        .unwrap();
    assert_problem(malformed, 400, None).await;
    let not_json = post_raw("text/plain", b"{}".to_vec()).await.unwrap();
    assert_problem(not_json, 415, None).await;
    let huge = json!({"email": "a@b.nl", "password": "x".repeat(70 * 1024)}).to_string();
    let too_large = post_raw("application/json", huge.into_bytes())
        .await
        .unwrap();
    assert_problem(too_large, 413, None).await;
    let wrong_type = post_raw(
        "application/json",
        br#"{"email": 5, "password": []}"#.to_vec(),
    )
    .await
    .unwrap();
    let body = assert_problem(wrong_type, 400, None).await;
    assert!(body["detail"].as_str().unwrap().contains("invalid type"));

    let unknown = app
        .client
        .get(app.url("/api/no/such/thing"))
        .send()
        .await
        .unwrap();
    assert_problem(unknown, 404, None).await;
    let method = app
        .client
        .delete(app.url("/api/auth/login"))
        .send()
        .await
        .unwrap();
    assert_problem(method, 405, None).await;
}

#[tokio::test]
async fn every_response_carries_security_headers_and_a_strict_csp() {
    let app = spawn_app().await;
    for path in ["/", "/api/neighbourhoods", "/api/nope", "/healthz"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        let h = res.headers();
        let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
        assert!(csp.contains("'wasm-unsafe-eval'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!csp.contains("unsafe-inline"));
        assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
        assert_eq!(h.get("x-frame-options").unwrap(), "DENY");
        assert_eq!(h.get("referrer-policy").unwrap(), "no-referrer");
    }
    // The inline loader scripts of both clients are allowed by their hashes.
    use base64::Engine;
    use sha2::Digest;
    let res = app.client.get(app.url("/")).send().await.unwrap();
    let csp = res
        .headers()
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let hash =
        |body: &[u8]| base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(body));
    for script in [&b"boot()"[..], b"bootStaff()"] {
        assert!(csp.contains(&format!("'sha256-{}'", hash(script))), "{csp}");
    }
    // And the inlined style sheet, in style-src.
    let styles = csp
        .split(';')
        .find(|d| d.trim().starts_with("style-src"))
        .unwrap();
    assert!(
        styles.contains(&format!("'sha256-{}'", hash(b"main { margin: 0 }"))),
        "{csp}"
    );
}

#[tokio::test]
async fn client_routes_get_the_app_and_api_routes_never_do() {
    let app = spawn_app().await;
    let page = |path: &'static str| {
        let req = app.client.get(app.url(path));
        async move {
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            let h = |n: &str| res.headers().get(n).unwrap().to_str().unwrap().to_owned();
            assert!(h("content-type").starts_with("text/html"), "{path}");
            assert_eq!(h("cache-control"), "no-cache", "{path}");
            res.text().await.unwrap()
        }
    };
    // Participant pages get the participant client, staff pages the staff client.
    for path in [
        "/",
        "/profile",
        "/surveys/3",
        "/reports/new",
        "/verify-email?token=abc",
    ] {
        let body = page(path).await;
        assert!(
            body.contains("boot()") && !body.contains("bootStaff()"),
            "{path}"
        );
    }
    for path in [
        "/admin/users",
        "/dashboard",
        "/surveys/3/edit",
        "/queue?status=submitted",
    ] {
        assert!(page(path).await.contains("bootStaff()"), "{path}");
    }
    let res = app
        .client
        .get(app.url("/api/profile"))
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, None).await;

    // A build without the staff client still answers staff pages (with the
    // participant client, which says the page is not there) and starts.
    let app = spawn_app_with(|config| {
        std::fs::remove_file(config.static_dir.join("staff.html")).unwrap();
    })
    .await;
    let res = app.client.get(app.url("/dashboard")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.text().await.unwrap().contains("boot()"));
}

#[tokio::test]
async fn built_assets_go_out_precompressed_and_cached_for_good() {
    let app = spawn_app().await;
    let dist = app.data_dir.path().join("dist");
    let name = "frontend-0123456789abcdef_bg.wasm";
    std::fs::write(dist.join(name), b"the module").unwrap();
    std::fs::write(dist.join(format!("{name}.br")), b"brotli bytes").unwrap();
    std::fs::write(dist.join(format!("{name}.gz")), b"gzip bytes").unwrap();
    let get = |encoding: &'static str| {
        let req = app.client.get(app.url(&format!("/{name}")));
        async move {
            let res = req
                .header("accept-encoding", encoding)
                .send()
                .await
                .unwrap();
            let h = |n: &str| {
                res.headers()
                    .get(n)
                    .map(|v| v.to_str().unwrap().to_owned())
                    .unwrap_or_default()
            };
            let (ce, ct, cc) = (h("content-encoding"), h("content-type"), h("cache-control"));
            (ce, ct, cc, res.bytes().await.unwrap().to_vec())
        }
    };
    for (accept, encoding, body) in [
        ("gzip, deflate, br", "br", &b"brotli bytes"[..]),
        ("gzip;q=1.0", "gzip", b"gzip bytes"),
        ("identity", "", b"the module"),
    ] {
        let (ce, ct, cc, bytes) = get(accept).await;
        assert_eq!(
            (ce.as_str(), bytes.as_slice()),
            (encoding, body),
            "{accept}"
        );
        assert_eq!(ct, "application/wasm");
        assert_eq!(cc, "public, max-age=31536000, immutable");
    }
    // Not a file of the client: the app, as for any client route.
    for path in ["/signup", "/.hidden", "/..%2fCargo.toml"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        let body = res.text().await.unwrap();
        assert!(
            body.contains("boot()") && body.contains("id=\"shell\""),
            "{path}"
        );
    }
}

/// The first view the server writes into the page (`shared::shell`): in the
/// language the client will show, with the menu of a guest or of a
/// participant, and the page's heading.
#[tokio::test]
async fn pages_come_with_a_first_view_in_the_clients_language() {
    let app = spawn_app().await;
    let get = |path: &'static str, headers: &'static [(&'static str, &'static str)]| {
        let mut req = app.client.get(app.url(path));
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        async move {
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{path}");
            let vary = res.headers().get("vary").unwrap().to_str().unwrap();
            assert!(
                vary.contains("Cookie") && vary.contains("Accept-Language"),
                "{vary}"
            );
            let body = res.text().await.unwrap();
            // Once, before the end of the body, after the client's loader.
            assert_eq!(body.matches("id=\"shell\"").count(), 1, "{body}");
            assert!(body.find("boot").unwrap() < body.find("id=\"shell\"").unwrap());
            assert!(body.ends_with("</div></body></html>"), "{body}");
            body
        }
    };
    // No cookie, no language: Dutch, the guest's menu, the home page's lead.
    let home = get("/", &[]).await;
    assert!(home.contains("<html lang=\"nl\">"), "{home}");
    assert!(
        home.contains("<a href=\"/\" aria-current=\"page\">Start</a>"),
        "{home}"
    );
    assert!(home.contains("<a href=\"/signup\">Aanmelden</a>"), "{home}");
    assert!(home.contains(shared::shell::NL.home_lead), "{home}");
    assert!(
        !home.contains("<button"),
        "nothing would answer a button: {home}"
    );
    // The browser's language, then the client's remembered choice.
    let english = get("/signup", &[("accept-language", "en-GB,en;q=0.9")]).await;
    assert!(english.contains("<html lang=\"en\">"), "{english}");
    assert!(english.contains("<h1>Sign up</h1>"), "{english}");
    assert!(english.contains(shared::shell::EN.signup_lead), "{english}");
    let chosen = get(
        "/signup",
        &[("accept-language", "en-GB"), ("cookie", "wv_lang=nl")],
    )
    .await;
    assert!(chosen.contains("<h1>Aanmelden</h1>"), "{chosen}");
    // A participant's session: their menu and the "logged in as" line the
    // client draws under it; the report page's heading.
    let report = get(
        "/reports/new",
        &[("cookie", "wv_session=participant; wv_lang=en")],
    )
    .await;
    assert!(report.contains("<h1>File a report</h1>"), "{report}");
    assert!(
        report.contains("<a href=\"/reports/new\" aria-current=\"page\">Report</a>"),
        "{report}"
    );
    assert!(
        report.contains("<a href=\"/reports\">My reports</a>"),
        "{report}"
    );
    assert!(
        !report.contains("/signup") && !report.contains("/queue"),
        "{report}"
    );
    assert!(
        report.contains(
            "</ul><p class=\"role-badge\">Logged in as <strong>participant</strong></p></nav>"
        ),
        "{report}"
    );
    // A coordinator on a staff page: the coordinator's menu and line.
    let staff = get("/dashboard", &[("cookie", "wv_session=coordinator")]).await;
    assert!(staff.contains("bootStaff()"), "{staff}");
    assert!(
        staff.contains("<a href=\"/dashboard\" aria-current=\"page\">Dashboard</a>")
            && staff.contains("<a href=\"/neighbourhoods\">Wijken</a>")
            && !staff.contains("/admin/users")
            && !staff.contains("/reports/new"),
        "{staff}"
    );
    assert!(
        staff.contains("Ingelogd als <strong>coördinator</strong>"),
        "{staff}"
    );
    assert!(staff.contains("Bezig met laden"), "{staff}");
    // A marker from before it held the role (or any other value): the
    // participant's menu on their pages without the line, no menu on a
    // staff page, whose menu depends on the role.
    const OTHER: [&[(&str, &str)]; 2] = [
        &[("cookie", "wv_session=1")],
        &[("cookie", "wv_session=not-a-role")],
    ];
    for marker in OTHER {
        let old = get("/reports", marker).await;
        assert!(
            old.contains("<a href=\"/reports/new\">Melden</a>") && !old.contains("role-badge"),
            "{old}"
        );
        let old_staff = get("/queue", marker).await;
        assert!(!old_staff.contains("<nav"), "{old_staff}");
        assert!(!old.contains("not-a-role") && !old_staff.contains("not-a-role"));
    }
    // No session on a staff page: no menu either (the client sends the
    // visitor to log in).
    let guest_staff = get("/queue", &[]).await;
    assert!(!guest_staff.contains("<nav"), "{guest_staff}");
    let detail = get("/surveys/3", &[]).await;
    assert!(!detail.contains("<h1>"), "{detail}");
}

#[tokio::test]
async fn health_and_readiness() {
    let app = spawn_app().await;
    let res = app.client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["status"],
        "ready"
    );
}

#[tokio::test]
async fn neighbourhoods_are_public_and_seeded() {
    let app = spawn_app().await;
    let list: Vec<serde_json::Value> = app
        .client
        .get(app.url("/api/neighbourhoods"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.len(), 12);
    assert!(list
        .iter()
        .any(|n| n["name"] == "Selwerd" && n["id"].is_number()));
}

/// Tokens that were tampered with, expired, signed with another key or with
/// `alg: none` are refused with 401, never accepted and never a 500.
#[tokio::test]
async fn forged_and_expired_tokens_are_refused() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
    use base64::Engine;
    use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};

    let app = spawn_app().await;
    let user = app.quick_user("p@example.nl", "participant", Some("resident"), Some(1));
    let admin_only = "/api/admin/users";
    assert_eq!(app.get_auth("/api/me", &user.token).await.status(), 200);
    assert_eq!(app.get_auth(admin_only, &user.token).await.status(), 403);

    let now = chrono::Utc::now().timestamp();
    let claims = |role: &str, exp: i64, aud: &str| {
        json!({
            "sub": user.user_id.to_string(), "sid": "test-session", "role": role,
            "iat": now, "exp": exp, "iss": "wijkveilig", "aud": aud,
        })
    };
    let sign = |c: &serde_json::Value, secret: &[u8], alg: Algorithm| {
        encode(&Header::new(alg), c, &EncodingKey::from_secret(secret)).unwrap()
    };
    let right = JWT_SECRET.as_bytes();

    // The payload says admin, the signature is the participant's.
    let parts: Vec<&str> = user.token.split('.').collect();
    let mut payload: serde_json::Value =
        serde_json::from_slice(&B64.decode(parts[1]).unwrap()).unwrap();
    payload["role"] = json!("admin");
    payload["sub"] = json!("1");
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        B64.encode(payload.to_string()),
        parts[2]
    );
    // alg: none, no signature.
    let none_header = B64.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let unsigned = format!(
        "{none_header}.{}.",
        B64.encode(claims("admin", now + 600, "wijkveilig-api").to_string())
    );
    let forged = [
        ("tampered payload", tampered),
        ("alg none", unsigned),
        (
            "another key",
            sign(
                &claims("admin", now + 600, "wijkveilig-api"),
                b"some other secret of enough length",
                Algorithm::HS256,
            ),
        ),
        (
            "expired",
            sign(
                &claims("participant", now - 600, "wijkveilig-api"),
                right,
                Algorithm::HS256,
            ),
        ),
        (
            "other audience",
            sign(
                &claims("participant", now + 600, "elsewhere"),
                right,
                Algorithm::HS256,
            ),
        ),
        (
            "other algorithm",
            sign(
                &claims("participant", now + 600, "wijkveilig-api"),
                right,
                Algorithm::HS512,
            ),
        ),
        ("garbage", "not.a.token".to_owned()),
        ("empty", String::new()),
    ];
    for (what, token) in forged {
        for path in ["/api/me", admin_only] {
            let res = app.get_auth(path, &token).await;
            assert_eq!(res.status(), 401, "{what} on {path}");
            assert_problem(res, 401, None).await;
        }
    }
    // A well-formed token for an account that does not exist is no better.
    let ghost = json!({
        "sub": "999999", "sid": "x", "role": "admin", "iat": now, "exp": now + 600,
        "iss": "wijkveilig", "aud": "wijkveilig-api",
    });
    let res = app
        .get_auth(admin_only, &sign(&ghost, right, Algorithm::HS256))
        .await;
    assert_eq!(res.status(), 401);
}

/// Deeply nested or oversized JSON is refused up front and leaves the server
/// serving.
#[tokio::test]
async fn hostile_json_is_refused_without_harm() {
    let app = spawn_app().await;
    let user = app.quick_user("p@example.nl", "participant", Some("resident"), Some(1));
    let post = |body: String| {
        app.client
            .post(app.url("/api/teams"))
            .bearer_auth(&user.token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_problem(post(deep).await.unwrap(), 413, None).await;
    let nested = format!("{{\"name\": {}1{}}}", "[".repeat(5_000), "]".repeat(5_000));
    assert_problem(post(nested).await.unwrap(), 400, None).await;
    let many_keys = format!(
        "{{{}\"name\": \"x\"}}",
        (0..3000)
            .map(|i| format!("\"k{i}\": 1, "))
            .collect::<String>()
    );
    assert_problem(post(many_keys).await.unwrap(), 400, None).await;
    let long_text =
        json!({"name": "x".repeat(60_000), "area": "Oost", "contact": "06"}).to_string();
    assert_problem(post(long_text).await.unwrap(), 422, Some("name")).await;
    assert_eq!(count_teams(&app), 0);
    assert_eq!(app.get_auth("/api/me", &user.token).await.status(), 200);
}

fn count_teams(app: &TestApp) -> i64 {
    use backend::db::schema::teams;
    use diesel::prelude::*;
    teams::table.count().get_result(&mut app.conn()).unwrap()
}

/// The request gate (`backend/src/gate.rs`) with one place: requests whose
/// bodies are still on their way hold none, so a client that sends slowly
/// (here, never) keeps no one else waiting; each of the others is answered.
#[tokio::test]
async fn a_slow_body_holds_no_place_at_the_request_gate() {
    use tokio::io::AsyncWriteExt;

    let app = spawn_app_with(|c| c.max_in_flight = 1).await;
    let s = app.signup("anna@example.nl").await;
    let addr = app.address.trim_start_matches("http://").to_owned();
    let mut slow = Vec::new();
    // A profile change (reads the account beside its body), a filing and a
    // photo upload (up to 8 MB), with a valid token and a body that never
    // comes; and a chunked one that stops after a few bytes.
    for (request, framing) in [
        ("PATCH /api/me", "Content-Length: 100"),
        ("POST /api/reports", "Content-Length: 100"),
        ("POST /api/reports/1/photos", "Content-Length: 5000000"),
        ("PATCH /api/me", "Transfer-Encoding: chunked"),
    ] {
        let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let head = format!(
            "{request} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/json\r\n{framing}\r\n\r\n",
            s.token
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let start = if framing.contains("chunked") {
            "2\r\n{\"\r\n"
        } else {
            "{\""
        };
        stream.write_all(start.as_bytes()).await.unwrap();
        slow.push(stream);
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    for _ in 0..3 {
        let res = tokio::time::timeout(
            std::time::Duration::from_secs(3),
            app.get_auth("/api/reports?mine=true", &s.token),
        )
        .await
        .expect("answered while the slow bodies are pending");
        assert_eq!(res.status(), StatusCode::OK);
    }
    drop(slow);
}
