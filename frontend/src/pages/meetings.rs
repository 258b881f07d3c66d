//! Neighbourhood safety meetings: the list per neighbourhood, a meeting with
//! its topics (support, propose), the coordinator's agenda board, the
//! follow-up tracker and "my topics".

use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use shared::meetings::{
    ActionDto, ActionInput, ActionList, ActionOwner, ActionStatus, ActionUpdateInput,
    CopyMeetingRequest, FromReportsRequest, MeetingDto, MeetingInput, MeetingList, MeetingStatus,
    MeetingTransition, MeetingUpdate, RsvpRequest, TopicDto, TopicInput, TopicStatus,
    TopicSuggestion, TopicTransition,
};
use shared::users::{Language, Role};
use shared::FieldError;

use super::neighbourhoods::load_neighbourhoods;
use super::surveys::{by_lang, focus_later};
use crate::api::{use_session, ApiError};
use crate::components::{fetch, page_title};
use crate::i18n::{field_message, use_i18n, I18n};
use crate::time::{fmt_time, local_now_input, parse_local};

pub fn meeting_status_name(lang: Language, s: MeetingStatus) -> &'static str {
    let nl = lang == Language::Nl;
    match s {
        MeetingStatus::Planned => {
            if nl {
                "gepland"
            } else {
                "planned"
            }
        }
        MeetingStatus::AgendaSet => {
            if nl {
                "agenda vastgesteld"
            } else {
                "agenda set"
            }
        }
        MeetingStatus::Held => {
            if nl {
                "gehouden"
            } else {
                "held"
            }
        }
        MeetingStatus::Evaluated => {
            if nl {
                "geëvalueerd"
            } else {
                "evaluated"
            }
        }
        MeetingStatus::Cancelled => {
            if nl {
                "afgelast"
            } else {
                "cancelled"
            }
        }
    }
}

pub fn topic_status_name(lang: Language, s: TopicStatus) -> &'static str {
    let nl = lang == Language::Nl;
    match s {
        TopicStatus::Proposed => {
            if nl {
                "voorgesteld"
            } else {
                "proposed"
            }
        }
        TopicStatus::OnAgenda => {
            if nl {
                "op de agenda"
            } else {
                "on the agenda"
            }
        }
        TopicStatus::Discussed => {
            if nl {
                "besproken"
            } else {
                "discussed"
            }
        }
        TopicStatus::FollowUp => {
            if nl {
                "vervolgacties"
            } else {
                "follow-up"
            }
        }
        TopicStatus::Done => {
            if nl {
                "afgerond"
            } else {
                "done"
            }
        }
        TopicStatus::Merged => {
            if nl {
                "samengevoegd"
            } else {
                "merged"
            }
        }
        TopicStatus::Declined => {
            if nl {
                "niet geagendeerd"
            } else {
                "declined"
            }
        }
    }
}

fn owner_name(lang: Language, o: ActionOwner) -> &'static str {
    let nl = lang == Language::Nl;
    match o {
        ActionOwner::Municipality => {
            if nl {
                "gemeente"
            } else {
                "municipality"
            }
        }
        ActionOwner::Police => {
            if nl {
                "politie"
            } else {
                "police"
            }
        }
        ActionOwner::Prosecutor => {
            if nl {
                "Openbaar Ministerie"
            } else {
                "prosecutor"
            }
        }
        ActionOwner::Residents => {
            if nl {
                "bewoners"
            } else {
                "residents"
            }
        }
    }
}

fn action_status_name(lang: Language, s: ActionStatus) -> &'static str {
    let nl = lang == Language::Nl;
    match s {
        ActionStatus::Open => "open",
        ActionStatus::InProgress => {
            if nl {
                "bezig"
            } else {
                "in progress"
            }
        }
        ActionStatus::Done => {
            if nl {
                "klaar"
            } else {
                "done"
            }
        }
    }
}

pub(crate) fn error_text(i18n: I18n, e: &ApiError) -> String {
    let lang = i18n.lang.get_untracked();
    match e.field_errors().first() {
        Some(f) if !f.field.is_empty() => field_message(lang, &f.code)
            .map(str::to_owned)
            .unwrap_or_else(|| f.message.clone()),
        _ => e.message(i18n.t()),
    }
}

fn meeting_id() -> impl Fn() -> i32 + Copy {
    let params = use_params_map();
    move || params.with(|p| p.get("id").and_then(|v| v.parse().ok()).unwrap_or_default())
}

pub(crate) fn staff(role: Option<Role>) -> bool {
    matches!(role, Some(Role::Coordinator) | Some(Role::Admin))
}

// ---- List and create ---------------------------------------------------------

#[component]
pub fn Meetings() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|t| {
        if std::ptr::eq(t, crate::i18n::texts(Language::Nl)) {
            "Bijeenkomsten"
        } else {
            "Meetings"
        }
    });
    let allowed = super::require_login();
    let role = move || session.user.with(|u| u.as_ref().map(|u| u.role));
    let hood = RwSignal::new(
        session
            .user
            .with_untracked(|u| u.as_ref().and_then(|u| u.neighbourhood_id))
            .map(|n| n.to_string())
            .unwrap_or_default(),
    );
    let neighbourhoods = load_neighbourhoods();
    let list = fetch(move || {
        let hood = hood.get();
        async move {
            let mut path = "/api/meetings?per_page=50".to_string();
            if !hood.is_empty() {
                path.push_str(&format!("&neighbourhood_id={hood}"));
            }
            session
                .call::<(), MeetingList>(Method::GET, &path, None)
                .await
        }
    });
    view! {
        <h1>{move || i18n.pick("Bijeenkomsten", "Meetings")}</h1>
        <p class="lead">{move || i18n.pick(
            "Buurtbijeenkomsten over veiligheid met burgemeester, politie en OM. Zet je eigen onderwerpen op de agenda.",
            "Neighbourhood safety meetings with the mayor, police and prosecutor. Put your own topics on the agenda.")}</p>
        <Show when=move || allowed.get() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            <Show when=move || staff(role())>
                <p><A href="/meetings/new" attr:class="button primary">{move || i18n.pick("Nieuwe bijeenkomst", "New meeting")}</A></p>
            </Show>
            <div class="field">
                <label for="meeting-hood">{move || i18n.t().neighbourhood_label}</label>
                <select id="meeting-hood" on:change=move |ev| hood.set(event_target_value(&ev))>
                    <option value="" selected=move || hood.get().is_empty()>{move || i18n.pick("Alle wijken", "All neighbourhoods")}</option>
                    {move || neighbourhoods.get().map(|l| l.into_iter().map(|n| {
                        let v = n.id.to_string();
                        let s = v.clone();
                        view! { <option value=v selected=move || hood.get() == s>{n.name}</option> }
                    }).collect_view())}
                </select>
            </div>
            {move || match list.get() {
                None => view! { <p>{move || i18n.t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e.message(i18n.t())}</p> }.into_any(),
                Some(Ok(l)) if l.items.is_empty() => view! { <p>{move || i18n.pick("Nog geen bijeenkomsten.", "No meetings yet.")}</p> }.into_any(),
                Some(Ok(l)) => view! {
                    <ul class="reports">
                        {l.items.into_iter().map(|m| {
                            let lang = i18n.lang.get();
                            view! {
                                <li class="report">
                                    <A href=format!("/meetings/{}", m.id)><strong>{m.title.clone()}</strong></A>
                                    <span>{m.neighbourhood_name.clone()} " · " {fmt_time(m.starts_at)}</span>
                                    <span class="status">{meeting_status_name(lang, m.status)}</span>
                                    <span class="meta">{format!("{} {} · {} {}", m.topic_count, i18n.pick("onderwerpen", "topics"), m.going, i18n.pick("komen", "going"))}</span>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </Show>
    }
}

#[component]
pub fn NewMeeting() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    page_title(|t| {
        if std::ptr::eq(t, crate::i18n::texts(Language::Nl)) {
            "Nieuwe bijeenkomst"
        } else {
            "New meeting"
        }
    });
    let allowed = super::require_login();
    let neighbourhoods = load_neighbourhoods();
    let (hood, title, place, description) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let (starts, until, capacity) = (
        RwSignal::new(local_now_input()),
        RwSignal::new(local_now_input()),
        RwSignal::new("50".to_string()),
    );
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let general = RwSignal::new(None::<String>);
    let err = move |f: &'static str| {
        let lang = i18n.lang.get();
        errors.with(|es| {
            es.iter().find(|e| e.field == f).map(|e| {
                field_message(lang, &e.code)
                    .map(str::to_owned)
                    .unwrap_or_else(|| e.message.clone())
            })
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(starts_at), Some(propose_until)) = (
            parse_local(&starts.get_untracked()),
            parse_local(&until.get_untracked()),
        ) else {
            errors.set(vec![FieldError::new(
                "starts_at",
                "required",
                "Fill in this field.",
            )]);
            return;
        };
        let input = MeetingInput {
            neighbourhood_id: hood.get_untracked().parse().unwrap_or(0),
            title: title.get_untracked(),
            starts_at,
            place: place.get_untracked(),
            description: description.get_untracked(),
            propose_until,
            capacity: capacity.get_untracked().trim().parse().unwrap_or(0),
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match session
                .call::<_, MeetingDto>(Method::POST, "/api/meetings", Some(&input))
                .await
            {
                Ok(m) => navigate(&format!("/meetings/{}", m.id), NavigateOptions::default()),
                Err(e) => {
                    let fields = e.field_errors();
                    general.set(fields.is_empty().then(|| e.message(i18n.t())));
                    errors.set(fields);
                    focus_later("meeting-errors".into());
                }
            }
        });
    };
    let field = move |id: &'static str,
                      nl: &'static str,
                      en: &'static str,
                      value: RwSignal<String>,
                      kind: &'static str| {
        view! {
            <div class="field" class:has-error=move || err(id).is_some()>
                <label for=id>{move || i18n.pick(nl, en)}</label>
                {move || err(id).map(|e| view! { <p class="error">{e}</p> })}
                <input type=kind id=id prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <h1>{move || i18n.pick("Nieuwe bijeenkomst", "New meeting")}</h1>
        <Show when=move || allowed.get() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            <div id="meeting-errors" class="error-summary" tabindex="-1" role="alert" hidden=move || errors.with(Vec::is_empty) && general.with(Option::is_none)>
                <h2>{move || i18n.pick("Controleer deze punten", "Please check these")}</h2>
                {move || general.get().map(|g| view! { <p>{g}</p> })}
                <ul>{move || errors.get().into_iter().map(|e| view! { <li><a href=format!("#{}", e.field)>{e.field.clone()} ": " {field_message(i18n.lang.get(), &e.code).map(str::to_owned).unwrap_or(e.message)}</a></li> }).collect_view()}</ul>
            </div>
            <form on:submit=submit.clone() novalidate>
                <div class="field" class:has-error=move || err("neighbourhood_id").is_some()>
                    <label for="neighbourhood_id">{move || i18n.t().neighbourhood_label}</label>
                    {move || err("neighbourhood_id").map(|e| view! { <p class="error">{e}</p> })}
                    <select id="neighbourhood_id" on:change=move |ev| hood.set(event_target_value(&ev))>
                        <option value="">{move || i18n.t().neighbourhood_choose}</option>
                        {move || neighbourhoods.get().map(|l| l.into_iter().map(|n| view! { <option value=n.id.to_string()>{n.name}</option> }).collect_view())}
                    </select>
                </div>
                {field("title", "Titel", "Title", title, "text")}
                {field("starts_at", "Begint op", "Starts", starts, "datetime-local")}
                {field("place", "Plaats", "Place", place, "text")}
                <div class="field">
                    <label for="description">{move || i18n.pick("Beschrijving", "Description")}</label>
                    <textarea id="description" rows="3" prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                </div>
                {field("propose_until", "Onderwerpen voorstellen tot", "Topics may be proposed until", until, "datetime-local")}
                {field("capacity", "Aantal plaatsen", "Seats", capacity, "number")}
                <button type="submit" class="button primary">{move || i18n.pick("Bijeenkomst aanmaken", "Create meeting")}</button>
            </form>
        </Show>
    }
}

// ---- One meeting ------------------------------------------------------------

#[component]
pub fn MeetingPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|t| {
        if std::ptr::eq(t, crate::i18n::texts(Language::Nl)) {
            "Bijeenkomst"
        } else {
            "Meeting"
        }
    });
    let allowed = super::require_login();
    let id = meeting_id();
    let version = RwSignal::new(0u32);
    let data = fetch(move || {
        let (id, _) = (id(), version.get());
        async move {
            let m = session
                .call::<(), MeetingDto>(Method::GET, &format!("/api/meetings/{id}"), None)
                .await?;
            let t = session
                .call::<(), Vec<TopicDto>>(Method::GET, &format!("/api/meetings/{id}/topics"), None)
                .await?;
            Ok::<_, ApiError>((m, t))
        }
    });
    let role = move || session.user.with(|u| u.as_ref().map(|u| u.role));
    let message = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<String>);
    let reload = move || version.update(|v| *v += 1);
    let post = move |method: Method,
                     path: String,
                     body: Option<serde_json::Value>,
                     ok: (&'static str, &'static str)| {
        spawn_local(async move {
            failure.set(None);
            match session
                .call::<_, serde_json::Value>(method, &path, body.as_ref())
                .await
            {
                Ok(_) => {
                    message.set(Some(
                        if i18n.lang.get_untracked() == Language::Nl {
                            ok.0
                        } else {
                            ok.1
                        }
                        .to_owned(),
                    ));
                    reload();
                }
                Err(e) => failure.set(Some(error_text(i18n, &e))),
            }
        });
    };
    view! {
        <Show when=move || allowed.get() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            {move || match data.get() {
                None => view! { <h1>{move || i18n.pick("Bijeenkomst", "Meeting")}</h1><p>{move || i18n.t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <h1>{move || i18n.t().not_found_title}</h1><p class="error">{e.message(i18n.t())}</p> }.into_any(),
                Some(Ok((m, topics))) => {
                    let lang = i18n.lang.get();
                    let is_staff = staff(role());
                    let participant = role() == Some(Role::Participant);
                    let mid = m.id;
                    let open_topics: Vec<(i32, String)> = topics.iter().filter(|t| !matches!(t.status, TopicStatus::Merged | TopicStatus::Declined)).map(|t| (t.id, t.title.clone())).collect();
                    view! {
                        <h1>{m.title.clone()}</h1>
                        {move || message.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
                        {move || failure.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                        <dl class="facts">
                            <dt>{i18n.pick("Wanneer", "When")}</dt><dd>{fmt_time(m.starts_at)}</dd>
                            <dt>{i18n.pick("Waar", "Where")}</dt><dd>{m.place.clone()} " (" {m.neighbourhood_name.clone()} ")"</dd>
                            <dt>{i18n.pick("Status", "Status")}</dt><dd data-testid="meeting-status">{meeting_status_name(lang, m.status)}</dd>
                            <dt>{i18n.pick("Aanmeldingen", "Attending")}</dt>
                            <dd>{format!("{} / {}", m.going, m.capacity)}{m.not_going.map(|n| format!(" · {} {}", n, i18n.pick("komen niet", "not going")))}</dd>
                            <dt>{i18n.pick("Onderwerpen voorstellen tot", "Propose topics until")}</dt><dd>{fmt_time(m.propose_until)}</dd>
                        </dl>
                        {(!m.description.is_empty()).then(|| view! { <p class="pre">{m.description.clone()}</p> })}
                        <div class="actions">
                            {participant.then(|| {
                                let going = m.my_rsvp;
                                view! {
                                    <button type="button" class="button" class:primary=going == Some(true) aria-pressed=(going == Some(true)).to_string()
                                        on:click=move |_| post(Method::PUT, format!("/api/meetings/{mid}/rsvp"), serde_json::to_value(RsvpRequest { going: true }).ok(), ("Aanmelding opgeslagen", "RSVP saved"))>
                                        {i18n.pick("Ik kom", "I'm going")}</button>
                                    <button type="button" class="button" class:primary=going == Some(false) aria-pressed=(going == Some(false)).to_string()
                                        on:click=move |_| post(Method::PUT, format!("/api/meetings/{mid}/rsvp"), serde_json::to_value(RsvpRequest { going: false }).ok(), ("Afmelding opgeslagen", "Saved"))>
                                        {i18n.pick("Ik kom niet", "Not going")}</button>
                                }
                            })}
                            <IcsLink id=mid/>
                        </div>
                        {m.minutes.clone().map(|text| view! { <section class="card"><h2>{i18n.pick("Verslag", "Minutes")}</h2><p class="pre">{text}</p></section> })}
                        {m.evaluation_survey_id.map(|s| view! { <p><A href=format!("/surveys/{s}")>{i18n.pick("Evaluatie: vul de vragenlijst in", "Evaluation: answer the survey")}</A></p> })}
                        {is_staff.then(|| view! { <MeetingAdmin m=m.clone() reload=Callback::new(move |_| reload())/> })}
                        <h2>{i18n.pick("Onderwerpen", "Topics")}</h2>
                        {if m.can_propose {
                            view! { <ProposeForm meeting=mid reload=Callback::new(move |_| reload())/> }.into_any()
                        } else if participant {
                            view! { <p class="meta" data-testid="no-proposing">{i18n.pick(
                                "Voorstellen kan hier niet (meer): de termijn is voorbij, of je woont niet in deze wijk.",
                                "Proposing is not possible here (any more): the deadline passed, or you do not live in this neighbourhood.")}</p> }.into_any()
                        } else {
                            ().into_any()
                        }}
                        {topics.is_empty().then(|| view! { <p>{i18n.pick("Nog geen onderwerpen.", "No topics yet.")}</p> })}
                        <ol class="questions" data-testid="topics">
                            {topics.into_iter().map(|t| view! { <TopicCard t=t is_staff=is_staff open_topics=open_topics.clone() post=post/> }).collect_view()}
                        </ol>
                    }.into_any()
                }
            }}
        </Show>
    }
}

#[component]
fn IcsLink(id: i32) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let download = move |_| {
        spawn_local(async move {
            session
                .download(
                    &format!("/api/meetings/{id}/ics"),
                    "text/calendar",
                    &format!("meeting-{id}.ics"),
                )
                .await;
        });
    };
    view! { <button type="button" class="button" on:click=download>{move || i18n.pick("In mijn agenda (.ics)", "Add to my calendar (.ics)")}</button> }
}

#[component]
fn ProposeForm(meeting: i32, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let title = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let general = RwSignal::new(None::<String>);
    let err = move |f: &'static str| {
        let lang = i18n.lang.get();
        errors.with(|es| {
            es.iter().find(|e| e.field == f).map(|e| {
                field_message(lang, &e.code)
                    .map(str::to_owned)
                    .unwrap_or_else(|| e.message.clone())
            })
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let input = TopicInput {
            title: title.get_untracked(),
            description: description.get_untracked(),
        };
        let found = input.validate();
        if !found.is_empty() {
            errors.set(found);
            focus_later("topic-title".into());
            return;
        }
        spawn_local(async move {
            match session
                .call::<_, TopicDto>(
                    Method::POST,
                    &format!("/api/meetings/{meeting}/topics"),
                    Some(&input),
                )
                .await
            {
                Ok(_) => {
                    title.set(String::new());
                    description.set(String::new());
                    errors.set(Vec::new());
                    general.set(None);
                    reload.run(());
                }
                Err(e) => {
                    let fields = e.field_errors();
                    general.set(fields.is_empty().then(|| e.message(i18n.t())));
                    errors.set(fields);
                }
            }
        });
    };
    view! {
        <form class="card" on:submit=submit novalidate>
            <h3>{move || i18n.pick("Stel een onderwerp voor", "Propose a topic")}</h3>
            {move || general.get().map(|g| view! { <p class="error" role="alert">{g}</p> })}
            <div class="field" class:has-error=move || err("title").is_some()>
                <label for="topic-title">{move || i18n.pick("Onderwerp", "Topic")}</label>
                {move || err("title").map(|e| view! { <p class="error">{e}</p> })}
                <input type="text" id="topic-title" maxlength="120" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
            </div>
            <div class="field" class:has-error=move || err("description").is_some()>
                <label for="topic-description">{move || i18n.pick("Waarom is dit belangrijk?", "Why does this matter?")}</label>
                <p class="hint">{move || i18n.pick("Minstens 10 tekens.", "At least 10 characters.")}</p>
                {move || err("description").map(|e| view! { <p class="error">{e}</p> })}
                <textarea id="topic-description" rows="3" maxlength="2000" prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))></textarea>
            </div>
            <button type="submit" class="button primary">{move || i18n.pick("Voorstellen", "Propose")}</button>
        </form>
    }
}

#[component]
fn TopicCard(
    t: TopicDto,
    is_staff: bool,
    open_topics: Vec<(i32, String)>,
    post: impl Fn(Method, String, Option<serde_json::Value>, (&'static str, &'static str))
        + Copy
        + Send
        + Sync
        + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    let tid = t.id;
    let can_support = matches!(t.status, TopicStatus::Proposed | TopicStatus::OnAgenda);
    let supported = t.supported_by_me;
    let heading_id = format!("topic-{tid}");
    let labelled_by = heading_id.clone();
    view! {
        <li class="card topic" aria-labelledby=labelled_by>
            <h3 id=heading_id>{t.title.clone()}</h3>
            <p class="pre">{t.description.clone()}</p>
            <p>
                <span class="status">{topic_status_name(lang, t.status)}</span>
                " · " <span data-testid="support-count">{format!("{} {}", t.support_count, i18n.pick("steunbetuigingen", "supports"))}</span>
                {t.mine.then(|| view! { " · " <span class="meta">{i18n.pick("jouw voorstel", "your proposal")}</span> })}
                {(t.report_count > 0).then(|| view! { " · " <span class="meta">{format!("{} {}", t.report_count, i18n.pick("meldingen", "reports"))}</span> })}
                {t.proposer_name.clone().map(|n| view! { " · " <span class="meta">{n}</span> })}
            </p>
            {t.public_reason.clone().map(|r| view! { <p class="note"><strong>{i18n.pick("Reden: ", "Reason: ")}</strong>{r}</p> })}
            {(can_support && !t.mine).then(|| if supported {
                view! { <button type="button" class="button small" aria-pressed="true"
                    on:click=move |_| post(Method::DELETE, format!("/api/topics/{tid}/support"), None, ("Steun ingetrokken", "Support withdrawn"))>
                    {i18n.pick("Steun intrekken", "Withdraw support")}</button> }.into_any()
            } else {
                view! { <button type="button" class="button small primary" aria-pressed="false"
                    on:click=move |_| post(Method::POST, format!("/api/topics/{tid}/support"), None, ("Bedankt voor je steun", "Thanks for your support"))>
                    {i18n.pick("Steunen", "Support")}</button> }.into_any()
            })}
            {(!t.actions.is_empty()).then(|| view! { <ActionsList actions=t.actions.clone()/> })}
            {is_staff.then(|| view! { <TopicAdmin t=t.clone() open_topics=open_topics post=post/> })}
        </li>
    }
}

#[component]
fn ActionsList(actions: Vec<ActionDto>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    view! {
        <h4>{i18n.pick("Vervolgacties", "Follow-up actions")}</h4>
        <ul class="timeline">
            {actions.into_iter().map(|a| view! {
                <li class:overdue-text=a.overdue>
                    <strong>{a.description.clone()}</strong>
                    <span class="meta">{format!(" · {} · {} {} · {}", owner_name(lang, a.owner), i18n.pick("uiterlijk", "due"), a.due_on, action_status_name(lang, a.status))}</span>
                    {a.overdue.then(|| view! { " " <span class="warn">{i18n.pick("te laat", "overdue")}</span> })}
                    {a.updates.into_iter().map(|u| view! { <p class="note">{u.note}</p> }).collect_view()}
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn TopicAdmin(
    t: TopicDto,
    open_topics: Vec<(i32, String)>,
    post: impl Fn(Method, String, Option<serde_json::Value>, (&'static str, &'static str))
        + Copy
        + Send
        + Sync
        + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let tid = t.id;
    let to = RwSignal::new(
        t.allowed_transitions
            .first()
            .map(|s| s.as_str().to_owned())
            .unwrap_or_default(),
    );
    let reason = RwSignal::new(String::new());
    let into = RwSignal::new(String::new());
    let desc = RwSignal::new(String::new());
    let owner = RwSignal::new("municipality".to_string());
    let due = RwSignal::new(String::new());
    let allowed = t.allowed_transitions.clone();
    let has_transitions = !allowed.is_empty();
    let others: Vec<(i32, String)> = open_topics
        .into_iter()
        .filter(|(id, _)| *id != tid)
        .collect();
    let ids = (
        format!("to-{tid}"),
        format!("reason-{tid}"),
        format!("into-{tid}"),
        format!("desc-{tid}"),
        format!("owner-{tid}"),
        format!("due-{tid}"),
    );
    let move_topic = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(status) = TopicStatus::parse(&to.get_untracked()) else {
            return;
        };
        let body = TopicTransition {
            to: status,
            reason: Some(reason.get_untracked()).filter(|r| !r.trim().is_empty()),
            merged_into: into.get_untracked().parse().ok(),
        };
        post(
            Method::POST,
            format!("/api/topics/{tid}/transitions"),
            serde_json::to_value(body).ok(),
            ("Status gewijzigd", "Status changed"),
        );
    };
    let add_action = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(o), Ok(d)) = (
            ActionOwner::parse(&owner.get_untracked()),
            due.get_untracked().parse::<chrono::NaiveDate>(),
        ) else {
            return;
        };
        let body = ActionInput {
            description: desc.get_untracked(),
            owner: o,
            due_on: d,
        };
        post(
            Method::POST,
            format!("/api/topics/{tid}/actions"),
            serde_json::to_value(body).ok(),
            ("Actie toegevoegd", "Action added"),
        );
    };
    view! {
        <details class="admin">
            <summary>{move || i18n.pick("Agenda en vervolg", "Agenda and follow-up")}</summary>
            {has_transitions.then(|| view! {
                <form on:submit=move_topic>
                    <div class="field">
                        <label for=ids.0.clone()>{move || i18n.pick("Nieuwe status", "New status")}</label>
                        <select id=ids.0.clone() on:change=move |ev| to.set(event_target_value(&ev))>
                            {allowed.iter().map(|s| { let v = s.as_str(); let s = *s; view! { <option value=v selected=move || to.get() == v>{move || topic_status_name(i18n.lang.get(), s)}</option> } }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for=ids.1.clone()>{move || i18n.pick("Openbare toelichting (verplicht bij niet agenderen)", "Public reason (required when declining)")}</label>
                        <input type="text" id=ids.1.clone() prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for=ids.2.clone()>{move || i18n.pick("Samenvoegen met (alleen bij samenvoegen)", "Merge into (only when merging)")}</label>
                        <select id=ids.2.clone() on:change=move |ev| into.set(event_target_value(&ev))>
                            <option value="">"–"</option>
                            {others.iter().map(|(id, title)| view! { <option value=id.to_string()>{title.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="button small">{move || i18n.pick("Status wijzigen", "Change status")}</button>
                </form>
            })}
            <form on:submit=add_action>
                <h4>{move || i18n.pick("Vervolgactie toevoegen", "Add a follow-up action")}</h4>
                <div class="field">
                    <label for=ids.3.clone()>{move || i18n.pick("Actie", "Action")}</label>
                    <input type="text" id=ids.3.clone() prop:value=move || desc.get() on:input=move |ev| desc.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for=ids.4.clone()>{move || i18n.pick("Eigenaar", "Owner")}</label>
                    <select id=ids.4.clone() on:change=move |ev| owner.set(event_target_value(&ev))>
                        {ActionOwner::ALL.iter().map(|o| { let v = o.as_str(); let o = *o; view! { <option value=v selected=move || owner.get() == v>{move || owner_name(i18n.lang.get(), o)}</option> } }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for=ids.5.clone()>{move || i18n.pick("Uiterlijk op", "Due on")}</label>
                    <input type="date" id=ids.5.clone() prop:value=move || due.get() on:input=move |ev| due.set(event_target_value(&ev))/>
                </div>
                <button type="submit" class="button small">{move || i18n.pick("Actie toevoegen", "Add action")}</button>
            </form>
        </details>
    }
}

/// The coordinator's controls for the meeting itself.
#[component]
fn MeetingAdmin(m: MeetingDto, reload: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let id = m.id;
    let failure = RwSignal::new(None::<String>);
    let minutes = RwSignal::new(m.minutes.clone().unwrap_or_default());
    let copy_hood = RwSignal::new(String::new());
    let copy_start = RwSignal::new(local_now_input());
    let copy_until = RwSignal::new(local_now_input());
    let neighbourhoods = load_neighbourhoods();
    let suggestions = fetch(move || async move {
        session
            .call::<(), Vec<TopicSuggestion>>(
                Method::GET,
                &format!("/api/meetings/{id}/suggestions"),
                None,
            )
            .await
            .unwrap_or_default()
    });
    let call = move |method: Method, path: String, body: serde_json::Value| {
        spawn_local(async move {
            match session
                .call::<_, serde_json::Value>(method, &path, Some(&body))
                .await
            {
                Ok(_) => {
                    failure.set(None);
                    reload.run(());
                }
                Err(e) => failure.set(Some(error_text(i18n, &e))),
            }
        });
    };
    let held = matches!(m.status, MeetingStatus::Held | MeetingStatus::Evaluated);
    let evaluation = RwSignal::new(
        m.evaluation_survey_id
            .map(|s| s.to_string())
            .unwrap_or_default(),
    );
    let surveys = fetch(move || async move {
        session
            .call::<(), shared::surveys::SurveyList>(Method::GET, "/api/surveys?per_page=100", None)
            .await
            .map(|l| l.items)
            .unwrap_or_default()
    });
    let save_evaluation = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(survey) = evaluation.get_untracked().parse::<i32>() else {
            return;
        };
        let body = MeetingUpdate {
            evaluation_survey_id: Some(survey),
            ..Default::default()
        };
        call(
            Method::PATCH,
            format!("/api/meetings/{id}"),
            serde_json::to_value(body).unwrap_or_default(),
        );
    };
    let save_minutes = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = MeetingUpdate {
            minutes: Some(minutes.get_untracked()),
            ..Default::default()
        };
        call(
            Method::PATCH,
            format!("/api/meetings/{id}"),
            serde_json::to_value(body).unwrap_or_default(),
        );
    };
    let copy = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(starts_at), Some(propose_until)) = (
            parse_local(&copy_start.get_untracked()),
            parse_local(&copy_until.get_untracked()),
        ) else {
            return;
        };
        let body = CopyMeetingRequest {
            neighbourhood_id: copy_hood.get_untracked().parse().unwrap_or(0),
            starts_at,
            propose_until,
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match session
                .call::<_, MeetingDto>(
                    Method::POST,
                    &format!("/api/meetings/{id}/copy"),
                    Some(&body),
                )
                .await
            {
                Ok(n) => navigate(&format!("/meetings/{}", n.id), NavigateOptions::default()),
                Err(e) => failure.set(Some(error_text(i18n, &e))),
            }
        });
    };
    view! {
        <section class="card">
            <h2>{move || i18n.pick("Beheer", "Manage")}</h2>
            {move || failure.get().map(|f| view! { <p class="error" role="alert">{f}</p> })}
            <div class="actions">
                {m.allowed_transitions.iter().map(|s| {
                    let s = *s;
                    view! { <button type="button" class="button" on:click=move |_| call(Method::POST, format!("/api/meetings/{id}/transitions"), serde_json::to_value(MeetingTransition { to: s }).unwrap_or_default())>
                        {move || format!("{} {}", i18n.pick("Naar:", "Mark:"), meeting_status_name(i18n.lang.get(), s))}</button> }
                }).collect_view()}
            </div>
            {held.then(|| view! {
                <form on:submit=save_minutes>
                    <div class="field">
                        <label for="minutes">{move || i18n.pick("Openbaar verslag", "Public minutes")}</label>
                        <textarea id="minutes" rows="5" prop:value=move || minutes.get() on:input=move |ev| minutes.set(event_target_value(&ev))></textarea>
                    </div>
                    <button type="submit" class="button small">{move || i18n.pick("Verslag opslaan", "Save minutes")}</button>
                </form>
                <form on:submit=save_evaluation>
                    <div class="field">
                        <label for="evaluation">{move || i18n.pick("Evaluatie-vragenlijst", "Evaluation survey")}</label>
                        <p class="hint">{move || i18n.pick("Maak eerst een vragenlijst voor de bewoners van deze wijk.", "First build a survey for this neighbourhood's residents.")}</p>
                        <select id="evaluation" on:change=move |ev| evaluation.set(event_target_value(&ev))>
                            <option value="">"–"</option>
                            {move || surveys.get().map(|l| l.into_iter().map(|s| {
                                let v = s.id.to_string();
                                let sel = v.clone();
                                view! { <option value=v selected=move || evaluation.get() == sel>{by_lang(i18n.lang.get(), &s.title_nl, &s.title_en)}</option> }
                            }).collect_view())}
                        </select>
                    </div>
                    <button type="submit" class="button small">{move || i18n.pick("Koppelen", "Attach")}</button>
                </form>
            })}
            <h3>{move || i18n.pick("Onderwerpen uit meldingen (90 dagen)", "Topics from reports (90 days)")}</h3>
            {move || suggestions.get().map(|list| if list.is_empty() {
                view! { <p class="meta">{i18n.pick("Geen recente meldingen in deze wijk.", "No recent reports in this neighbourhood.")}</p> }.into_any()
            } else {
                view! { <ul class="list">{list.into_iter().map(|s| {
                    let cat = s.category_id;
                    view! { <li>{by_lang(i18n.lang.get(), &s.name_nl, &s.name_en)} ": " {s.count.map(|n| n.to_string()).unwrap_or_else(|| "< 5".into())} " "
                        <button type="button" class="button small" on:click=move |_| call(Method::POST, format!("/api/meetings/{id}/topics/from-reports"), serde_json::to_value(FromReportsRequest { category_id: cat }).unwrap_or_default())>
                            {i18n.pick("Maak onderwerp", "Make a topic")}</button></li> }
                }).collect_view()}</ul> }.into_any()
            })}
            <details>
                <summary>{move || i18n.pick("Dit format in een andere wijk gebruiken", "Reuse this format in another neighbourhood")}</summary>
                <form on:submit=copy>
                    <div class="field">
                        <label for="copy-hood">{move || i18n.t().neighbourhood_label}</label>
                        <select id="copy-hood" on:change=move |ev| copy_hood.set(event_target_value(&ev))>
                            <option value="">{move || i18n.t().neighbourhood_choose}</option>
                            {move || neighbourhoods.get().map(|l| l.into_iter().map(|n| view! { <option value=n.id.to_string()>{n.name}</option> }).collect_view())}
                        </select>
                    </div>
                    <div class="field">
                        <label for="copy-start">{move || i18n.pick("Begint op", "Starts")}</label>
                        <input type="datetime-local" id="copy-start" prop:value=move || copy_start.get() on:input=move |ev| copy_start.set(event_target_value(&ev))/>
                    </div>
                    <div class="field">
                        <label for="copy-until">{move || i18n.pick("Onderwerpen voorstellen tot", "Topics may be proposed until")}</label>
                        <input type="datetime-local" id="copy-until" prop:value=move || copy_until.get() on:input=move |ev| copy_until.set(event_target_value(&ev))/>
                    </div>
                    <button type="submit" class="button small">{move || i18n.pick("Kopie maken", "Make a copy")}</button>
                </form>
            </details>
        </section>
    }
}

// ---- My topics and the tracker ------------------------------------------------

#[component]
pub fn MyTopics() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|t| {
        if std::ptr::eq(t, crate::i18n::texts(Language::Nl)) {
            "Mijn onderwerpen"
        } else {
            "My topics"
        }
    });
    let allowed = super::require_login();
    let list = fetch(move || async move {
        session
            .call::<(), Vec<TopicDto>>(Method::GET, "/api/me/topics", None)
            .await
    });
    view! {
        <h1>{move || i18n.pick("Mijn onderwerpen", "My topics")}</h1>
        <p class="lead">{move || i18n.pick("Wat er werd van de onderwerpen die je voorstelde of steunde.", "What became of the topics you proposed or supported.")}</p>
        <Show when=move || allowed.get() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            {move || match list.get() {
                None => view! { <p>{move || i18n.t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e.message(i18n.t())}</p> }.into_any(),
                Some(Ok(l)) if l.is_empty() => view! { <p>{move || i18n.pick("Je hebt nog geen onderwerpen voorgesteld of gesteund.", "You have not proposed or supported topics yet.")}</p> }.into_any(),
                Some(Ok(l)) => view! {
                    <ul class="questions">
                        {l.into_iter().map(|t| {
                            let lang = i18n.lang.get();
                            view! {
                                <li class="card">
                                    <h2><A href=format!("/meetings/{}", t.meeting_id)>{t.title.clone()}</A></h2>
                                    <p><span class="status">{topic_status_name(lang, t.status)}</span>
                                        " · " {if t.mine { i18n.pick("voorgesteld door jou", "proposed by you") } else { i18n.pick("gesteund door jou", "supported by you") }}</p>
                                    {t.public_reason.clone().map(|r| view! { <p class="note">{r}</p> })}
                                    <ol class="timeline">
                                        {t.events.iter().map(|e| view! {
                                            <li>{fmt_time(e.at)} " · " {e.to_status.map(|s| topic_status_name(lang, s)).unwrap_or(match e.event.as_str() { "action_added" => i18n.pick("actie toegevoegd", "action added"), "edited" => i18n.pick("aangepast", "edited"), _ => "" })}
                                                {e.note.clone().map(|n| view! { <p class="note">{n}</p> })}</li>
                                        }).collect_view()}
                                    </ol>
                                    {(!t.actions.is_empty()).then(|| view! { <ActionsList actions=t.actions.clone()/> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </Show>
    }
}

#[component]
pub fn ActionTracker() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|t| {
        if std::ptr::eq(t, crate::i18n::texts(Language::Nl)) {
            "Vervolgacties"
        } else {
            "Follow-up actions"
        }
    });
    let allowed = super::require_login();
    let only_overdue = RwSignal::new(false);
    let version = RwSignal::new(0u32);
    let list = fetch(move || {
        let (overdue, _) = (only_overdue.get(), version.get());
        async move {
            let path = if overdue {
                "/api/actions?overdue=true"
            } else {
                "/api/actions?open=true"
            };
            session
                .call::<(), ActionList>(Method::GET, path, None)
                .await
        }
    });
    let failure = RwSignal::new(None::<String>);
    view! {
        <h1>{move || i18n.pick("Vervolgacties", "Follow-up actions")}</h1>
        <Show when=move || allowed.get() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            <div class="field choice">
                <input type="checkbox" id="only-overdue" prop:checked=move || only_overdue.get() on:change=move |ev| only_overdue.set(event_target_checked(&ev))/>
                <label for="only-overdue">{move || i18n.pick("Alleen te late acties", "Only overdue actions")}</label>
            </div>
            {move || failure.get().map(|f| view! { <p class="error" role="alert">{f}</p> })}
            {move || match list.get() {
                None => view! { <p>{move || i18n.t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e.message(i18n.t())}</p> }.into_any(),
                Some(Ok(l)) if l.items.is_empty() => view! { <p>{move || i18n.pick("Geen openstaande acties.", "No open actions.")}</p> }.into_any(),
                Some(Ok(l)) => view! {
                    <ul class="reports">
                        {l.items.into_iter().map(|a| {
                            let lang = i18n.lang.get();
                            let aid = a.id;
                            let note = RwSignal::new(String::new());
                            let status = RwSignal::new(a.status.as_str().to_owned());
                            let submit = move |ev: leptos::ev::SubmitEvent| {
                                ev.prevent_default();
                                let body = ActionUpdateInput { status: ActionStatus::parse(&status.get_untracked()), note: note.get_untracked() };
                                spawn_local(async move {
                                    match session.call::<_, TopicDto>(Method::POST, &format!("/api/actions/{aid}/updates"), Some(&body)).await {
                                        Ok(_) => { failure.set(None); version.update(|v| *v += 1); }
                                        Err(e) => failure.set(Some(error_text(i18n, &e))),
                                    }
                                });
                            };
                            view! {
                                <li class="report" class:overdue=a.overdue>
                                    <strong>{a.description.clone()}</strong>
                                    <A href=format!("/meetings/{}", a.meeting_id)>{a.topic_title.clone()}</A>
                                    <span class="meta">{format!("{} · {} {} · {}", owner_name(lang, a.owner), i18n.pick("uiterlijk", "due"), a.due_on, action_status_name(lang, a.status))}</span>
                                    {a.overdue.then(|| view! { <span class="warn">{i18n.pick("te laat", "overdue")}</span> })}
                                    <form on:submit=submit>
                                        <div class="field">
                                            <label for=format!("st-{aid}")>{i18n.pick("Status", "Status")}</label>
                                            <select id=format!("st-{aid}") on:change=move |ev| status.set(event_target_value(&ev))>
                                                {ActionStatus::ALL.iter().map(|s| { let v = s.as_str(); let s = *s; view! { <option value=v selected=move || status.get() == v>{action_status_name(lang, s)}</option> } }).collect_view()}
                                            </select>
                                        </div>
                                        <div class="field">
                                            <label for=format!("note-{aid}")>{i18n.pick("Openbare update", "Public update")}</label>
                                            <input type="text" id=format!("note-{aid}") prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
                                        </div>
                                        <button type="submit" class="button small">{i18n.pick("Bijwerken", "Update")}</button>
                                    </form>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </Show>
    }
}
