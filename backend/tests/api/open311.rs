use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

async fn setup() -> (TestApp, Session, Session, String) {
    let app = spawn_app().await;
    let admin = app.admin().await;
    let anna = app.signup("anna@example.nl").await;
    let res = app
        .send_auth(
            Method::POST,
            "/api/admin/api-keys",
            &admin.token,
            &json!({"name": "Buitenbeter"}),
        )
        .await;
    assert_eq!(res.status(), 201);
    let key = res.json::<Value>().await.unwrap()["key"]
        .as_str()
        .unwrap()
        .to_owned();
    (app, admin, anna, key)
}

async fn file(app: &TestApp, s: &Session, code: &str, lat: f64, lon: f64) -> Value {
    let cats: Vec<Value> = app
        .client
        .get(app.url("/api/report-categories"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = cats.iter().find(|c| c["code"] == code).unwrap()["id"].clone();
    let body = json!({
        "category_id": id, "description": "Geluidsoverlast van de buren, Anna woont hier",
        "occurred_at": chrono::Utc::now().to_rfc3339(), "neighbourhood_id": 3,
        "location": {"lat": lat, "lon": lon}, "address": "Kerklaan 1",
    });
    let res = app
        .send_auth(Method::POST, "/api/reports", &s.token, &body)
        .await;
    assert_eq!(res.status(), 201);
    res.json().await.unwrap()
}

#[tokio::test]
async fn discovery_and_services_list_nuisance_only() {
    let (app, ..) = setup().await;
    let d: Value = app
        .client
        .get(app.url("/open311/v2/discovery.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        d["endpoints"][0]["specification"],
        "http://wiki.open311.org/GeoReport_v2"
    );
    let services: Vec<Value> = app
        .client
        .get(app.url("/open311/v2/services.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(services.len(), 8);
    assert!(services.iter().all(|s| s["service_code"].is_string()
        && s["service_name"].is_string()
        && s["type"] == "realtime"));
    assert!(!services.iter().any(|s| s["service_code"] == "home"));
    let def: Value = app
        .client
        .get(app.url("/open311/v2/services/noise.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(def["attributes"][0]["code"], "neighbourhood_id");
    let missing = app
        .client
        .get(app.url("/open311/v2/services/home.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body[0]["code"], 404);
    assert!(body[0]["description"].is_string());
}

#[tokio::test]
async fn the_public_feed_has_no_personal_data_no_burglary_and_coarse_locations() {
    let (app, _, anna, _) = setup().await;
    let noise = file(&app, &anna, "noise", 53.234567, 6.543219).await;
    file(&app, &anna, "home", 53.2, 6.5).await;
    let text = app
        .client
        .get(app.url("/open311/v2/requests.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let list: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(list.len(), 1, "burglary never appears: {text}");
    let r = &list[0];
    assert_eq!(r["service_request_id"], noise["reference"]);
    assert_eq!(r["status"], "open");
    assert_eq!(r["service_code"], "noise");
    assert_eq!(r["lat"], 53.235);
    assert_eq!(r["long"], 6.543);
    for secret in ["Anna", "Kerklaan", "anna@example.nl", "53.234567"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    let one: Vec<Value> = app
        .client
        .get(app.url(&format!(
            "/open311/v2/requests/{}.json",
            noise["reference"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(one[0]["service_request_id"], noise["reference"]);

    for (q, n) in [
        ("status=open", 1),
        ("status=closed", 0),
        ("service_code=noise", 1),
        (
            "start_date=2020-01-01T00:00:00Z&end_date=2020-12-31T00:00:00Z",
            0,
        ),
    ] {
        let v: Vec<Value> = app
            .client
            .get(app.url(&format!("/open311/v2/requests.json?{q}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(v.len(), n, "{q}");
    }
    let by_id: Vec<Value> = app
        .client
        .get(app.url(&format!(
            "/open311/v2/requests.json?service_request_id={}",
            noise["reference"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(by_id.len(), 1);
    for (q, status) in [
        ("status=lost", 400),
        ("start_date=yesterday", 400),
        ("service_code=nope", 404),
        ("service_request_id=123", 400),
    ] {
        let res = app
            .client
            .get(app.url(&format!("/open311/v2/requests.json?{q}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), status, "{q}");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body[0]["code"], status);
    }
    let burglary_ref = app
        .client
        .get(app.url("/open311/v2/requests/WV-2026-000002.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(burglary_ref.status(), 404);
}

#[tokio::test]
async fn posting_a_request_needs_a_valid_key_and_valid_fields() {
    let (app, admin, _, key) = setup().await;
    let post = |form: Vec<(&'static str, String)>| {
        let request = app
            .client
            .post(app.url("/open311/v2/requests.json"))
            .form(&form);
        async move { request.send().await.unwrap() }
    };
    let good = |key: &str| {
        vec![
            ("api_key", key.to_owned()),
            ("service_code", "litter".to_owned()),
            ("lat", "53.22".to_owned()),
            ("long", "6.56".to_owned()),
            ("description", "Volle afvalbak bij het park".to_owned()),
            ("attribute[neighbourhood_id]", "4".to_owned()),
        ]
    };
    assert_eq!(post(good("wrong")).await.status(), 403);
    let res = post(good(&key)).await;
    assert_eq!(res.status(), 201);
    let created: Vec<Value> = res.json().await.unwrap();
    let reference = created[0]["service_request_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let one: Vec<Value> = app
        .client
        .get(app.url(&format!("/open311/v2/requests/{reference}.json")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(one[0]["service_code"], "litter");

    let mut bad = good(&key);
    bad[1].1 = "home".into();
    assert_eq!(
        post(bad).await.status(),
        404,
        "burglary cannot be filed over Open311"
    );
    let mut bad = good(&key);
    bad[2].1 = "52.0".into();
    assert_eq!(post(bad).await.status(), 400);
    let mut bad = good(&key);
    bad[4].1 = "kort".into();
    assert_eq!(post(bad).await.status(), 400);
    let mut bad = good(&key);
    bad.remove(5);
    assert_eq!(post(bad).await.status(), 400);

    // A revoked key no longer works.
    let keys: Vec<Value> = app
        .get_auth("/api/admin/api-keys", &admin.token)
        .await
        .json()
        .await
        .unwrap();
    assert!(keys[0].get("key").is_none(), "the key is shown once only");
    let id = keys[0]["id"].as_i64().unwrap();
    let res = app
        .send_auth(
            Method::DELETE,
            &format!("/api/admin/api-keys/{id}"),
            &admin.token,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 204);
    assert_eq!(post(good(&key)).await.status(), 403);
}
