//! Surveys: the list and the answering flow (participants), with the staff
//! view of one survey. The builder and the results are staff pages
//! (`survey_editor`, `survey_results`).

use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use shared::surveys::{
    check_response, fmt_num, AnswerInput, CopyRequest, QuestionDto, QuestionKind, ResponseInput,
    SurveyDto, SurveyList, SurveyStatus, SurveySummary,
};
use shared::users::{Language, Role};
use shared::FieldError;

use crate::api::use_session;
use crate::components::{fetch, page_title};
use crate::i18n::{field_message, group_name, use_i18n};
use crate::time::fmt_time;

pub(crate) fn by_lang(lang: Language, nl: &str, en: &str) -> String {
    if lang == Language::Nl { nl } else { en }.to_owned()
}

pub(super) fn status_label(lang: Language, s: SurveyStatus) -> &'static str {
    match (lang, s) {
        (Language::Nl, SurveyStatus::Draft) => "concept",
        (Language::Nl, SurveyStatus::Published) => "gepubliceerd",
        (Language::Nl, SurveyStatus::Closed) => "gesloten",
        (Language::En, SurveyStatus::Draft) => "draft",
        (Language::En, SurveyStatus::Published) => "published",
        (Language::En, SurveyStatus::Closed) => "closed",
    }
}

pub(crate) fn focus_later(id: String) {
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(&id) {
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    });
}

pub(super) fn survey_id() -> impl Fn() -> i32 + Copy {
    let params = use_params_map();
    move || {
        params.with(|p| {
            p.get("id")
                .and_then(|v| v.parse::<i32>().ok())
                .unwrap_or_default()
        })
    }
}

pub(super) fn is_staff(role: Option<Role>) -> bool {
    matches!(role, Some(Role::Coordinator) | Some(Role::Admin))
}

pub(super) fn num_text(v: Option<f64>) -> String {
    v.map(fmt_num).unwrap_or_default()
}

// ---- List -----------------------------------------------------------------

#[component]
pub fn Surveys() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|t| {
        if std::ptr::eq(t, crate::i18n::texts(Language::Nl)) {
            "Vragenlijsten"
        } else {
            "Surveys"
        }
    });
    let allowed = super::require_login();
    let role = move || session.user.with(|u| u.as_ref().map(|u| u.role));
    let list = fetch(move || async move {
        session
            .call::<(), SurveyList>(Method::GET, "/api/surveys?per_page=100", None)
            .await
    });
    view! {
        <h1>{move || i18n.pick("Vragenlijsten", "Surveys")}</h1>
        <Show when=move || allowed.get() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            <Show when=move || is_staff(role())>
                <p><A href="/surveys/new" attr:class="button primary">{move || i18n.pick("Nieuwe vragenlijst", "New survey")}</A></p>
            </Show>
            <Show when=move || role() == Some(Role::Participant)>
                <p class="lead">{move || i18n.pick(
                    "Help de gemeente met je mening. Deze vragenlijsten staan nu voor je open.",
                    "Help the municipality with your views. These surveys are open for you now.")}</p>
            </Show>
            {move || match list.get() {
                None => view! { <p>{move || i18n.t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e.message(i18n.t())}</p> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! {
                    <p>{move || i18n.pick("Er staan nu geen vragenlijsten voor je open.", "No surveys are open for you now.")}</p>
                }.into_any(),
                Some(Ok(page)) => view! {
                    <ul class="reports" data-testid="surveys">
                        {page.items.into_iter().map(|s| view! { <SurveyItem s=s role=role()/> }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </Show>
    }
}

#[component]
fn SurveyItem(s: SurveySummary, role: Option<Role>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let title = by_lang(lang, &s.title_nl, &s.title_en);
    let link = if role == Some(Role::Participant) || s.status == SurveyStatus::Draft {
        format!("/surveys/{}", s.id)
    } else {
        format!("/surveys/{}/results", s.id)
    };
    let groups = s
        .groups
        .iter()
        .map(|g| group_name(lang, *g))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <li class="report">
            <A href=link><strong>{title}</strong></A>
            {if role == Some(Role::Participant) {
                view! {
                    <span class="meta">
                        {format!("{} {} · ", s.question_count, i18n.pick("vragen", "questions"))}
                        {format!("{} {}", i18n.pick("open tot", "open until"), fmt_time(s.closes_at))}
                    </span>
                    {s.answered.then(|| view! { <span class="ok">{i18n.pick("Ingevuld, dank je!", "Answered, thank you!")}</span> })}
                }.into_any()
            } else {
                view! {
                    <span class="status">{status_label(lang, s.status)}</span>
                    <span class="meta">{groups} " · " {fmt_time(s.opens_at)} " – " {fmt_time(s.closes_at)}</span>
                    <span class="meta">{format!("{} {}", s.respondents.unwrap_or(0), i18n.pick("antwoorden", "responses"))}</span>
                    <span><A href=format!("/surveys/{}", s.id)>{i18n.pick("Bekijken", "View")}</A></span>
                }.into_any()
            }}
        </li>
    }
}

// ---- Answering (and the staff view of one survey) -----------------------

fn draft_key(id: i32) -> String {
    format!("wv_survey_{id}")
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn answered(a: &AnswerInput) -> bool {
    a.choice.is_some()
        || a.choices.as_ref().is_some_and(|c| !c.is_empty())
        || a.value.is_some()
        || a.text.as_ref().is_some_and(|t| !t.trim().is_empty())
}

/// The message for an answer error, with the question's own limits.
fn answer_message(lang: Language, e: &FieldError, q: &QuestionDto) -> String {
    let nl = lang == Language::Nl;
    let s = &q.settings;
    match e.code.as_str() {
        "required" => by_lang(lang, "Beantwoord deze vraag.", "Answer this question."),
        "unknown_option" => by_lang(
            lang,
            "Kies een van de opties.",
            "Choose one of the options.",
        ),
        "too_few" => {
            let n = s.min_selections.unwrap_or(1);
            if nl {
                format!("Kies er minstens {n}.")
            } else {
                format!("Choose at least {n}.")
            }
        }
        "too_many" => {
            let n = s.max_selections.unwrap_or(1);
            if nl {
                format!("Kies er hoogstens {n}.")
            } else {
                format!("Choose at most {n}.")
            }
        }
        "out_of_range" if q.kind == QuestionKind::Likert => {
            let p = s.points.unwrap_or(5);
            if nl {
                format!("Kies een punt van 1 tot en met {p}.")
            } else {
                format!("Choose a point from 1 to {p}.")
            }
        }
        "out_of_range" | "not_a_number" => {
            let (min, max) = (num_text(s.min), num_text(s.max));
            if nl {
                format!("Vul een getal in van {min} tot en met {max}.")
            } else {
                format!("Enter a number from {min} to {max}.")
            }
        }
        "too_long" => {
            let n = s.max_length.unwrap_or(0);
            if nl {
                format!("Gebruik hoogstens {n} tekens.")
            } else {
                format!("Use at most {n} characters.")
            }
        }
        _ => field_message(lang, &e.code)
            .map(str::to_owned)
            .unwrap_or_else(|| e.message.clone()),
    }
}

/// `/surveys/:id`: participants answer; staff and partners see the survey
/// with its actions.
#[component]
pub fn SurveyPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|t| {
        if std::ptr::eq(t, crate::i18n::texts(Language::Nl)) {
            "Vragenlijst"
        } else {
            "Survey"
        }
    });
    let allowed = super::require_login();
    let id = survey_id();
    let version = RwSignal::new(0u32);
    let survey = fetch(move || {
        let (id, _) = (id(), version.get());
        async move {
            session
                .call::<(), SurveyDto>(Method::GET, &format!("/api/surveys/{id}"), None)
                .await
        }
    });
    let role = move || session.user.with(|u| u.as_ref().map(|u| u.role));
    view! {
        <Show when=move || allowed.get() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            {move || match survey.get() {
                None => view! { <h1>{move || i18n.pick("Vragenlijst", "Survey")}</h1><p>{move || i18n.t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <h1>{move || i18n.t().not_found_title}</h1><p class="error">{e.message(i18n.t())}</p> }.into_any(),
                Some(Ok(s)) => {
                    let lang = i18n.lang.get();
                    let intro = by_lang(lang, &s.intro_nl, &s.intro_en);
                    let participant = role() == Some(Role::Participant);
                    view! {
                        <h1>{by_lang(lang, &s.title_nl, &s.title_en)}</h1>
                        {(!intro.is_empty()).then(|| view! { <p class="lead pre">{intro}</p> })}
                        {if participant {
                            view! { <AnswerForm s=s.clone()/> }.into_any()
                        } else {
                            view! { <StaffView s=s.clone() role=role() version=version/> }.into_any()
                        }}
                    }.into_any()
                }
            }}
        </Show>
    }
}

#[component]
fn StaffView(s: SurveyDto, role: Option<Role>, version: RwSignal<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let lang = i18n.lang.get_untracked();
    let message = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let saved = leptos_router::hooks::use_query_map()
        .get_untracked()
        .get("saved")
        .is_some();
    let id = s.id;
    let act = move |path: &'static str| {
        let navigate = navigate.clone();
        move |_| {
            let navigate = navigate.clone();
            spawn_local(async move {
                error.set(None);
                let body = (path == "copy-follow-up").then_some(CopyRequest { as_follow_up: true });
                let endpoint = if path == "copy-follow-up" {
                    "copy"
                } else {
                    path
                };
                match session
                    .call::<_, SurveyDto>(
                        Method::POST,
                        &format!("/api/surveys/{id}/{endpoint}"),
                        body.as_ref(),
                    )
                    .await
                {
                    Ok(dto) if dto.id != id => navigate(
                        &format!("/surveys/{}/edit", dto.id),
                        NavigateOptions::default(),
                    ),
                    Ok(_) => {
                        message.set(Some(i18n.pick("Opgeslagen.", "Saved.").into()));
                        version.update(|v| *v += 1);
                    }
                    Err(e) => error.set(Some(e.message(i18n.t()))),
                }
            });
        }
    };
    let groups = s
        .groups
        .iter()
        .map(|g| group_name(lang, *g))
        .collect::<Vec<_>>()
        .join(", ");
    let staff = is_staff(role);
    let status = s.status;
    view! {
        {saved.then(|| view! { <p class="notice" role="status">{i18n.pick("De vragenlijst is opgeslagen.", "The survey was saved.")}</p> })}
        {move || message.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
        {move || error.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
        <dl class="facts">
            <dt>{i18n.pick("Status", "Status")}</dt><dd data-testid="survey-status">{status_label(lang, s.status)}</dd>
            <dt>{i18n.pick("Doelgroep", "Target group")}</dt><dd>{groups}</dd>
            <dt>{i18n.pick("Looptijd", "Period")}</dt><dd>{fmt_time(s.opens_at)} " – " {fmt_time(s.closes_at)}</dd>
            <dt>{i18n.pick("Anoniem", "Anonymous")}</dt><dd>{if s.anonymous { i18n.pick("ja", "yes") } else { i18n.pick("nee", "no") }}</dd>
            <dt>{i18n.pick("Antwoorden", "Responses")}</dt><dd>{s.respondents.unwrap_or(0)}</dd>
        </dl>
        <div class="actions">
            {(staff && status != SurveyStatus::Closed).then(|| view! { <A href=format!("/surveys/{id}/edit") attr:class="button">{i18n.pick("Bewerken", "Edit")}</A> })}
            {(staff && status == SurveyStatus::Draft).then(|| view! { <button type="button" class="button primary" on:click=act("publish")>{i18n.pick("Publiceren", "Publish")}</button> })}
            {(staff && status == SurveyStatus::Published).then(|| view! { <button type="button" class="button" on:click=act("close")>{i18n.pick("Sluiten", "Close")}</button> })}
            {staff.then(|| view! {
                <button type="button" class="button" on:click=act("copy")>{i18n.pick("Kopiëren", "Copy")}</button>
                <button type="button" class="button" on:click=act("copy-follow-up")>{i18n.pick("Vervolgmeting maken", "Make a follow-up")}</button>
            })}
            {(status != SurveyStatus::Draft).then(|| view! { <A href=format!("/surveys/{id}/results") attr:class="button">{i18n.pick("Resultaten", "Results")}</A> })}
        </div>
        <h2>{i18n.pick("Vragen", "Questions")}</h2>
        <ol class="questions">
            {s.questions.into_iter().map(|q| view! {
                <li class="card"><QuestionView q=q answers=RwSignal::new(Vec::new()) error=Signal::derive(|| None) disabled=true/></li>
            }).collect_view()}
        </ol>
    }
}

#[component]
fn AnswerForm(s: SurveyDto) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let id = s.id;
    let restored: Vec<AnswerInput> = storage()
        .and_then(|st| st.get_item(&draft_key(id)).ok().flatten())
        .and_then(|t| serde_json::from_str::<ResponseInput>(&t).ok())
        .map(|r| r.answers)
        .unwrap_or_default();
    let answers = RwSignal::new(restored);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let general = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let done = RwSignal::new(false);
    let questions = StoredValue::new(s.questions.clone());
    let total = s.questions.len();
    let progress = move || {
        answers.with(|a| {
            questions.with_value(|qs| {
                qs.iter()
                    .filter(|q| a.iter().any(|x| x.question_id == q.id && answered(x)))
                    .count()
            })
        })
    };
    // The draft survives a reload or a lost connection.
    Effect::new(move |_| {
        let body = ResponseInput {
            answers: answers.get(),
        };
        if let (Some(st), Ok(text)) = (storage(), serde_json::to_string(&body)) {
            let _ = st.set_item(&draft_key(id), &text);
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        general.set(None);
        let input = ResponseInput {
            answers: answers
                .get_untracked()
                .into_iter()
                .filter(answered)
                .collect(),
        };
        if let Err(found) = questions.with_value(|qs| check_response(qs, &input)) {
            errors.set(found);
            focus_later("answer-errors".into());
            return;
        }
        errors.set(Vec::new());
        pending.set(true);
        spawn_local(async move {
            match session
                .call::<_, ()>(
                    Method::POST,
                    &format!("/api/surveys/{id}/responses"),
                    Some(&input),
                )
                .await
            {
                Ok(()) => {
                    if let Some(st) = storage() {
                        let _ = st.remove_item(&draft_key(id));
                    }
                    done.set(true);
                    focus_later("thanks".into());
                }
                Err(e) => {
                    let fields = e.field_errors();
                    if fields.is_empty() {
                        general.set(Some(e.message(i18n.t())));
                    }
                    errors.set(fields);
                    focus_later("answer-errors".into());
                }
            }
            pending.set(false);
        });
    };
    let anonymous = s.anonymous;
    let already = s.answered;
    let open = s.is_open;
    view! {
        <p class="meta">{move || if anonymous {
            i18n.pick(
                "Anoniem: je antwoorden worden zonder je naam of account bewaard. We houden alleen je groep, wijk en de dag bij, en tonen uitkomsten alleen voor groepen van minstens 5 mensen.",
                "Anonymous: your answers are stored without your name or account. We keep only your group, neighbourhood and the day, and show results only for groups of at least 5 people.")
        } else {
            i18n.pick(
                "Je antwoorden worden bij je account bewaard; alleen coördinatoren van de gemeente zien ze. Anderen zien alleen totalen van minstens 5 mensen.",
                "Your answers are stored with your account; only the municipality's coordinators see them. Others see only totals of at least 5 people.")
        }}</p>
        {if already {
            view! { <p class="notice" role="status" data-testid="already">{move || i18n.pick("Je hebt deze vragenlijst al ingevuld. Dank je wel!", "You have answered this survey already. Thank you!")}</p> }.into_any()
        } else if !open {
            view! { <p class="notice" role="status">{move || i18n.pick("Deze vragenlijst is niet (meer) open.", "This survey is not open (any more).")}</p> }.into_any()
        } else {
            view! {
                <Show when=move || !done.get() fallback=move || view! {
                    <div class="notice" id="thanks" tabindex="-1" role="status">
                        <h2>{move || i18n.pick("Dank je wel!", "Thank you!")}</h2>
                        <p>{move || i18n.pick("Je antwoorden zijn ontvangen. Ze helpen de gemeente en politie om je wijk veiliger te maken.", "Your answers were received. They help the municipality and police make your neighbourhood safer.")}</p>
                        <p><A href="/surveys">{move || i18n.pick("Terug naar vragenlijsten", "Back to surveys")}</A></p>
                    </div>
                }>
                    <div class="progress">
                        <label for="survey-progress">{move || format!("{} {} {} {}", progress(), i18n.pick("van", "of"), total, i18n.pick("vragen beantwoord", "questions answered"))}</label>
                        <progress id="survey-progress" max=total value=progress></progress>
                    </div>
                    <p class="meta">{move || i18n.pick("Vragen met * zijn verplicht.", "Questions marked * are required.")}</p>
                    <div id="answer-errors" class="error-summary" tabindex="-1" role="alert"
                        hidden=move || errors.with(Vec::is_empty) && general.with(Option::is_none)>
                        <h2>{move || i18n.pick("Controleer je antwoorden", "Please check your answers")}</h2>
                        {move || general.get().map(|g| view! { <p>{g}</p> })}
                        <ul>
                            {move || errors.get().into_iter().map(|e| {
                                let lang = i18n.lang.get();
                                let q = questions.with_value(|qs| qs.iter().find(|q| shared::surveys::answer_field(q.id) == e.field).cloned());
                                let (href, text) = match q {
                                    Some(q) => (format!("#q-{}", q.id), format!("{} {}: {}", i18n.pick("Vraag", "Question"), q.position, answer_message(lang, &e, &q))),
                                    None => ("#survey-progress".to_string(), e.message.clone()),
                                };
                                view! { <li><a href=href>{text}</a></li> }
                            }).collect_view()}
                        </ul>
                    </div>
                    <form on:submit=submit novalidate>
                        <ol class="questions">
                            {questions.get_value().into_iter().map(|q| {
                                let field = shared::surveys::answer_field(q.id);
                                let qq = q.clone();
                                let error = Signal::derive(move || {
                                    let lang = i18n.lang.get();
                                    errors.with(|es| es.iter().find(|e| e.field == field).map(|e| answer_message(lang, e, &qq)))
                                });
                                view! { <li class="card"><QuestionView q=q answers=answers error=error disabled=false/></li> }
                            }).collect_view()}
                        </ol>
                        <div class="actions">
                            <button type="submit" class="button primary" disabled=move || pending.get()>
                                {move || if pending.get() { i18n.pick("Bezig met versturen…", "Sending…") } else { i18n.pick("Antwoorden versturen", "Send answers") }}
                            </button>
                        </div>
                    </form>
                </Show>
            }.into_any()
        }}
    }
}

/// One question as a participant sees it; writes into `answers`.
#[component]
pub(super) fn QuestionView(
    q: QuestionDto,
    answers: RwSignal<Vec<AnswerInput>>,
    error: Signal<Option<String>>,
    disabled: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let qid = q.id;
    let current = move || {
        answers.with(|a| {
            a.iter()
                .find(|x| x.question_id == qid)
                .cloned()
                .unwrap_or(AnswerInput {
                    question_id: qid,
                    ..Default::default()
                })
        })
    };
    let set = move |f: &dyn Fn(&mut AnswerInput)| {
        answers.update(|a| {
            if let Some(x) = a.iter_mut().find(|x| x.question_id == qid) {
                f(x);
            } else {
                let mut x = AnswerInput {
                    question_id: qid,
                    ..Default::default()
                };
                f(&mut x);
                a.push(x);
            }
        });
    };
    let lang = move || i18n.lang.get();
    let text = {
        let q = q.clone();
        move || by_lang(lang(), &q.text_nl, &q.text_en)
    };
    let name = format!("q{}", q.id.unsigned_abs());
    let required = q.required;
    let legend_text = text.clone();
    let legend = view! {
        <legend>
            {move || format!("{}. {}", q.position, legend_text())}
            {required.then(|| view! { <span aria-hidden="true">" *"</span><span class="visually-hidden">{move || i18n.pick(" (verplicht)", " (required)")}</span> })}
        </legend>
        {move || error.get().map(|e| view! { <p class="error">{e}</p> })}
    };
    let s = q.settings.clone();
    let body = match q.kind {
        QuestionKind::SingleChoice | QuestionKind::MultipleChoice => {
            let multi = q.kind == QuestionKind::MultipleChoice;
            let hint = multi.then(|| {
                let (min, max) = (s.min_selections.unwrap_or(0), s.max_selections.unwrap_or(s.options.len() as u32));
                view! { <p class="hint">{move || if i18n.lang.get() == Language::Nl { format!("Kies {min} tot {max}.") } else { format!("Choose {min} to {max}.") }}</p> }
            });
            view! {
                {hint}
                <div class="choices stacked">
                    {s.options.iter().enumerate().map(|(i, o)| {
                        let i = i as u32;
                        let id = format!("{name}-{i}");
                        let (nl, en) = (o.nl.clone(), o.en.clone());
                        view! {
                            <div class="choice">
                                <input type=if multi { "checkbox" } else { "radio" } id=id.clone() name=name.clone() disabled=disabled
                                    prop:checked=move || { let c = current(); if multi { c.choices.unwrap_or_default().contains(&i) } else { c.choice == Some(i) } }
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        if multi {
                                            set(&|x| { let mut c = x.choices.clone().unwrap_or_default(); c.retain(|v| *v != i); if on { c.push(i); c.sort_unstable(); } x.choices = Some(c); });
                                        } else {
                                            set(&|x| x.choice = Some(i));
                                        }
                                    }/>
                                <label for=id>{move || by_lang(lang(), &nl, &en)}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            }.into_any()
        }
        QuestionKind::Likert => {
            let points = s.points.unwrap_or(5);
            let low = s.low_label.clone().unwrap_or_default();
            let high = s.high_label.clone().unwrap_or_default();
            view! {
                <div class="likert">
                    {(1..=points).map(|p| {
                        let id = format!("{name}-{p}");
                        let end = if p == 1 { Some(low.clone()) } else if p == points { Some(high.clone()) } else { None };
                        view! {
                            <div class="point">
                                <input type="radio" id=id.clone() name=name.clone() disabled=disabled
                                    prop:checked=move || current().value == Some(p as f64)
                                    on:change=move |_| set(&|x| x.value = Some(p as f64))/>
                                <label for=id>
                                    <span class="n">{p}</span>
                                    {end.map(|l| view! { <span class="end">{move || by_lang(lang(), &l.nl, &l.en)}</span> })}
                                </label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            }.into_any()
        }
        QuestionKind::FreeText => {
            let id = format!("{name}-text");
            let max = s.max_length.unwrap_or(500);
            view! {
                <label class="visually-hidden" for=id.clone()>{text.clone()}</label>
                <textarea id=id rows="4" maxlength=max disabled=disabled
                    prop:value=move || current().text.unwrap_or_default()
                    on:input=move |ev| { let v = event_target_value(&ev); set(&|x| x.text = Some(v.clone())); }></textarea>
                <p class="hint" aria-live="polite">{move || format!("{} / {max}", current().text.map(|t| t.chars().count()).unwrap_or(0))}</p>
            }.into_any()
        }
        QuestionKind::Number => {
            let id = format!("{name}-number");
            let (min, max) = (num_text(s.min), num_text(s.max));
            let hint = format!("{min} – {max}");
            view! {
                <label class="visually-hidden" for=id.clone()>{text.clone()}</label>
                <p class="hint">{hint}</p>
                <input type="text" inputmode="decimal" id=id disabled=disabled class="short"
                    prop:value=move || current().value.map(fmt_num).unwrap_or_default()
                    on:change=move |ev| {
                        let raw = event_target_value(&ev).trim().replace(',', ".");
                        let v = if raw.is_empty() { None } else { Some(raw.parse::<f64>().unwrap_or(f64::NAN)) };
                        set(&|x| x.value = v);
                    }/>
            }.into_any()
        }
    };
    view! {
        <fieldset class="field question" id=format!("q-{}", q.id) class:has-error=move || error.get().is_some()>
            {legend}
            {body}
        </fieldset>
    }
}
