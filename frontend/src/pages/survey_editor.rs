//! The survey builder (coordinators): drafts, questions, audience, publishing.

use std::sync::atomic::{AtomicU32, Ordering};

use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use shared::surveys::{
    ChoiceOption, QuestionDto, QuestionInput, QuestionKind, QuestionSettings, SurveyDto,
    SurveyInput, SurveyList,
};
use shared::users::{Group, Language};
use shared::FieldError;

use super::neighbourhoods::load_neighbourhoods;
use super::surveys::{by_lang, focus_later, num_text, survey_id, QuestionView};
use crate::api::use_session;
use crate::components::{fetch, page_title, FormState};
use crate::i18n::{field_message, group_name, use_i18n};
use crate::time::{local_now_input, parse_local, to_local_input};

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
