//! Surveys: the list, the builder (coordinators), the answering flow
//! (participants) and the results with charts (coordinators, partners).

use std::sync::atomic::{AtomicU32, Ordering};

use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use shared::surveys::{
    check_response, fmt_num, AnswerInput, ChoiceOption, CopyRequest, QuestionDto, QuestionInput,
    QuestionKind, QuestionResult, QuestionSettings, ResponseInput, SurveyDto, SurveyInput,
    SurveyList, SurveyResults, SurveyStatus, SurveySummary,
};
use shared::users::{Group, Language, Role};
use shared::FieldError;

use super::neighbourhoods::load_neighbourhoods;
use crate::api::use_session;
use crate::components::{fetch, page_title, FormState};
use crate::i18n::{field_message, group_name, use_i18n};
use crate::time::{fmt_time, local_now_input, parse_local, to_local_input};

pub(crate) fn by_lang(lang: Language, nl: &str, en: &str) -> String {
    if lang == Language::Nl { nl } else { en }.to_owned()
}

fn status_label(lang: Language, s: SurveyStatus) -> &'static str {
    match (lang, s) {
        (Language::Nl, SurveyStatus::Draft) => "concept",
        (Language::Nl, SurveyStatus::Published) => "gepubliceerd",
        (Language::Nl, SurveyStatus::Closed) => "gesloten",
        (Language::En, SurveyStatus::Draft) => "draft",
        (Language::En, SurveyStatus::Published) => "published",
        (Language::En, SurveyStatus::Closed) => "closed",
    }
}

fn kind_label(lang: Language, k: QuestionKind) -> &'static str {
    let nl = lang == Language::Nl;
    match k {
        QuestionKind::SingleChoice => {
            if nl {
                "Eén keuze"
            } else {
                "Single choice"
            }
        }
        QuestionKind::MultipleChoice => {
            if nl {
                "Meerdere keuzes"
            } else {
                "Multiple choice"
            }
        }
        QuestionKind::Likert => {
            if nl {
                "Schaal (Likert)"
            } else {
                "Scale (Likert)"
            }
        }
        QuestionKind::FreeText => {
            if nl {
                "Open vraag"
            } else {
                "Free text"
            }
        }
        QuestionKind::Number => {
            if nl {
                "Getal"
            } else {
                "Number"
            }
        }
    }
}

/// An element id for an API field name such as `questions[2].text_nl`.
fn fid(field: &str) -> String {
    format!("f-{}", field.replace(['[', ']', '.'], "-"))
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

fn survey_id() -> impl Fn() -> i32 + Copy {
    let params = use_params_map();
    move || {
        params.with(|p| {
            p.get("id")
                .and_then(|v| v.parse::<i32>().ok())
                .unwrap_or_default()
        })
    }
}

fn is_staff(role: Option<Role>) -> bool {
    matches!(role, Some(Role::Coordinator) | Some(Role::Admin))
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

// ---- Builder --------------------------------------------------------------

static NEXT_UID: AtomicU32 = AtomicU32::new(1);

fn uid() -> u32 {
    NEXT_UID.fetch_add(1, Ordering::Relaxed)
}

#[derive(Clone, Copy)]
struct OptDraft {
    uid: u32,
    nl: RwSignal<String>,
    en: RwSignal<String>,
}

impl OptDraft {
    fn new(o: &ChoiceOption) -> OptDraft {
        OptDraft {
            uid: uid(),
            nl: RwSignal::new(o.nl.clone()),
            en: RwSignal::new(o.en.clone()),
        }
    }
}

#[derive(Clone, Copy)]
struct QDraft {
    uid: u32,
    key: StoredValue<Option<String>>,
    kind: RwSignal<QuestionKind>,
    text_nl: RwSignal<String>,
    text_en: RwSignal<String>,
    required: RwSignal<bool>,
    options: RwSignal<Vec<OptDraft>>,
    min_sel: RwSignal<String>,
    max_sel: RwSignal<String>,
    points: RwSignal<u32>,
    low_nl: RwSignal<String>,
    low_en: RwSignal<String>,
    high_nl: RwSignal<String>,
    high_en: RwSignal<String>,
    max_length: RwSignal<String>,
    min: RwSignal<String>,
    max: RwSignal<String>,
}

fn num_text(v: Option<f64>) -> String {
    v.map(fmt_num).unwrap_or_default()
}

impl QDraft {
    fn from_input(q: &QuestionInput) -> QDraft {
        let s = &q.settings;
        let label = |l: &Option<ChoiceOption>| l.clone().unwrap_or_default();
        let options = if s.options.is_empty() {
            vec![ChoiceOption::default(), ChoiceOption::default()]
        } else {
            s.options.clone()
        };
        QDraft {
            uid: uid(),
            key: StoredValue::new(q.key.clone()),
            kind: RwSignal::new(q.kind),
            text_nl: RwSignal::new(q.text_nl.clone()),
            text_en: RwSignal::new(q.text_en.clone()),
            required: RwSignal::new(q.required),
            options: RwSignal::new(options.iter().map(OptDraft::new).collect()),
            min_sel: RwSignal::new(s.min_selections.map(|v| v.to_string()).unwrap_or_default()),
            max_sel: RwSignal::new(s.max_selections.map(|v| v.to_string()).unwrap_or_default()),
            points: RwSignal::new(s.points.unwrap_or(5)),
            low_nl: RwSignal::new(label(&s.low_label).nl),
            low_en: RwSignal::new(label(&s.low_label).en),
            high_nl: RwSignal::new(label(&s.high_label).nl),
            high_en: RwSignal::new(label(&s.high_label).en),
            max_length: RwSignal::new(s.max_length.unwrap_or(500).to_string()),
            min: RwSignal::new(num_text(s.min.or(Some(0.0)))),
            max: RwSignal::new(num_text(s.max.or(Some(100.0)))),
        }
    }

    fn new(kind: QuestionKind) -> QDraft {
        QDraft::from_input(&QuestionInput {
            key: None,
            kind,
            text_nl: String::new(),
            text_en: String::new(),
            required: true,
            settings: QuestionSettings::default(),
        })
    }

    fn to_input(self) -> QuestionInput {
        let number = |s: RwSignal<String>| {
            s.get_untracked()
                .trim()
                .replace(',', ".")
                .parse::<f64>()
                .ok()
        };
        let count = |s: RwSignal<String>| s.get_untracked().trim().parse::<u32>().ok();
        let pair = |nl: RwSignal<String>, en: RwSignal<String>| {
            Some(ChoiceOption {
                nl: nl.get_untracked(),
                en: en.get_untracked(),
            })
        };
        QuestionInput {
            key: self.key.get_value(),
            kind: self.kind.get_untracked(),
            text_nl: self.text_nl.get_untracked(),
            text_en: self.text_en.get_untracked(),
            required: self.required.get_untracked(),
            settings: QuestionSettings {
                options: self
                    .options
                    .get_untracked()
                    .iter()
                    .map(|o| ChoiceOption {
                        nl: o.nl.get_untracked(),
                        en: o.en.get_untracked(),
                    })
                    .collect(),
                min_selections: count(self.min_sel),
                max_selections: count(self.max_sel),
                points: Some(self.points.get_untracked()),
                low_label: pair(self.low_nl, self.low_en),
                high_label: pair(self.high_nl, self.high_en),
                max_length: count(self.max_length),
                min: number(self.min),
                max: number(self.max),
            },
        }
    }
}

/// `/surveys/new` and `/surveys/:id/edit`.
#[component]
pub fn SurveyEditor() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|t| {
        if std::ptr::eq(t, crate::i18n::texts(Language::Nl)) {
            "Vragenlijst maken"
        } else {
            "Build a survey"
        }
    });
    let allowed = super::require_login();
    let id = survey_id();
    let existing = fetch(move || {
        let id = id();
        async move {
            if id == 0 {
                Ok(None)
            } else {
                session
                    .call::<(), SurveyDto>(Method::GET, &format!("/api/surveys/{id}"), None)
                    .await
                    .map(Some)
            }
        }
    });
    view! {
        <Show when=move || allowed.get() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            {move || match existing.get() {
                None => view! { <h1>{move || i18n.pick("Vragenlijst", "Survey")}</h1><p>{move || i18n.t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <h1>{move || i18n.t().not_found_title}</h1><p class="error">{e.message(i18n.t())}</p> }.into_any(),
                Some(Ok(s)) => view! { <EditorForm existing=s/> }.into_any(),
            }}
        </Show>
    }
}

#[component]
fn EditorForm(existing: Option<SurveyDto>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let id = existing.as_ref().map(|s| s.id);
    let initial = existing.as_ref().map(SurveyDto::to_input);
    let frozen = existing
        .as_ref()
        .is_some_and(|s| s.respondents.unwrap_or(0) > 0);
    let title_nl = RwSignal::new(
        initial
            .as_ref()
            .map(|s| s.title_nl.clone())
            .unwrap_or_default(),
    );
    let title_en = RwSignal::new(
        initial
            .as_ref()
            .map(|s| s.title_en.clone())
            .unwrap_or_default(),
    );
    let intro_nl = RwSignal::new(
        initial
            .as_ref()
            .map(|s| s.intro_nl.clone())
            .unwrap_or_default(),
    );
    let intro_en = RwSignal::new(
        initial
            .as_ref()
            .map(|s| s.intro_en.clone())
            .unwrap_or_default(),
    );
    let students = RwSignal::new(
        initial
            .as_ref()
            .is_none_or(|s| s.groups.contains(&Group::Student)),
    );
    let residents = RwSignal::new(
        initial
            .as_ref()
            .is_some_and(|s| s.groups.contains(&Group::Resident)),
    );
    let hoods = RwSignal::new(
        initial
            .as_ref()
            .map(|s| s.neighbourhood_ids.clone())
            .unwrap_or_default(),
    );
    let opens = RwSignal::new(
        existing
            .as_ref()
            .map(|s| to_local_input(s.opens_at))
            .unwrap_or_else(local_now_input),
    );
    let closes = RwSignal::new(
        existing
            .as_ref()
            .map(|s| to_local_input(s.closes_at))
            .unwrap_or_else(|| {
                let in_two_weeks = js_sys::Date::now() as i64 + 14 * 24 * 3600 * 1000;
                chrono::DateTime::from_timestamp_millis(in_two_weeks)
                    .map(|t| to_local_input(t.naive_utc()))
                    .unwrap_or_default()
            }),
    );
    let anonymous = RwSignal::new(initial.as_ref().is_some_and(|s| s.anonymous));
    let baseline = RwSignal::new(
        initial
            .as_ref()
            .and_then(|s| s.baseline_id)
            .map(|b| b.to_string())
            .unwrap_or_default(),
    );
    let questions: RwSignal<Vec<QDraft>> = RwSignal::new(
        initial
            .as_ref()
            .map(|s| s.questions.iter().map(QDraft::from_input).collect())
            .unwrap_or_default(),
    );
    let new_kind = RwSignal::new(QuestionKind::Likert);
    let preview = RwSignal::new(false);
    let form = FormState::new();
    let neighbourhoods = load_neighbourhoods();
    let others = fetch(move || async move {
        session
            .call::<(), SurveyList>(Method::GET, "/api/surveys?per_page=100", None)
            .await
            .map(|l| l.items)
            .unwrap_or_default()
    });

    let build = move || -> Option<SurveyInput> {
        let mut groups = Vec::new();
        if students.get_untracked() {
            groups.push(Group::Student);
        }
        if residents.get_untracked() {
            groups.push(Group::Resident);
        }
        Some(SurveyInput {
            title_nl: title_nl.get_untracked(),
            title_en: title_en.get_untracked(),
            intro_nl: intro_nl.get_untracked(),
            intro_en: intro_en.get_untracked(),
            groups,
            neighbourhood_ids: hoods.get_untracked(),
            opens_at: parse_local(&opens.get_untracked())?,
            closes_at: parse_local(&closes.get_untracked())?,
            anonymous: anonymous.get_untracked(),
            baseline_id: baseline.get_untracked().parse().ok(),
            questions: questions
                .get_untracked()
                .into_iter()
                .map(QDraft::to_input)
                .collect(),
        })
    };
    let err = move |field: String| -> Option<String> {
        let lang = i18n.lang.get();
        form.server_errors.with(|errors| {
            errors.iter().find(|e| e.field == field).map(|e| {
                field_message(lang, &e.code)
                    .map(str::to_owned)
                    .unwrap_or_else(|| e.message.clone())
            })
        })
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(input) = build() else {
            form.server_errors.set(vec![FieldError::new(
                "opens_at",
                "required",
                "Fill in this field.",
            )]);
            focus_later("error-summary".into());
            return;
        };
        let errors = input.validate();
        if !errors.is_empty() {
            form.server_errors.set(errors);
            focus_later("error-summary".into());
            return;
        }
        form.pending.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let result = match id {
                Some(id) => {
                    session
                        .call::<_, SurveyDto>(
                            Method::PUT,
                            &format!("/api/surveys/{id}"),
                            Some(&input),
                        )
                        .await
                }
                None => {
                    session
                        .call::<_, SurveyDto>(Method::POST, "/api/surveys", Some(&input))
                        .await
                }
            };
            match result {
                Ok(s) => {
                    form.done();
                    navigate(
                        &format!("/surveys/{}?saved=1", s.id),
                        NavigateOptions::default(),
                    );
                }
                Err(e) => {
                    form.fail(e, i18n.t());
                    focus_later("error-summary".into());
                }
            }
        });
    };
    let add = move |_| {
        questions.update(|qs| qs.push(QDraft::new(new_kind.get_untracked())));
        let n = questions.with_untracked(Vec::len) - 1;
        focus_later(fid(&format!("questions[{n}].text_nl")));
    };
    let text_field = move |field: &'static str,
                           label_nl: &'static str,
                           label_en: &'static str,
                           value: RwSignal<String>,
                           long: bool| {
        let id = fid(field);
        let id2 = id.clone();
        view! {
            <div class="field" class:has-error=move || err(field.into()).is_some()>
                <label for=id.clone()>{move || i18n.pick(label_nl, label_en)}</label>
                {move || err(field.into()).map(|e| view! { <p class="error">{e}</p> })}
                {if long {
                    view! { <textarea id=id2 rows="3" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea> }.into_any()
                } else {
                    view! { <input type="text" id=id2 prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/> }.into_any()
                }}
            </div>
        }
    };
    view! {
        <h1>{move || if id.is_some() { i18n.pick("Vragenlijst bewerken", "Edit survey") } else { i18n.pick("Nieuwe vragenlijst", "New survey") }}</h1>
        <div id="error-summary" class="error-summary" tabindex="-1" role="alert"
            hidden=move || form.server_errors.with(Vec::is_empty) && form.general.with(Option::is_none)>
            <h2>{move || i18n.pick("Controleer deze punten", "Please check these")}</h2>
            {move || form.general.get().map(|g| view! { <p>{g}</p> })}
            <ul>
                {move || form.server_errors.get().into_iter().map(|e| {
                    let href = format!("#{}", fid(&e.field));
                    let text = format!("{}: {}", e.field, field_message(i18n.lang.get(), &e.code).map(str::to_owned).unwrap_or(e.message));
                    view! { <li><a href=href>{text}</a></li> }
                }).collect_view()}
            </ul>
        </div>
        {frozen.then(|| view! { <p class="guidance">{move || i18n.pick(
            "Er zijn al antwoorden: de vragen liggen vast. Titel, uitleg en looptijd kun je nog wijzigen; maak een kopie voor andere vragen.",
            "Answers exist: the questions are frozen. You can still change title, introduction and period; copy the survey for other questions.")}</p> })}
        <form on:submit=save novalidate>
            {text_field("title_nl", "Titel (Nederlands)", "Title (Dutch)", title_nl, false)}
            {text_field("title_en", "Titel (Engels)", "Title (English)", title_en, false)}
            {text_field("intro_nl", "Uitleg (Nederlands)", "Introduction (Dutch)", intro_nl, true)}
            {text_field("intro_en", "Uitleg (Engels)", "Introduction (English)", intro_en, true)}
            <fieldset class="field" id=fid("groups") class:has-error=move || err("groups".into()).is_some()>
                <legend>{move || i18n.pick("Doelgroep", "Target group")}</legend>
                {move || err("groups".into()).map(|e| view! { <p class="error">{e}</p> })}
                <div class="choices">
                    <div class="choice"><input type="checkbox" id="g-student" prop:checked=move || students.get() on:change=move |ev| students.set(event_target_checked(&ev))/>
                        <label for="g-student">{move || group_name(i18n.lang.get(), Group::Student)}</label></div>
                    <div class="choice"><input type="checkbox" id="g-resident" prop:checked=move || residents.get() on:change=move |ev| residents.set(event_target_checked(&ev))/>
                        <label for="g-resident">{move || group_name(i18n.lang.get(), Group::Resident)}</label></div>
                </div>
            </fieldset>
            <fieldset class="field" id=fid("neighbourhood_ids")>
                <legend>{move || i18n.pick("Wijken", "Neighbourhoods")}</legend>
                <p class="hint">{move || i18n.pick("Niets aangevinkt: alle wijken.", "None ticked: every neighbourhood.")}</p>
                <div class="choices">
                    {move || neighbourhoods.get().map(|list| list.into_iter().map(|n| {
                        let nid = n.id;
                        let input_id = format!("hood-{nid}");
                        view! {
                            <div class="choice">
                                <input type="checkbox" id=input_id.clone() prop:checked=move || hoods.with(|h| h.contains(&nid))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        hoods.update(|h| { h.retain(|x| *x != nid); if on { h.push(nid); } });
                                    }/>
                                <label for=input_id>{n.name}</label>
                            </div>
                        }
                    }).collect_view())}
                </div>
            </fieldset>
            <div class="field" class:has-error=move || err("opens_at".into()).is_some()>
                <label for=fid("opens_at")>{move || i18n.pick("Open vanaf", "Opens")}</label>
                {move || err("opens_at".into()).map(|e| view! { <p class="error">{e}</p> })}
                <input type="datetime-local" id=fid("opens_at") prop:value=move || opens.get() on:input=move |ev| opens.set(event_target_value(&ev))/>
            </div>
            <div class="field" class:has-error=move || err("closes_at".into()).is_some()>
                <label for=fid("closes_at")>{move || i18n.pick("Sluit op", "Closes")}</label>
                {move || err("closes_at".into()).map(|e| view! { <p class="error">{e}</p> })}
                <input type="datetime-local" id=fid("closes_at") prop:value=move || closes.get() on:input=move |ev| closes.set(event_target_value(&ev))/>
            </div>
            <div class="field choice">
                <input type="checkbox" id="anonymous" prop:checked=move || anonymous.get() on:change=move |ev| anonymous.set(event_target_checked(&ev))/>
                <label for="anonymous">{move || i18n.pick(
                    "Anoniem: antwoorden worden zonder account bewaard (alleen groep, wijk en dag).",
                    "Anonymous: answers are stored without the account (only group, neighbourhood and day).")}</label>
            </div>
            <div class="field" class:has-error=move || err("baseline_id".into()).is_some()>
                <label for=fid("baseline_id")>{move || i18n.pick("Vergelijk met (nulmeting)", "Compare with (baseline)")}</label>
                <p class="hint">{move || i18n.pick("Vragen met dezelfde sleutel worden voor en na vergeleken.", "Questions with the same key are compared before and after.")}</p>
                {move || err("baseline_id".into()).map(|e| view! { <p class="error">{e}</p> })}
                <select id=fid("baseline_id") on:change=move |ev| baseline.set(event_target_value(&ev))>
                    <option value="" selected=move || baseline.get().is_empty()>{move || i18n.pick("Geen", "None")}</option>
                    {move || others.get().map(|list| list.into_iter().filter(|s| Some(s.id) != id).map(|s| {
                        let value = s.id.to_string();
                        let selected = value.clone();
                        let title = by_lang(i18n.lang.get(), &s.title_nl, &s.title_en);
                        view! { <option value=value selected=move || baseline.get() == selected>{title}</option> }
                    }).collect_view())}
                </select>
            </div>

            <h2>{move || i18n.pick("Vragen", "Questions")}</h2>
            {move || err("questions".into()).map(|e| view! { <p class="error" id=fid("questions")>{e}</p> })}
            <div class="field choice">
                <input type="checkbox" id="preview" prop:checked=move || preview.get() on:change=move |ev| preview.set(event_target_checked(&ev))/>
                <label for="preview">{move || i18n.pick("Voorbeeld tonen zoals deelnemers het zien", "Show a preview as participants see it")}</label>
            </div>
            <ol class="questions">
                <For each=move || questions.get() key=|q| q.uid let:q>
                    <QuestionEditor q=q questions=questions preview=preview frozen=frozen err=err/>
                </For>
            </ol>
            <Show when=move || !frozen>
                <div class="card add-question">
                    <div class="field">
                        <label for="new-kind">{move || i18n.pick("Soort vraag", "Question type")}</label>
                        <select id="new-kind" on:change=move |ev| {
                            if let Some(k) = QuestionKind::parse(&event_target_value(&ev)) { new_kind.set(k); }
                        }>
                            {QuestionKind::ALL.into_iter().map(|k| view! {
                                <option value=k.as_str() selected=move || new_kind.get() == k>{move || kind_label(i18n.lang.get(), k)}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <button type="button" class="button" on:click=add>{move || i18n.pick("Vraag toevoegen", "Add question")}</button>
                </div>
            </Show>
            <div class="actions">
                <button type="submit" class="button primary" disabled=move || form.pending.get()>
                    {move || if form.pending.get() { i18n.pick("Bezig met opslaan…", "Saving…") } else { i18n.pick("Opslaan", "Save") }}
                </button>
                {id.map(|id| view! { <A href=format!("/surveys/{id}") attr:class="button">{move || i18n.pick("Annuleren", "Cancel")}</A> })}
            </div>
        </form>
    }
}

#[component]
fn QuestionEditor(
    q: QDraft,
    questions: RwSignal<Vec<QDraft>>,
    preview: RwSignal<bool>,
    frozen: bool,
    err: impl Fn(String) -> Option<String> + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let index = move || questions.with(|qs| qs.iter().position(|x| x.uid == q.uid).unwrap_or(0));
    let count = move || questions.with(Vec::len);
    let f = move |name: &str| format!("questions[{}].{name}", index());
    let move_by = move |delta: isize| {
        questions.update(|qs| {
            let i = qs.iter().position(|x| x.uid == q.uid).unwrap_or(0) as isize;
            let j = i + delta;
            if j >= 0 && (j as usize) < qs.len() {
                qs.swap(i as usize, j as usize);
            }
        });
    };
    let remove = move |_| questions.update(|qs| qs.retain(|x| x.uid != q.uid));
    let input = move |name: &'static str,
                      label_nl: &'static str,
                      label_en: &'static str,
                      value: RwSignal<String>,
                      kind: &'static str| {
        view! {
            <div class="field" class:has-error=move || err(f(name)).is_some()>
                <label for=move || fid(&f(name))>{move || i18n.pick(label_nl, label_en)}</label>
                {move || err(f(name)).map(|e| view! { <p class="error">{e}</p> })}
                <input type=kind id=move || fid(&f(name)) inputmode=if kind == "text" { "text" } else { "decimal" } disabled=frozen
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <li class="card question-editor">
            <h3>{move || format!("{} {} · {}", i18n.pick("Vraag", "Question"), index() + 1, kind_label(i18n.lang.get(), q.kind.get()))}</h3>
            {input("text_nl", "Vraag (Nederlands)", "Question (Dutch)", q.text_nl, "text")}
            {input("text_en", "Vraag (Engels)", "Question (English)", q.text_en, "text")}
            <div class="field choice">
                <input type="checkbox" id=move || format!("req-{}", q.uid) disabled=frozen prop:checked=move || q.required.get()
                    on:change=move |ev| q.required.set(event_target_checked(&ev))/>
                <label for=move || format!("req-{}", q.uid)>{move || i18n.pick("Verplicht", "Required")}</label>
            </div>
            {move || match q.kind.get() {
                QuestionKind::SingleChoice | QuestionKind::MultipleChoice => view! {
                    <fieldset class="field" id=move || fid(&f("settings.options"))>
                        <legend>{move || i18n.pick("Antwoordopties", "Options")}</legend>
                        {move || err(f("settings.options")).map(|e| view! { <p class="error">{e}</p> })}
                        <For each=move || q.options.get() key=|o| o.uid let:o>
                            {
                                let pos = move || q.options.with(|os| os.iter().position(|x| x.uid == o.uid).unwrap_or(0));
                                let of = move |lang: &str| f(&format!("settings.options[{}].{lang}", pos()));
                                view! {
                                    <div class="option-row">
                                        <label class="visually-hidden" for=move || fid(&of("nl"))>{move || format!("{} {} (NL)", i18n.pick("Optie", "Option"), pos() + 1)}</label>
                                        <input type="text" id=move || fid(&of("nl")) placeholder="NL" disabled=frozen prop:value=move || o.nl.get() on:input=move |ev| o.nl.set(event_target_value(&ev))/>
                                        <label class="visually-hidden" for=move || fid(&of("en"))>{move || format!("{} {} (EN)", i18n.pick("Optie", "Option"), pos() + 1)}</label>
                                        <input type="text" id=move || fid(&of("en")) placeholder="EN" disabled=frozen prop:value=move || o.en.get() on:input=move |ev| o.en.set(event_target_value(&ev))/>
                                        <button type="button" class="button small" disabled=frozen
                                            aria-label=move || format!("{} {}", i18n.pick("Verwijder optie", "Remove option"), pos() + 1)
                                            on:click=move |_| q.options.update(|os| os.retain(|x| x.uid != o.uid))>"×"</button>
                                    </div>
                                    {move || err(of("nl")).or_else(|| err(of("en"))).map(|e| view! { <p class="error">{e}</p> })}
                                }
                            }
                        </For>
                        <button type="button" class="button small" disabled=frozen
                            on:click=move |_| q.options.update(|os| os.push(OptDraft::new(&ChoiceOption::default())))>
                            {move || i18n.pick("Optie toevoegen", "Add option")}
                        </button>
                    </fieldset>
                    {(q.kind.get_untracked() == QuestionKind::MultipleChoice).then(|| view! {
                        {input("settings.min_selections", "Minimaal te kiezen", "Choose at least", q.min_sel, "number")}
                        {input("settings.max_selections", "Maximaal te kiezen", "Choose at most", q.max_sel, "number")}
                    })}
                }.into_any(),
                QuestionKind::Likert => view! {
                    <div class="field" class:has-error=move || err(f("settings.points")).is_some()>
                        <label for=move || fid(&f("settings.points"))>{move || i18n.pick("Aantal punten", "Points")}</label>
                        <select id=move || fid(&f("settings.points")) disabled=frozen on:change=move |ev| q.points.set(event_target_value(&ev).parse().unwrap_or(5))>
                            <option value="5" selected=move || q.points.get() == 5>"5"</option>
                            <option value="7" selected=move || q.points.get() == 7>"7"</option>
                        </select>
                    </div>
                    {input("settings.low_label.nl", "Label laagste punt (NL)", "Lowest point label (NL)", q.low_nl, "text")}
                    {input("settings.low_label.en", "Label laagste punt (EN)", "Lowest point label (EN)", q.low_en, "text")}
                    {input("settings.high_label.nl", "Label hoogste punt (NL)", "Highest point label (NL)", q.high_nl, "text")}
                    {input("settings.high_label.en", "Label hoogste punt (EN)", "Highest point label (EN)", q.high_en, "text")}
                }.into_any(),
                QuestionKind::FreeText => input("settings.max_length", "Maximaal aantal tekens", "Maximum characters", q.max_length, "number").into_any(),
                QuestionKind::Number => view! {
                    {input("settings.min", "Minimum", "Minimum", q.min, "number")}
                    {input("settings.max", "Maximum", "Maximum", q.max, "number")}
                }.into_any(),
            }}
            <Show when=move || preview.get()>
                <div class="preview" aria-label=move || i18n.pick("Voorbeeld", "Preview")>
                    {move || {
                        let mut dto = QuestionDto {
                            id: -(q.uid as i32),
                            position: index() as i32 + 1,
                            key: String::new(),
                            kind: q.kind.get(),
                            text_nl: q.text_nl.get(),
                            text_en: q.text_en.get(),
                            required: q.required.get(),
                            settings: q.to_input().settings,
                        };
                        dto.settings = QuestionInput { key: None, kind: dto.kind, text_nl: String::new(), text_en: String::new(), required: false, settings: dto.settings.clone() }.normalised_settings();
                        view! { <QuestionView q=dto answers=RwSignal::new(Vec::new()) error=Signal::derive(|| None) disabled=true/> }
                    }}
                </div>
            </Show>
            <Show when=move || !frozen>
                <div class="controls">
                    <button type="button" class="button small" disabled=move || index() == 0 on:click=move |_| move_by(-1)
                        aria-label=move || format!("{} {} {}", i18n.pick("Vraag", "Question"), index() + 1, i18n.pick("omhoog", "up"))>"↑"</button>
                    <button type="button" class="button small" disabled=move || index() + 1 == count() on:click=move |_| move_by(1)
                        aria-label=move || format!("{} {} {}", i18n.pick("Vraag", "Question"), index() + 1, i18n.pick("omlaag", "down"))>"↓"</button>
                    <button type="button" class="button small danger" on:click=remove>{move || i18n.pick("Verwijderen", "Remove")}</button>
                </div>
            </Show>
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
fn QuestionView(
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

// ---- Results ----------------------------------------------------------------

fn fmt_pct(p: Option<f64>) -> String {
    p.map(|p| format!("{p:.1}%"))
        .unwrap_or_else(|| "< 5".into())
}

/// Horizontal bars, one per option; hidden from screen readers, which get the
/// table beside it.
fn bar_chart(labels: Vec<String>, percents: Vec<Option<f64>>) -> impl IntoView {
    let row = 34.0;
    let height = labels.len() as f64 * row;
    view! {
        <svg class="chart" viewBox=format!("0 0 300 {height}") width="100%" aria-hidden="true" focusable="false">
            {labels.into_iter().zip(percents).enumerate().map(|(i, (label, p))| {
                let y = i as f64 * row;
                let w = p.unwrap_or(0.0) * 2.2;
                view! {
                    <text x="0" y=y + 12.0 font-size="11" fill="#1b1f24">{label}</text>
                    <rect x="0" y=y + 16.0 width=w.max(1.0) height="12" rx="2" fill="#14507a"/>
                    <text x=w + 6.0 y=y + 26.0 font-size="11" fill="#1b1f24">{fmt_pct(p)}</text>
                }
            }).collect_view()}
        </svg>
    }
}

#[component]
fn QuestionResultView(r: QuestionResult) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let title = by_lang(lang, &r.text_nl, &r.text_en);
    let labels: Vec<String> = r
        .options
        .iter()
        .map(|o| by_lang(lang, &o.label_nl, &o.label_en))
        .collect();
    let percents: Vec<Option<f64>> = r.options.iter().map(|o| o.percent).collect();
    let has_options = !r.options.is_empty();
    let caption = title.clone();
    view! {
        <section class="card result">
            <h3>{title}</h3>
            <p class="meta">{format!("{} {}", r.answered.map(|n| n.to_string()).unwrap_or_else(|| "< 5".into()), i18n.pick("beantwoord", "answered"))}</p>
            {has_options.then(|| view! {
                {bar_chart(labels, percents)}
                <table class="visually-hidden">
                    <caption>{caption}</caption>
                    <thead><tr><th scope="col">{i18n.pick("Antwoord", "Answer")}</th><th scope="col">{i18n.pick("Aantal", "Count")}</th><th scope="col">{i18n.pick("Aandeel", "Share")}</th></tr></thead>
                    <tbody>
                        {r.options.iter().map(|o| view! {
                            <tr><th scope="row">{by_lang(lang, &o.label_nl, &o.label_en)}</th>
                                <td>{o.count.map(|c| c.to_string()).unwrap_or_else(|| "< 5".into())}</td>
                                <td>{fmt_pct(o.percent)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            })}
            {r.stats.clone().map(|s| view! {
                <dl class="stats">
                    <dt>{i18n.pick("Gemiddelde", "Mean")}</dt><dd>{fmt_num(s.mean)}</dd>
                    <dt>{i18n.pick("Mediaan", "Median")}</dt><dd>{fmt_num(s.median)}</dd>
                    <dt>{i18n.pick("Laagste – hoogste", "Lowest – highest")}</dt><dd>{format!("{} – {}", fmt_num(s.min), fmt_num(s.max))}</dd>
                </dl>
            })}
            {r.change.clone().map(|c| view! {
                <div class="change">
                    <h4>{i18n.pick("Voor en na", "Before and after")}</h4>
                    {c.mean_difference.map(|d| view! {
                        <p>{format!("{}: {} → {} ({}{})", i18n.pick("Gemiddelde", "Mean"),
                            c.baseline_mean.map(fmt_num).unwrap_or_default(), c.mean.map(fmt_num).unwrap_or_default(),
                            if d > 0.0 { "+" } else { "" }, fmt_num(d))}</p>
                    })}
                    {(!c.options.is_empty()).then(|| view! {
                        <table>
                            <thead><tr><th scope="col">{i18n.pick("Antwoord", "Answer")}</th><th scope="col">{i18n.pick("Voor", "Before")}</th><th scope="col">{i18n.pick("Na", "After")}</th><th scope="col">{i18n.pick("Verschil", "Change")}</th></tr></thead>
                            <tbody>
                                {c.options.iter().map(|o| view! {
                                    <tr><th scope="row">{by_lang(lang, &o.label_nl, &o.label_en)}</th>
                                        <td>{format!("{:.1}%", o.baseline_percent)}</td><td>{format!("{:.1}%", o.percent)}</td>
                                        <td>{format!("{}{:.1}", if o.difference > 0.0 { "+" } else { "" }, o.difference)}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    })}
                </div>
            })}
            {(!r.texts.is_empty()).then(|| view! {
                <h4>{i18n.pick("Open antwoorden", "Free-text answers")}</h4>
                <ul class="texts">{r.texts.iter().map(|t| view! { <li class="pre">{t.clone()}</li> }).collect_view()}</ul>
            })}
        </section>
    }
}

#[component]
pub fn SurveyResultsPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|t| {
        if std::ptr::eq(t, crate::i18n::texts(Language::Nl)) {
            "Resultaten"
        } else {
            "Results"
        }
    });
    let allowed = super::require_login();
    let id = survey_id();
    let results = fetch(move || {
        let id = id();
        async move {
            session
                .call::<(), SurveyResults>(Method::GET, &format!("/api/surveys/{id}/results"), None)
                .await
        }
    });
    let role = move || session.user.with(|u| u.as_ref().map(|u| u.role));
    let download_failed = RwSignal::new(false);
    let download = move |_| {
        let id = id();
        spawn_local(async move {
            let name = format!("survey-{id}-results.csv");
            if !session
                .download(&format!("/api/surveys/{id}/results.csv"), "text/csv", &name)
                .await
            {
                download_failed.set(true);
            }
        });
    };
    view! {
        <Show when=move || allowed.get() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            {move || match results.get() {
                None => view! { <h1>{move || i18n.pick("Resultaten", "Results")}</h1><p>{move || i18n.t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <h1>{move || i18n.pick("Resultaten", "Results")}</h1><p class="error">{e.message(i18n.t())}</p> }.into_any(),
                Some(Ok(r)) => {
                    let lang = i18n.lang.get();
                    let rate = r.response_rate.map(|v| format!("{:.1}%", v * 100.0)).unwrap_or_else(|| "–".into());
                    let survey_id = r.survey_id;
                    let question_titles: Vec<(i32, String, QuestionKind)> = r.questions.iter().map(|q| (q.question_id, by_lang(lang, &q.text_nl, &q.text_en), q.kind)).collect();
                    view! {
                        <h1>{format!("{}: {}", i18n.pick("Resultaten", "Results"), by_lang(lang, &r.title_nl, &r.title_en))}</h1>
                        <dl class="facts">
                            <dt>{i18n.pick("Status", "Status")}</dt><dd>{status_label(lang, r.status)}</dd>
                            <dt>{i18n.pick("Antwoorden", "Responses")}</dt><dd data-testid="respondents">{r.respondents}</dd>
                            <dt>{i18n.pick("Doelgroep (nu)", "Audience (now)")}</dt><dd>{r.eligible}</dd>
                            <dt>{i18n.pick("Respons", "Response rate")}</dt><dd>{rate}</dd>
                            {r.baseline.clone().map(|b| view! {
                                <dt>{i18n.pick("Nulmeting", "Baseline")}</dt>
                                <dd><A href=format!("/surveys/{}/results", b.id)>{by_lang(lang, &b.title_nl, &b.title_en)}</A>{format!(" ({} {})", b.respondents, i18n.pick("antwoorden", "responses"))}</dd>
                            })}
                        </dl>
                        <div class="actions">
                            {is_staff(role()).then(|| view! { <button type="button" class="button" on:click=download>{i18n.pick("Download CSV", "Download CSV")}</button> })}
                            <A href=format!("/surveys/{survey_id}") attr:class="button">{i18n.pick("Vragenlijst", "Survey")}</A>
                        </div>
                        {move || download_failed.get().then(|| view! { <p class="error" role="alert">{i18n.pick("Downloaden lukte niet. Probeer het opnieuw.", "The download failed. Please try again.")}</p> })}
                        {r.suppressed.then(|| view! { <p class="notice">{i18n.pick("Minder dan 5 antwoorden: uitkomsten worden nog niet getoond.", "Fewer than 5 responses: results are not shown yet.")}</p> })}
                        {r.questions.into_iter().map(|q| view! { <QuestionResultView r=q/> }).collect_view()}
                        {(!r.breakdowns.is_empty()).then(|| view! {
                            <h2>{i18n.pick("Per groep en wijk", "By group and neighbourhood")}</h2>
                            <p class="meta">{i18n.pick("Groepen met minder dan 5 antwoorden worden niet getoond (< 5).", "Groups with fewer than 5 responses are not shown (< 5).")}</p>
                            {r.breakdowns.into_iter().map(|b| {
                                let dim = if b.dimension == "group" { i18n.pick("Groep", "Group") } else { i18n.pick("Wijk", "Neighbourhood") };
                                let means: Vec<(i32, String)> = question_titles.iter().filter(|(_, _, k)| matches!(k, QuestionKind::Likert | QuestionKind::Number)).map(|(id, t, _)| (*id, t.clone())).collect();
                                let header = means.clone();
                                view! {
                                    <div class="table-wrap" tabindex="0" role="region" aria-label=move || i18n.pick("Tabel", "Table")>
                                        <table>
                                            <caption>{dim}</caption>
                                            <thead><tr>
                                                <th scope="col">{dim}</th>
                                                <th scope="col">{i18n.pick("Antwoorden", "Responses")}</th>
                                                {header.into_iter().map(|(_, t)| view! { <th scope="col">{format!("{} {}", i18n.pick("Gem.", "Mean"), t)}</th> }).collect_view()}
                                            </tr></thead>
                                            <tbody>
                                                {b.cells.into_iter().map(|c| {
                                                    let label = match c.key.as_str() {
                                                        "student" => group_name(lang, Group::Student).to_owned(),
                                                        "resident" => group_name(lang, Group::Resident).to_owned(),
                                                        "unknown" => i18n.pick("onbekend", "unknown").to_owned(),
                                                        _ => c.label.clone(),
                                                    };
                                                    let cells = means.iter().map(|(qid, _)| {
                                                        c.questions.iter().find(|cq| cq.question_id == *qid).and_then(|cq| cq.mean).map(fmt_num).unwrap_or_else(|| "< 5".into())
                                                    }).collect::<Vec<_>>();
                                                    view! {
                                                        <tr><th scope="row">{label}</th>
                                                            <td>{c.respondents.map(|n| n.to_string()).unwrap_or_else(|| "< 5".into())}</td>
                                                            {cells.into_iter().map(|v| view! { <td>{v}</td> }).collect_view()}
                                                        </tr>
                                                    }
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                    </div>
                                }
                            }).collect_view()}
                        })}
                    }.into_any()
                }
            }}
        </Show>
    }
}
