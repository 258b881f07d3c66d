//! Surveys end to end: building, audience, answering once, results with
//! suppression, before/after, CSV, and the role matrix.

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::*;

fn survey_body(groups: &[&str]) -> Value {
    let now = chrono::Utc::now();
    json!({
        "title_nl": "Veiligheid rond de campus",
        "title_en": "Safety around campus",
        "intro_nl": "Vijf vragen, twee minuten.",
        "intro_en": "Five questions, two minutes.",
        "groups": groups,
        "opens_at": (now - chrono::Duration::hours(1)).to_rfc3339(),
        "closes_at": (now + chrono::Duration::days(14)).to_rfc3339(),
        "anonymous": false,
        "questions": [
            {"kind": "single_choice", "text_nl": "Woon je op kamers?", "text_en": "Do you rent a room?", "required": true,
             "settings": {"options": [{"nl": "Ja", "en": "Yes"}, {"nl": "Nee", "en": "No"}]}},
            {"kind": "multiple_choice", "text_nl": "Wat merk je?", "text_en": "What do you notice?", "required": false,
             "settings": {"options": [{"nl": "Geluid", "en": "Noise"}, {"nl": "Afval", "en": "Litter"}, {"nl": "Fietsen", "en": "Bikes"}],
                          "min_selections": 1, "max_selections": 2}},
            {"kind": "likert", "text_nl": "Hoe veilig voel je je?", "text_en": "How safe do you feel?", "required": true,
             "settings": {"points": 5, "low_label": {"nl": "Onveilig", "en": "Unsafe"}, "high_label": {"nl": "Veilig", "en": "Safe"}}},
            {"kind": "free_text", "text_nl": "Wat kan beter?", "text_en": "What could be better?", "required": false,
             "settings": {"max_length": 50}},
            {"kind": "number", "text_nl": "Hoeveel jaar woon je hier?", "text_en": "How many years have you lived here?", "required": false,
             "settings": {"min": 0, "max": 80}},
        ]
    })
}

async fn create(app: &TestApp, s: &Session, body: &Value) -> Value {
    let res = app
        .send_auth(Method::POST, "/api/surveys", &s.token, body)
        .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    res.json().await.unwrap()
}

async fn post(app: &TestApp, s: &Session, path: &str, body: &Value) -> reqwest::Response {
    app.send_auth(Method::POST, path, &s.token, body).await
}

async fn published(app: &TestApp, coord: &Session, body: &Value) -> (i64, Vec<i64>) {
    let v = create(app, coord, body).await;
    let id = v["id"].as_i64().unwrap();
    let res = post(
        app,
        coord,
        &format!("/api/surveys/{id}/publish"),
        &json!({}),
    )
    .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let qids = v["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    (id, qids)
}

fn answers(q: &[i64], single: u32, likert: u32, text: &str) -> Value {
    json!({"answers": [
        {"question_id": q[0], "choice": single},
        {"question_id": q[1], "choices": [0, 2]},
        {"question_id": q[2], "value": likert},
        {"question_id": q[3], "text": text},
        {"question_id": q[4], "value": 3},
    ]})
}

fn count(app: &TestApp, table: &str) -> i64 {
    #[derive(QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
        .get_result::<N>(&mut app.conn())
        .unwrap()
        .n
}

#[tokio::test]
async fn coordinators_build_publish_close_and_copy_surveys() {
    let app = spawn_app().await;
    let coord = app.quick_user("coord@gemeente.test", "coordinator", None, None);
    let v = create(&app, &coord, &survey_body(&["student"])).await;
    assert_eq!(v["status"], "draft");
    assert_eq!(v["questions"].as_array().unwrap().len(), 5);
    assert_eq!(v["questions"][1]["settings"]["max_selections"], 2);
    let id = v["id"].as_i64().unwrap();
    let key0 = v["questions"][0]["key"].as_str().unwrap().to_owned();

    // Edit the draft: reorder (keys travel with the questions) and drop one.
    let mut input = survey_body(&["student", "resident"]);
    let mut qs: Vec<Value> = v["questions"].as_array().unwrap().clone();
    qs.swap(0, 2);
    qs.pop();
    for q in qs.iter_mut() {
        let o = q.as_object_mut().unwrap();
        o.remove("id");
        o.remove("position");
    }
    input["questions"] = json!(qs);
    input["neighbourhood_ids"] = json!([1, 2]);
    let res = app
        .send_auth(
            Method::PUT,
            &format!("/api/surveys/{id}"),
            &coord.token,
            &input,
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let edited: Value = res.json().await.unwrap();
    assert_eq!(edited["questions"].as_array().unwrap().len(), 4);
    assert_eq!(edited["questions"][2]["key"], key0.as_str());
    assert_eq!(edited["questions"][2]["position"], 3);
    assert_eq!(edited["groups"], json!(["resident", "student"]));
    assert_eq!(edited["neighbourhood_ids"], json!([1, 2]));

    // Closing a draft is a conflict; publishing works once.
    assert_problem(
        post(
            &app,
            &coord,
            &format!("/api/surveys/{id}/close"),
            &json!({}),
        )
        .await,
        409,
        None,
    )
    .await;
    assert_eq!(
        post(
            &app,
            &coord,
            &format!("/api/surveys/{id}/publish"),
            &json!({})
        )
        .await
        .status(),
        200
    );
    assert_problem(
        post(
            &app,
            &coord,
            &format!("/api/surveys/{id}/publish"),
            &json!({}),
        )
        .await,
        409,
        None,
    )
    .await;
    let closed: Value = post(
        &app,
        &coord,
        &format!("/api/surveys/{id}/close"),
        &json!({}),
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["is_open"], false);
    let res = app
        .send_auth(
            Method::PUT,
            &format!("/api/surveys/{id}"),
            &coord.token,
            &input,
        )
        .await;
    assert_problem(res, 409, None).await;

    // Copy as a follow-up: a new draft, same question keys, the source as baseline.
    let res = post(
        &app,
        &coord,
        &format!("/api/surveys/{id}/copy"),
        &json!({"as_follow_up": true}),
    )
    .await;
    assert_eq!(res.status(), 201);
    let copy: Value = res.json().await.unwrap();
    assert_eq!(copy["status"], "draft");
    assert_eq!(copy["baseline_id"], id);
    assert!(copy["title_nl"].as_str().unwrap().ends_with("(kopie)"));
    let keys = |v: &Value| -> Vec<String> {
        v["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["key"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(keys(&copy), keys(&edited));
    // A plain copy without a body has no baseline.
    let plain: Value = app
        .client
        .post(app.url(&format!("/api/surveys/{id}/copy")))
        .bearer_auth(&coord.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(plain["baseline_id"], Value::Null);
    assert_problem(
        post(
            &app,
            &coord,
            &format!("/api/surveys/{id}/copy"),
            &json!({"follow": true}),
        )
        .await,
        400,
        None,
    )
    .await;

    let list: Value = app
        .get_auth("/api/surveys", &coord.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 3);
    let drafts: Value = app
        .get_auth("/api/surveys?status=draft", &coord.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(drafts["total"], 2);

    // Publishing needs questions and a closing time ahead.
    let mut empty = survey_body(&["student"]);
    empty["questions"] = json!([]);
    let e = create(&app, &coord, &empty).await;
    assert_problem(
        post(
            &app,
            &coord,
            &format!("/api/surveys/{}/publish", e["id"]),
            &json!({}),
        )
        .await,
        422,
        Some("questions"),
    )
    .await;
}

#[tokio::test]
async fn bad_surveys_are_refused_field_by_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    let coord = app.quick_user("coord@gemeente.test", "coordinator", None, None);
    type Change = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(Change, &str)> = vec![
        (Box::new(|b| b["title_nl"] = json!("x")), "title_nl"),
        (Box::new(|b| b["groups"] = json!([])), "groups"),
        (
            Box::new(|b| b["closes_at"] = b["opens_at"].clone()),
            "closes_at",
        ),
        (
            Box::new(|b| b["neighbourhood_ids"] = json!([999])),
            "neighbourhood_ids",
        ),
        (Box::new(|b| b["baseline_id"] = json!(999)), "baseline_id"),
        (
            Box::new(|b| {
                b["questions"][0]["settings"]["options"] = json!([{"nl": "Ja", "en": "Yes"}])
            }),
            "questions[0].settings.options",
        ),
        (
            Box::new(|b| b["questions"][1]["settings"]["max_selections"] = json!(4)),
            "questions[1].settings.max_selections",
        ),
        (
            Box::new(|b| b["questions"][2]["settings"]["points"] = json!(6)),
            "questions[2].settings.points",
        ),
        (
            Box::new(|b| b["questions"][3]["settings"]["max_length"] = json!(0)),
            "questions[3].settings.max_length",
        ),
        (
            Box::new(|b| b["questions"][4]["settings"]["min"] = json!(100)),
            "questions[4].settings.max",
        ),
        (
            Box::new(|b| b["questions"][4]["text_en"] = json!("")),
            "questions[4].text_en",
        ),
        (
            Box::new(|b| b["questions"][0]["key"] = json!("NOT OK")),
            "questions[0].key",
        ),
    ];
    for (change, field) in cases {
        let mut body = survey_body(&["student"]);
        change(&mut body);
        let res = app
            .send_auth(Method::POST, "/api/surveys", &coord.token, &body)
            .await;
        assert_problem(res, 422, Some(field)).await;
    }
    // Unknown kind or field: 400.
    let mut body = survey_body(&["student"]);
    body["questions"][0]["kind"] = json!("essay");
    assert_problem(
        app.send_auth(Method::POST, "/api/surveys", &coord.token, &body)
            .await,
        400,
        None,
    )
    .await;
    let mut body = survey_body(&["student"]);
    body["owner"] = json!(1);
    assert_problem(
        app.send_auth(Method::POST, "/api/surveys", &coord.token, &body)
            .await,
        400,
        None,
    )
    .await;
    assert_eq!(count(&app, "surveys"), 0);
    assert_eq!(count(&app, "survey_questions"), 0);
}

#[tokio::test]
async fn participants_see_and_answer_only_surveys_for_their_audience_once() {
    let app = spawn_app().await;
    let coord = app.quick_user("coord@gemeente.test", "coordinator", None, None);
    let student = app.quick_user("s@example.nl", "participant", Some("student"), Some(1));
    let elsewhere = app.quick_user("s2@example.nl", "participant", Some("student"), Some(3));
    let resident = app.quick_user("r@example.nl", "participant", Some("resident"), Some(1));
    // No neighbourhood: outside every audience that names some.
    let nowhere = app.quick_user("s4@example.nl", "participant", Some("student"), None);
    let mut body = survey_body(&["student"]);
    body["neighbourhood_ids"] = json!([1, 2]);
    let (id, q) = published(&app, &coord, &body).await;
    let draft = create(&app, &coord, &survey_body(&["student"])).await;

    let list: Value = app
        .get_auth("/api/surveys", &student.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], id);
    assert_eq!(list["items"][0]["answered"], false);
    assert_eq!(list["items"][0]["respondents"], Value::Null);
    for other in [&resident, &elsewhere, &nowhere] {
        let list: Value = app
            .get_auth("/api/surveys", &other.token)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(list["total"], 0);
        assert_problem(
            app.get_auth(&format!("/api/surveys/{id}"), &other.token)
                .await,
            404,
            None,
        )
        .await;
        assert_problem(
            post(
                &app,
                other,
                &format!("/api/surveys/{id}/responses"),
                &answers(&q, 0, 4, ""),
            )
            .await,
            403,
            None,
        )
        .await;
    }
    assert_problem(
        app.get_auth(&format!("/api/surveys/{}", draft["id"]), &student.token)
            .await,
        404,
        None,
    )
    .await;
    assert_problem(
        post(
            &app,
            &student,
            &format!("/api/surveys/{}/responses", draft["id"]),
            &json!({"answers": []}),
        )
        .await,
        404,
        None,
    )
    .await;

    // Every bad answer names its question, and nothing is stored.
    let bad: Vec<(Value, i64, &str)> = vec![
        (
            json!({"question_id": q[0], "choice": 2}),
            q[0],
            "unknown_option",
        ),
        (
            json!({"question_id": q[1], "choices": [0, 1, 2]}),
            q[1],
            "too_many",
        ),
        (
            json!({"question_id": q[2], "value": 6}),
            q[2],
            "out_of_range",
        ),
        (
            json!({"question_id": q[3], "text": "x".repeat(51)}),
            q[3],
            "too_long",
        ),
        (
            json!({"question_id": q[4], "value": -1}),
            q[4],
            "out_of_range",
        ),
        (
            json!({"question_id": 999_999, "value": 1}),
            999_999,
            "unknown_question",
        ),
    ];
    for (answer, qid, code) in bad {
        let mut body = answers(&q, 0, 4, "Meer licht");
        let list = body["answers"].as_array_mut().unwrap();
        list.retain(|a| a["question_id"] != answer["question_id"]);
        list.push(answer);
        let problem = assert_problem(
            post(
                &app,
                &student,
                &format!("/api/surveys/{id}/responses"),
                &body,
            )
            .await,
            422,
            Some(&format!("answers.{qid}")),
        )
        .await;
        assert_eq!(problem["errors"][0]["code"], code, "{problem}");
    }
    let missing = json!({"answers": [{"question_id": q[0], "choice": 0}]});
    assert_problem(
        post(
            &app,
            &student,
            &format!("/api/surveys/{id}/responses"),
            &missing,
        )
        .await,
        422,
        Some(&format!("answers.{}", q[2])),
    )
    .await;
    assert_eq!(count(&app, "survey_responses"), 0);
    assert_eq!(count(&app, "survey_answers"), 0);

    let res = post(
        &app,
        &student,
        &format!("/api/surveys/{id}/responses"),
        &answers(&q, 1, 4, "Meer licht"),
    )
    .await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    assert_problem(
        post(
            &app,
            &student,
            &format!("/api/surveys/{id}/responses"),
            &answers(&q, 1, 4, ""),
        )
        .await,
        409,
        None,
    )
    .await;
    let list: Value = app
        .get_auth("/api/surveys", &student.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["answered"], true);
    let detail: Value = app
        .get_auth(&format!("/api/surveys/{id}"), &student.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["answered"], true);
    assert_eq!(count(&app, "survey_answers"), 5);

    // Once answered, the questions are frozen; the title is not.
    let coord_view: Value = app
        .get_auth(&format!("/api/surveys/{id}"), &coord.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(coord_view["respondents"], 1);
    let mut input = body.clone();
    input["questions"] = json!(coord_view["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let mut q = q.clone();
            q.as_object_mut().unwrap().remove("id");
            q.as_object_mut().unwrap().remove("position");
            q
        })
        .collect::<Vec<_>>());
    input["title_en"] = json!("Safety around the campus");
    let res = app
        .send_auth(
            Method::PUT,
            &format!("/api/surveys/{id}"),
            &coord.token,
            &input,
        )
        .await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    input["questions"][2]["text_en"] = json!("How safe are you?");
    let res = app
        .send_auth(
            Method::PUT,
            &format!("/api/surveys/{id}"),
            &coord.token,
            &input,
        )
        .await;
    assert_problem(res, 409, Some("questions")).await;

    // Not open (before opening, after closing): 409.
    let mut later = survey_body(&["student"]);
    later["opens_at"] = json!((chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339());
    let (later_id, lq) = published(&app, &coord, &later).await;
    // It names no neighbourhood, so it is for students without one too.
    for who in [&student, &nowhere] {
        assert_problem(
            post(
                &app,
                who,
                &format!("/api/surveys/{later_id}/responses"),
                &answers(&lq, 0, 3, ""),
            )
            .await,
            409,
            None,
        )
        .await;
    }
    post(
        &app,
        &coord,
        &format!("/api/surveys/{id}/close"),
        &json!({}),
    )
    .await;
    let other = app.quick_user("s3@example.nl", "participant", Some("student"), Some(2));
    assert_problem(
        post(
            &app,
            &other,
            &format!("/api/surveys/{id}/responses"),
            &answers(&q, 0, 3, ""),
        )
        .await,
        409,
        None,
    )
    .await;
}

#[tokio::test]
async fn anonymous_responses_keep_no_link_to_the_person() {
    let app = spawn_app().await;
    let coord = app.quick_user("coord@gemeente.test", "coordinator", None, None);
    let student = app.quick_user("s@example.nl", "participant", Some("student"), Some(4));
    let mut body = survey_body(&["student"]);
    body["anonymous"] = json!(true);
    let (id, q) = published(&app, &coord, &body).await;
    let res = post(
        &app,
        &student,
        &format!("/api/surveys/{id}/responses"),
        &answers(&q, 0, 2, ""),
    )
    .await;
    assert_eq!(res.status(), 201);
    assert_problem(
        post(
            &app,
            &student,
            &format!("/api/surveys/{id}/responses"),
            &answers(&q, 0, 2, ""),
        )
        .await,
        409,
        None,
    )
    .await;

    use backend::db::schema::survey_responses as r;
    let (respondent, key, at): (Option<i32>, String, chrono::NaiveDateTime) = r::table
        .select((r::respondent_id, r::respondent_key, r::submitted_at))
        .first(&mut app.conn())
        .unwrap();
    assert_eq!(respondent, None);
    assert_eq!(at.time(), chrono::NaiveTime::MIN, "only the day is kept");
    assert_eq!(key.len(), 64);
    // The key is not a plain hash of the ids that anyone could recompute.
    use sha2::Digest;
    for guess in [
        format!("survey:{id}:user:{}", student.user_id),
        format!("{id}:{}", student.user_id),
    ] {
        let plain: String = sha2::Sha256::digest(guess.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_ne!(plain, key);
    }
}

#[tokio::test]
async fn results_add_up_suppress_small_cells_and_compare_with_the_baseline() {
    let app = spawn_app().await;
    let coord = app.quick_user("coord@gemeente.test", "coordinator", None, None);
    let partner = app.quick_user("wijkagent@politie.test", "partner", None, None);
    let (before, bq) = published(&app, &coord, &survey_body(&["student", "resident"])).await;
    // Baseline: five students answer Likert 2.
    let mut people = Vec::new();
    for i in 0..5 {
        people.push(app.quick_user(
            &format!("s{i}@example.nl"),
            "participant",
            Some("student"),
            Some(1),
        ));
    }
    for p in &people {
        let res = post(
            &app,
            p,
            &format!("/api/surveys/{before}/responses"),
            &answers(&bq, 0, 2, ""),
        )
        .await;
        assert_eq!(res.status(), 201);
    }
    post(
        &app,
        &coord,
        &format!("/api/surveys/{before}/close"),
        &json!({}),
    )
    .await;
    let after: Value = post(
        &app,
        &coord,
        &format!("/api/surveys/{before}/copy"),
        &json!({"as_follow_up": true}),
    )
    .await
    .json()
    .await
    .unwrap();
    let after_id = after["id"].as_i64().unwrap();
    let aq: Vec<i64> = after["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_i64().unwrap())
        .collect();
    assert_eq!(
        post(
            &app,
            &coord,
            &format!("/api/surveys/{after_id}/publish"),
            &json!({})
        )
        .await
        .status(),
        200
    );
    // After: the five students answer 4, 4, 5, 5, 5 and one resident answers 1.
    for (p, point) in people.iter().zip([4, 4, 5, 5, 5]) {
        let res = post(
            &app,
            p,
            &format!("/api/surveys/{after_id}/responses"),
            &answers(&aq, 1, point, "Meer verlichting"),
        )
        .await;
        assert_eq!(res.status(), 201);
    }
    let resident = app.quick_user("r@example.nl", "participant", Some("resident"), Some(2));
    post(
        &app,
        &resident,
        &format!("/api/surveys/{after_id}/responses"),
        &answers(&aq, 0, 1, "=1+1"),
    )
    .await;
    // Two more eligible people who did not answer: 8 eligible, 6 responses.
    app.quick_user("x1@example.nl", "participant", Some("student"), Some(1));
    app.quick_user("x2@example.nl", "participant", Some("resident"), Some(1));

    let r: Value = app
        .get_auth(&format!("/api/surveys/{after_id}/results"), &coord.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(r["respondents"], 6);
    assert_eq!(r["eligible"], 8);
    assert_eq!(r["response_rate"], 0.75);
    let likert = &r["questions"][2];
    assert_eq!(likert["answered"], 6);
    let counts: Vec<i64> = likert["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["count"].as_i64().unwrap())
        .collect();
    assert_eq!(counts, [1, 0, 0, 2, 3]);
    // (1+4+4+5+5+5)/6 = 4, median (4+5)/2 = 4.5
    assert_eq!(likert["stats"]["mean"], 4.0);
    assert_eq!(likert["stats"]["median"], 4.5);
    // Before: mean 2; after 4; difference 2.
    assert_eq!(likert["change"]["baseline_mean"], 2.0);
    assert_eq!(likert["change"]["mean_difference"], 2.0);
    let single = &r["questions"][0];
    assert_eq!(single["options"][1]["percent"], 83.3);
    assert_eq!(single["change"]["options"][0]["baseline_percent"], 100.0);
    assert_eq!(single["change"]["options"][0]["difference"], -83.3);
    assert_eq!(r["questions"][3]["texts"].as_array().unwrap().len(), 6);
    assert_eq!(r["questions"][4]["stats"]["mean"], 3.0);
    assert_eq!(r["baseline"]["respondents"], 5);
    // Breakdown by group: students shown (5), the lone resident suppressed.
    let groups = &r["breakdowns"][0]["cells"];
    let cell = |key: &str| {
        groups
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["key"] == key)
            .unwrap()
            .clone()
    };
    assert_eq!(cell("student")["respondents"], 5);
    assert_eq!(cell("student")["questions"][2]["mean"], 4.6);
    assert_eq!(cell("resident")["suppressed"], true);
    assert_eq!(cell("resident")["respondents"], Value::Null);

    // Partners: no free text, counts under 5 held back.
    let p: Value = app
        .get_auth(&format!("/api/surveys/{after_id}/results"), &partner.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(p["questions"][3]["texts"].as_array().unwrap().len(), 0);
    let counts: Vec<Value> = p["questions"][2]["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["count"].clone())
        .collect();
    assert_eq!(
        counts,
        [
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null
        ]
    );
    assert_eq!(p["questions"][0]["options"][1]["count"], 5);

    // CSV: one row per response, pseudonymous ids, formula guarded.
    let res = app
        .get_auth(
            &format!("/api/surveys/{after_id}/results.csv"),
            &coord.token,
        )
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert!(res.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let csv = res.text().await.unwrap();
    assert!(csv.starts_with('\u{feff}'));
    let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(lines.len(), 7);
    assert!(lines[0].contains("Q3 Hoe veilig voel je je?"));
    assert!(lines[1].starts_with("R0001,"));
    assert!(lines[6].contains("'=1+1"));
    assert!(!csv.contains("example.nl"));
    assert_problem(
        app.get_auth(
            &format!("/api/surveys/{after_id}/results.csv"),
            &partner.token,
        )
        .await,
        403,
        None,
    )
    .await;
}

#[tokio::test]
async fn who_may_do_what_with_surveys() {
    let app = spawn_app().await;
    let coord = app.quick_user("coord@gemeente.test", "coordinator", None, None);
    let admin = app.quick_user("admin@gemeente.test", "admin", None, None);
    let partner = app.quick_user("wijkagent@politie.test", "partner", None, None);
    let student = app.quick_user("s@example.nl", "participant", Some("student"), Some(1));
    let (id, _) = published(&app, &coord, &survey_body(&["student"])).await;
    let draft = create(&app, &coord, &survey_body(&["student"])).await["id"]
        .as_i64()
        .unwrap();
    let body = survey_body(&["student"]);
    let write_paths = [
        (Method::POST, "/api/surveys".to_string()),
        (Method::PUT, format!("/api/surveys/{draft}")),
        (Method::POST, format!("/api/surveys/{draft}/publish")),
        (Method::POST, format!("/api/surveys/{id}/close")),
        (Method::POST, format!("/api/surveys/{id}/copy")),
    ];
    for s in [&partner, &student] {
        for (method, path) in &write_paths {
            let res = app.send_auth(method.clone(), path, &s.token, &body).await;
            assert_eq!(res.status(), 403, "{method} {path}");
        }
        assert_eq!(
            app.get_auth(&format!("/api/surveys/{id}/results.csv"), &s.token)
                .await
                .status(),
            403
        );
    }
    assert_eq!(
        app.get_auth(&format!("/api/surveys/{id}/results"), &student.token)
            .await
            .status(),
        403
    );
    assert_eq!(
        app.get_auth(&format!("/api/surveys/{id}/results"), &partner.token)
            .await
            .status(),
        200
    );
    assert_eq!(
        app.get_auth(&format!("/api/surveys/{draft}/results"), &partner.token)
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get_auth(&format!("/api/surveys/{draft}"), &partner.token)
            .await
            .status(),
        404
    );
    let list: Value = app
        .get_auth("/api/surveys", &partner.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["total"], 1);
    // Staff do not answer surveys.
    assert_eq!(
        post(
            &app,
            &coord,
            &format!("/api/surveys/{id}/responses"),
            &json!({"answers": []})
        )
        .await
        .status(),
        403
    );
    assert_eq!(
        app.get_auth(&format!("/api/surveys/{id}/results"), &admin.token)
            .await
            .status(),
        200
    );
    for path in ["/api/surveys", "/api/surveys/1", "/api/surveys/1/results"] {
        assert_eq!(
            app.client.get(app.url(path)).send().await.unwrap().status(),
            401
        );
    }
    assert_eq!(
        app.get_auth("/api/surveys/999999", &coord.token)
            .await
            .status(),
        404
    );
    assert_problem(
        app.get_auth("/api/surveys?per_page=500", &coord.token)
            .await,
        422,
        Some("per_page"),
    )
    .await;
}
