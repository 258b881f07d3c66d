use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

#[tokio::test]
async fn me_needs_a_valid_token() {
    let app = spawn_app().await;
    let s = app.signup("anna@example.nl").await;
    let none = app.client.get(app.url("/api/me")).send().await.unwrap();
    assert_eq!(none.headers().get("www-authenticate").unwrap(), "Bearer");
    assert_problem(none, 401, None).await;
    assert_problem(app.get_auth("/api/me", "garbage").await, 401, None).await;

    // Signed with another key, expired, or with another audience: all refused.
    use jsonwebtoken::{encode, EncodingKey, Header};
    let now = chrono::Utc::now().timestamp();
    let claims = |exp: i64, aud: &str| {
        json!({"sub": s.user_id.to_string(), "sid": "x", "role": "admin", "iat": now, "exp": exp,
               "iss": "wijkveilig", "aud": aud})
    };
    let other_key = encode(
        &Header::default(),
        &claims(now + 600, "wijkveilig-api"),
        &EncodingKey::from_secret(b"another secret of enough length...."),
    )
    .unwrap();
    let expired = encode(
        &Header::default(),
        &claims(now - 600, "wijkveilig-api"),
        &EncodingKey::from_secret(JWT_SECRET.as_bytes()),
    )
    .unwrap();
    let wrong_aud = encode(
        &Header::default(),
        &claims(now + 600, "elsewhere"),
        &EncodingKey::from_secret(JWT_SECRET.as_bytes()),
    )
    .unwrap();
    let unsigned = {
        use base64::Engine;
        let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.",
            e.encode(r#"{"alg":"none","typ":"JWT"}"#),
            e.encode(claims(now + 600, "wijkveilig-api").to_string())
        )
    };
    for token in [other_key, expired, wrong_aud, unsigned] {
        assert_problem(app.get_auth("/api/me", &token).await, 401, None).await;
    }
}

#[tokio::test]
async fn profile_changes_are_validated_and_saved() {
    let app = spawn_app().await;
    let s = app.signup("anna@example.nl").await;
    let res = app
        .send_auth(
            Method::PATCH,
            "/api/me",
            &s.token,
            &json!({"display_name": " Anna V ", "neighbourhood_id": 2, "language": "en"}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let me: Value = res.json().await.unwrap();
    assert_eq!(me["display_name"], "Anna V");
    assert_eq!(me["neighbourhood_id"], 2);
    assert_eq!(me["language"], "en");

    let bad = app
        .send_auth(
            Method::PATCH,
            "/api/me",
            &s.token,
            &json!({"neighbourhood_id": 777}),
        )
        .await;
    assert_problem(bad, 422, Some("neighbourhood_id")).await;
    let bad = app
        .send_auth(
            Method::PATCH,
            "/api/me",
            &s.token,
            &json!({"display_name": "x".repeat(61)}),
        )
        .await;
    assert_problem(bad, 422, Some("display_name")).await;
    let bad = app
        .send_auth(
            Method::PATCH,
            "/api/me",
            &s.token,
            &json!({"role": "admin"}),
        )
        .await;
    assert_problem(bad, 400, None).await;
    let bad = app
        .send_auth(
            Method::PATCH,
            "/api/me",
            &s.token,
            &json!({"language": "de"}),
        )
        .await;
    assert_problem(bad, 400, None).await;

    let me: Value = app
        .get_auth("/api/me", &s.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        me["display_name"], "Anna V",
        "failed requests change nothing"
    );
    assert_eq!(me["role"], "participant");
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions() {
    let app = spawn_app().await;
    let here = app.signup("anna@example.nl").await;
    let elsewhere = app.login_session("anna@example.nl", PASSWORD).await;

    let wrong = app
        .send_auth(Method::POST, "/api/me/password", &here.token, &json!({"current_password": "not it at all", "new_password": "een nieuw lang wachtwoord"}))
        .await;
    assert_problem(wrong, 422, Some("current_password")).await;
    let weak = app
        .send_auth(
            Method::POST,
            "/api/me/password",
            &here.token,
            &json!({"current_password": PASSWORD, "new_password": "qwertyuiop"}),
        )
        .await;
    assert_problem(weak, 422, Some("new_password")).await;

    let ok = app
        .send_auth(
            Method::POST,
            "/api/me/password",
            &here.token,
            &json!({"current_password": PASSWORD, "new_password": "een nieuw lang wachtwoord"}),
        )
        .await;
    assert_eq!(ok.status(), 204);
    assert_problem(app.refresh(&elsewhere.client).await, 401, None).await;
    assert_eq!(
        app.refresh(&here.client).await.status(),
        200,
        "this session stays"
    );
    assert_eq!(
        app.login("anna@example.nl", "een nieuw lang wachtwoord")
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn verification_mail_can_be_sent_again_until_verified() {
    let app = spawn_app().await;
    let s = app.signup("anna@example.nl").await;
    let res = app
        .send_auth(
            Method::POST,
            "/api/me/verification-email",
            &s.token,
            &json!({}),
        )
        .await;
    assert_eq!(res.status(), 202);
    let mails = app.outbox("anna@example.nl");
    assert_eq!(mails.len(), 2);
    let token = token_in(&mails[1]);
    app.post(
        &app.client,
        "/api/auth/verify-email",
        &json!({"token": token}),
    )
    .await;
    let again = app
        .send_auth(
            Method::POST,
            "/api/me/verification-email",
            &s.token,
            &json!({}),
        )
        .await;
    assert_problem(again, 409, None).await;
}

#[tokio::test]
async fn a_student_confirms_an_institution_address_and_only_its_domain_is_kept() {
    let app = spawn_app().await;
    let s = app.signup("anna@gmail.test").await;
    let bad = app
        .send_auth(
            Method::POST,
            "/api/me/student-verification",
            &s.token,
            &json!({"email": "anna@uni.example"}),
        )
        .await;
    assert_problem(bad, 422, Some("email")).await;

    let ok = app
        .send_auth(
            Method::POST,
            "/api/me/student-verification",
            &s.token,
            &json!({"email": "a.devries@st.hanze.nl"}),
        )
        .await;
    assert_eq!(ok.status(), 202);
    let token = token_in(&app.outbox("a.devries@st.hanze.nl")[0]);
    let res = app
        .post(
            &app.client,
            "/api/auth/verify-email",
            &json!({"token": token}),
        )
        .await;
    assert_eq!(res.status(), 200);
    let me: Value = app
        .get_auth("/api/me", &s.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["verified_student"], true);
    assert_eq!(
        me["email_verified"], false,
        "the account address itself is not yet confirmed"
    );

    use backend::db::schema::users;
    use diesel::prelude::*;
    let domain: Option<String> = users::table
        .select(users::student_domain)
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(domain.as_deref(), Some("st.hanze.nl"));

    let mut body = signup_body("bert@example.nl");
    body["group"] = json!("resident");
    let resident = app.signup_with(body).await;
    let res = app
        .send_auth(
            Method::POST,
            "/api/me/student-verification",
            &resident.token,
            &json!({"email": "bert@st.hanze.nl"}),
        )
        .await;
    assert_problem(res, 409, None).await;
}
