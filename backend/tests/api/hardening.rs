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
    // The one inline loader script of the client is allowed by its hash.
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(b"boot()"));
    let res = app.client.get(app.url("/")).send().await.unwrap();
    let csp = res
        .headers()
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
}

#[tokio::test]
async fn client_routes_get_the_app_and_api_routes_never_do() {
    let app = spawn_app().await;
    for path in ["/", "/profile", "/admin/users", "/verify-email?token=abc"] {
        let res = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert!(res
            .headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert_eq!(res.headers().get("cache-control").unwrap(), "no-cache");
        assert_eq!(res.text().await.unwrap(), INDEX_HTML);
    }
    let res = app
        .client
        .get(app.url("/api/profile"))
        .send()
        .await
        .unwrap();
    assert_problem(res, 404, None).await;
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
