//! Two instances on one database, as a load balancer sees them: sessions,
//! data and rate limits are shared; migrations and the purge are safe when
//! both run them at once.

use reqwest::Method;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn two_instances_share_sessions_data_and_limits() {
    let (a, b) = spawn_twins().await;
    for app in [&a, &b] {
        let res = app.client.get(app.url("/readyz")).send().await.unwrap();
        assert_eq!(res.status(), 200);
    }

    // A session made on A is valid on B, and B rotates its refresh token.
    let anna = a.signup("anna@example.nl").await;
    let me = ok_json(b.get_auth("/api/me", &anna.token).await, 200).await;
    assert_eq!(me["email"], "anna@example.nl");
    let refreshed = anna
        .client
        .post(b.url("/api/auth/refresh"))
        .send()
        .await
        .unwrap();
    assert_eq!(refreshed.status(), 200);
    // And the rotated refresh cookie works on A.
    let again = anna
        .client
        .post(a.url("/api/auth/refresh"))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);
    let login = a.login_session("anna@example.nl", PASSWORD).await;

    // A report filed on A is listed by B.
    let cat = category_id(&a, "noise").await;
    let report = ok_json(
        a.send_auth(
            Method::POST,
            "/api/reports",
            &login.token,
            &json!({
                "category_id": cat,
                "description": "Harde muziek tot diep in de nacht",
                "occurred_at": (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339(),
                "neighbourhood_id": 1,
            }),
        )
        .await,
        201,
    )
    .await;
    let mine = ok_json(
        b.get_auth("/api/reports?mine=true", &login.token).await,
        200,
    )
    .await;
    assert_eq!(mine["items"][0]["id"], report["id"]);

    // Login attempts for one account count across both instances (10 per 15
    // minutes; the successful login above was the first).
    let mut statuses = Vec::new();
    for i in 0..12 {
        let app = if i % 2 == 0 { &a } else { &b };
        let res = app.login("anna@example.nl", "wrong password!").await;
        statuses.push(res.status().as_u16());
    }
    assert!(statuses[..9].iter().all(|s| *s == 401), "{statuses:?}");
    assert!(statuses[9..].iter().all(|s| *s == 429), "{statuses:?}");

    // Both instances purging at the same moment: one does the work, neither fails.
    let url = a.database_url.clone();
    let kind = a.kind;
    let purges: Vec<_> = (0..2)
        .map(|_| {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut conn = backend::db::establish(&url, kind).unwrap();
                let photos =
                    backend::storage::DirStore::new(std::env::temp_dir().join("wv-purge-photos"))
                        .unwrap();
                backend::privacy::purge(
                    &mut conn,
                    &photos,
                    backend::db::models::now(),
                    false,
                    &mut |_, _| {},
                )
            })
        })
        .collect();
    for p in purges {
        let outcome = p.join().unwrap();
        assert!(outcome.is_ok(), "{outcome:?}");
    }
    assert_eq!(b.get_auth("/api/me", &login.token).await.status(), 200);
}
