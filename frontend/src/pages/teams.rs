//! Neighbourhood prevention teams: the list per neighbourhood with what to
//! do when you see something, proposing a team, a team's page (members,
//! leads' management, patrols with sign-up, the patrol log and "turn into
//! report"), and the coordinators' overview.

use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use leptos_router::NavigateOptions;
use shared::reports::ReportDto;
use shared::teams::{
    MemberUpdate, MembershipStatus, ObservationDto, ObservationInput, ObservationList,
    ObservationReportRequest, PatrolDto, PatrolInput, PatrolList, TeamDecision, TeamDto, TeamInput,
    TeamList, TeamOverviewList, TeamStatus,
};
use shared::users::{Language, Role};
use shared::FieldError;

use super::meetings::{error_text, staff};
use super::neighbourhoods::load_neighbourhoods;
use super::reports::load_categories;
use super::surveys::focus_later;
use crate::api::{use_session, Session};
use crate::components::{fetch, page_title};
use crate::i18n::{field_message, use_i18n, I18n};
use crate::time::{fmt_time, local_now_input, parse_local};

fn status_name(lang: Language, s: TeamStatus) -> &'static str {
    let nl = lang == Language::Nl;
    match (s, nl) {
        (TeamStatus::Proposed, true) => "voorgesteld, wacht op de gemeente",
        (TeamStatus::Proposed, false) => "proposed, awaiting the municipality",
        (TeamStatus::Approved, true) => "goedgekeurd",
        (TeamStatus::Approved, false) => "approved",
        (TeamStatus::Declined, true) => "afgewezen",
        (TeamStatus::Declined, false) => "declined",
    }
}

/// The outcome of an action on a page: a status message or an error.
#[derive(Clone, Copy)]
struct Feedback {
    message: RwSignal<Option<String>>,
    failure: RwSignal<Option<String>>,
    version: RwSignal<u32>,
}

impl Feedback {
    fn new() -> Feedback {
        Feedback {
            message: RwSignal::new(None),
            failure: RwSignal::new(None),
            version: RwSignal::new(0),
        }
    }

    /// Sends a request; on success shows `ok` and reloads the page's data.
    fn send(
        self,
        session: Session,
        i18n: I18n,
        method: Method,
        path: String,
        body: Option<serde_json::Value>,
        ok: (&'static str, &'static str),
    ) {
        spawn_local(async move {
            self.failure.set(None);
            match session
                .call::<_, serde_json::Value>(method, &path, body.as_ref())
                .await
            {
                Ok(_) => {
                    let nl = i18n.lang.get_untracked() == Language::Nl;
                    self.message
                        .set(Some(if nl { ok.0 } else { ok.1 }.to_owned()));
                    self.version.update(|v| *v += 1);
                }
                Err(e) => {
                    self.message.set(None);
                    self.failure.set(Some(error_text(i18n, &e)));
                }
            }
        });
    }

    fn view(self) -> impl IntoView {
        view! {
            {move || self.message.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
            {move || self.failure.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
        }
    }
}

/// What to do when you see something, in Dutch and English.
#[component]
pub fn Guidance() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="guidance-title" data-testid="guidance">
            <h2 id="guidance-title">{move || i18n.pick("Wat doe je als je iets ziet?", "What to do when you see something")}</h2>
            <ol class="texts">
                <li><strong>{move || i18n.pick("Kijk en onthoud. ", "Observe. ")}</strong>
                    {move || i18n.pick("Wat gebeurt er, waar, wanneer? Let op signalement, kleding, voertuig en kenteken.",
                        "What is happening, where, when? Note a description, clothing, vehicle and number plate.")}</li>
                <li><strong>{move || i18n.pick("Spoed? Bel 112. ", "Urgent? Call 112. ")}</strong>
                    {move || i18n.pick("Bij direct gevaar of een misdrijf dat nu gebeurt. Geen spoed maar wel voor de politie: 0900-8844.",
                        "When there is danger or a crime is happening now. Not urgent but for the police: 0900-8844.")}</li>
                <li><strong>{move || i18n.pick("Informeer je team. ", "Inform the team. ")}</strong>
                    {move || i18n.pick("Vertel het je medelopers en schrijf het in het rondelogboek; maak er zo nodig een melding van.",
                        "Tell your fellow walkers and write it in the patrol log; turn it into a report when needed.")}</li>
                <li><strong>{move || i18n.pick("Blijf veilig. ", "Act safely. ")}</strong>
                    {move || i18n.pick("Loop met z'n tweeën of meer, houd afstand en grijp nooit zelf in: je bent ogen en oren, geen handhaver.",
                        "Walk in twos or more, keep your distance and never intervene yourself: you are eyes and ears, not enforcers.")}</li>
            </ol>
        </section>
    }
}

// ---- list, proposal, overview --------------------------------------------------

#[component]
pub fn Teams() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|t| {
        if std::ptr::eq(t, crate::i18n::texts(Language::Nl)) {
            "Buurtpreventie"
        } else {
            "Prevention teams"
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
    let feedback = Feedback::new();
    let neighbourhoods = load_neighbourhoods();
    let list = fetch(move || {
        let (hood, _) = (hood.get(), feedback.version.get());
        async move {
            let mut path = "/api/teams".to_string();
            if !hood.is_empty() {
                path.push_str(&format!("?neighbourhood_id={hood}"));
            }
            session.call::<(), TeamList>(Method::GET, &path, None).await
        }
    });
    view! {
        <h1>{move || i18n.pick("Buurtpreventie", "Prevention teams")}</h1>
        <p class="lead">{move || i18n.pick(
            "Buurtpreventieteams lopen rondes door hun wijk, houden een logboek bij en werken samen met de wijkagent.",
            "Neighbourhood prevention teams walk patrols in their neighbourhood, keep a log and work with the community police officer.")}</p>
        <Show when=move || allowed.get() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            {feedback.view()}
            <Guidance/>
            <Show when=move || staff(role())>
                <TeamOverview/>
            </Show>
            <h2>{move || i18n.pick("Teams", "Teams")}</h2>
            <div class="field">
                <label for="team-hood">{move || i18n.t().neighbourhood_label}</label>
                <select id="team-hood" on:change=move |ev| hood.set(event_target_value(&ev))>
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
                Some(Ok(l)) if l.items.is_empty() => view! { <p>{move || i18n.pick("Nog geen teams in deze wijk.", "No teams in this neighbourhood yet.")}</p> }.into_any(),
                Some(Ok(l)) => {
                    let participant = role() == Some(Role::Participant);
                    view! {
                        <ul class="reports" data-testid="teams">
                            {l.items.into_iter().map(|t| {
                                let lang = i18n.lang.get();
                                let id = t.id;
                                let can_join = participant && t.status == TeamStatus::Approved && t.my_membership.is_none();
                                view! {
                                    <li class="report">
                                        <A href=format!("/teams/{id}")><strong>{t.name.clone()}</strong></A>
                                        <span>{t.neighbourhood_name.clone()} " · " {t.member_count} " " {i18n.pick("leden", "members")}</span>
                                        {(t.status != TeamStatus::Approved).then(|| view! { <span class="status">{status_name(lang, t.status)}</span> })}
                                        {match t.my_membership {
                                            Some(MembershipStatus::Active) => view! { <span class="meta">{i18n.pick("Je bent lid", "You are a member")}</span> }.into_any(),
                                            Some(MembershipStatus::Requested) => view! { <span class="meta">{i18n.pick("Aanvraag verstuurd", "Request sent")}</span> }.into_any(),
                                            None => ().into_any(),
                                        }}
                                        {can_join.then(|| view! {
                                            <button type="button" class="button" on:click=move |_| feedback.send(session, i18n, Method::POST, format!("/api/teams/{id}/members"), None,
                                                ("Je aanvraag is verstuurd naar de teamleiders.", "Your request was sent to the team's leads."))>
                                                {i18n.pick("Aanmelden als lid", "Ask to join")}</button>
                                        })}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            <Show when=move || role() == Some(Role::Participant)>
                <ProposeTeam/>
            </Show>
        </Show>
    }
}

#[component]
fn ProposeTeam() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let (name, area, contact) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let errors = RwSignal::new(Vec::<FieldError>::new());
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
        let input = TeamInput {
            name: name.get_untracked(),
            area: area.get_untracked(),
            contact: contact.get_untracked(),
        };
        let local = input.validate();
        if !local.is_empty() {
            focus_later(format!("team-{}", local[0].field));
            errors.set(local);
            return;
        }
        let navigate = navigate.clone();
        spawn_local(async move {
            match session
                .call::<_, TeamDto>(Method::POST, "/api/teams", Some(&input))
                .await
            {
                Ok(t) => navigate(&format!("/teams/{}", t.id), NavigateOptions::default()),
                Err(e) => {
                    let mut fields = e.field_errors();
                    if fields.is_empty() {
                        fields.push(FieldError::new("name", "", e.message(i18n.t())));
                    }
                    focus_later(format!("team-{}", fields[0].field));
                    errors.set(fields);
                }
            }
        });
    };
    let field = move |id: &'static str,
                      nl: &'static str,
                      en: &'static str,
                      hint: (&'static str, &'static str),
                      value: RwSignal<String>| {
        let input_id = format!("team-{id}");
        let hint_id = format!("team-{id}-hint");
        view! {
            <div class="field" class:has-error=move || err(id).is_some()>
                <label for=input_id.clone()>{move || i18n.pick(nl, en)}</label>
                <p class="hint" id=hint_id.clone()>{move || i18n.pick(hint.0, hint.1)}</p>
                {move || err(id).map(|e| view! { <p class="error">{e}</p> })}
                <input type="text" id=input_id aria-describedby=hint_id aria-invalid=move || err(id).is_some().to_string()
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="propose-team-title">
            <h2 id="propose-team-title">{move || i18n.pick("Zelf een team beginnen", "Start a team")}</h2>
            <p>{move || i18n.pick(
                "Stel een team voor in je eigen wijk. De gemeente bekijkt het voorstel; na goedkeuring ben jij de eerste teamleider.",
                "Propose a team for your own neighbourhood. The municipality reviews it; once approved, you are the team's first lead.")}</p>
            <form on:submit=submit novalidate>
                {field("name", "Naam van het team", "Team name", ("Bijvoorbeeld: BPT Schildersbuurt", "For example: BPT Schildersbuurt"), name)}
                {field("area", "Gebied", "Area", ("Welke straten lopen jullie?", "Which streets do you walk?"), area)}
                {field("contact", "Contact", "Contact", ("Hoe bereiken bewoners en de wijkagent het team? Een e-mailadres of telefoonnummer.", "How do residents and the police officer reach the team? An email address or phone number."), contact)}
                <button type="submit" class="button primary">{move || i18n.pick("Team voorstellen", "Propose team")}</button>
            </form>
        </section>
    }
}

#[component]
fn TeamOverview() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let data = fetch(move || async move {
        session
            .call::<(), TeamOverviewList>(Method::GET, "/api/teams/overview", None)
            .await
    });
    view! {
        <section aria-labelledby="overview-title">
            <h2 id="overview-title">{move || i18n.pick("Overzicht voor de gemeente", "Overview for the municipality")}</h2>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <p class="error">{e.message(i18n.t())}</p> }.into_any(),
                Ok(l) => {
                    let lang = i18n.lang.get();
                    view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label=i18n.pick("Overzicht van de teams", "Overview of the teams")>
                            <table class="cells" data-testid="team-overview">
                                <caption>{i18n.pick("Teams, leden, gelopen rondes en waarnemingen", "Teams, members, patrols held and observations")}</caption>
                                <thead><tr>
                                    <th scope="col">{i18n.pick("Team", "Team")}</th>
                                    <th scope="col">{i18n.pick("Status", "Status")}</th>
                                    <th scope="col">{i18n.pick("Leden", "Members")}</th>
                                    <th scope="col">{i18n.pick("Aanvragen", "Requests")}</th>
                                    <th scope="col">{i18n.pick("Rondes", "Patrols")}</th>
                                    <th scope="col">{i18n.pick("Waarnemingen", "Observations")}</th>
                                    <th scope="col">{i18n.pick("Per maand", "Per month")}</th>
                                </tr></thead>
                                <tbody>
                                    {l.items.into_iter().map(|t| view! {
                                        <tr>
                                            <th scope="row"><A href=format!("/teams/{}", t.team_id)>{t.name.clone()}</A><br/><span class="meta">{t.neighbourhood_name.clone()}</span></th>
                                            <td>{status_name(lang, t.status)}</td>
                                            <td>{format!("{} ({} lead)", t.members, t.leads)}</td>
                                            <td>{t.requests}</td>
                                            <td>{t.patrols_held}</td>
                                            <td>{t.observations}</td>
                                            <td>{t.months.iter().map(|m| format!("{}: {}/{}", m.month.format("%Y-%m"), m.patrols_held, m.observations)).collect::<Vec<_>>().join(", ")}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <p class="meta">{i18n.pick("Per maand: rondes / waarnemingen. Een ronde telt als gelopen als ze begonnen is met minstens één loper.",
                            "Per month: patrols / observations. A patrol counts as held once it started with at least one walker.")}</p>
                    }.into_any()
                }
            })}
        </section>
    }
}

// ---- one team ---------------------------------------------------------------------

fn team_id() -> impl Fn() -> i32 + Copy {
    let params = use_params_map();
    move || params.with(|p| p.get("id").and_then(|v| v.parse().ok()).unwrap_or_default())
}

#[component]
pub fn TeamPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|t| {
        if std::ptr::eq(t, crate::i18n::texts(Language::Nl)) {
            "Buurtpreventieteam"
        } else {
            "Prevention team"
        }
    });
    let allowed = super::require_login();
    let id = team_id();
    let feedback = Feedback::new();
    let data = fetch(move || {
        let (id, _) = (id(), feedback.version.get());
        async move {
            session
                .call::<(), TeamDto>(Method::GET, &format!("/api/teams/{id}"), None)
                .await
        }
    });
    let role = move || session.user.with(|u| u.as_ref().map(|u| u.role));
    let me = move || {
        session
            .user
            .with(|u| u.as_ref().map(|u| u.id).unwrap_or_default())
    };
    view! {
        <Show when=move || allowed.get() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            {move || match data.get() {
                None => view! { <h1>{move || i18n.pick("Buurtpreventieteam", "Prevention team")}</h1><p>{move || i18n.t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <h1>{move || i18n.t().not_found_title}</h1><p class="error">{e.message(i18n.t())}</p> }.into_any(),
                Some(Ok(t)) => {
                    let lang = i18n.lang.get();
                    let tid = t.id;
                    let is_staff = staff(role());
                    let member = t.my_membership == Some(MembershipStatus::Active);
                    let can_join = role() == Some(Role::Participant) && t.status == TeamStatus::Approved && t.my_membership.is_none();
                    let me = me();
                    view! {
                        <h1>{t.name.clone()}</h1>
                        {feedback.view()}
                        <dl class="facts">
                            <dt>{i18n.pick("Wijk", "Neighbourhood")}</dt><dd>{t.neighbourhood_name.clone()}</dd>
                            <dt>{i18n.pick("Gebied", "Area")}</dt><dd>{t.area.clone()}</dd>
                            <dt>{i18n.pick("Contact", "Contact")}</dt><dd>{t.contact.clone()}</dd>
                            <dt>{i18n.pick("Status", "Status")}</dt><dd data-testid="team-status">{status_name(lang, t.status)}</dd>
                            {t.decision_reason.clone().map(|r| view! { <dt>{i18n.pick("Toelichting van de gemeente", "The municipality's note")}</dt><dd>{r}</dd> })}
                            <dt>{i18n.pick("Leden", "Members")}</dt><dd data-testid="member-count">{t.member_count}</dd>
                        </dl>
                        <div class="actions">
                            {can_join.then(|| view! {
                                <button type="button" class="button primary" on:click=move |_| feedback.send(session, i18n, Method::POST, format!("/api/teams/{tid}/members"), None,
                                    ("Je aanvraag is verstuurd naar de teamleiders.", "Your request was sent to the team's leads."))>
                                    {i18n.pick("Aanmelden als lid", "Ask to join")}</button>
                            })}
                            {(t.my_membership == Some(MembershipStatus::Requested)).then(|| view! { <p class="meta">{i18n.pick("Je aanvraag wacht op een teamleider.", "Your request awaits a lead of the team.")}</p> })}
                            {t.my_membership.is_some().then(|| view! {
                                <button type="button" class="button" on:click=move |_| feedback.send(session, i18n, Method::DELETE, format!("/api/teams/{tid}/members/{me}"), None,
                                    ("Je bent uit het team.", "You left the team."))>
                                    {if member { i18n.pick("Team verlaten", "Leave team") } else { i18n.pick("Aanvraag intrekken", "Withdraw request") }}</button>
                            })}
                        </div>
                        {(is_staff && t.status == TeamStatus::Proposed).then(|| view! { <DecisionForm team=tid feedback=feedback/> })}
                        <Members t=t.clone() feedback=feedback/>
                        {(member || is_staff).then(|| view! { <Patrols team=tid can_manage=t.can_manage member=member feedback=feedback/> })}
                        <Guidance/>
                    }.into_any()
                }
            }}
        </Show>
    }
}

#[component]
fn DecisionForm(team: i32, feedback: Feedback) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let reason = RwSignal::new(String::new());
    let decide = move |approve: bool| {
        let text = reason.get_untracked();
        let body = TeamDecision {
            approve,
            reason: (!text.trim().is_empty()).then_some(text),
        };
        feedback.send(
            session,
            i18n,
            Method::POST,
            format!("/api/teams/{team}/decision"),
            serde_json::to_value(body).ok(),
            ("Besluit opgeslagen.", "Decision saved."),
        );
    };
    view! {
        <section class="card" aria-labelledby="decision-title">
            <h2 id="decision-title">{move || i18n.pick("Besluit over dit voorstel", "Decide on this proposal")}</h2>
            <div class="field">
                <label for="decision-reason">{move || i18n.pick("Toelichting (verplicht bij afwijzen)", "Note (required to decline)")}</label>
                <textarea id="decision-reason" rows="3" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            </div>
            <div class="actions">
                <button type="button" class="button primary" on:click=move |_| decide(true)>{move || i18n.pick("Goedkeuren", "Approve")}</button>
                <button type="button" class="button" on:click=move |_| decide(false)>{move || i18n.pick("Afwijzen", "Decline")}</button>
            </div>
        </section>
    }
}

#[component]
fn Members(t: TeamDto, feedback: Feedback) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let me = session.user.with_untracked(|u| u.as_ref().map(|u| u.id));
    let tid = t.id;
    let manage = t.can_manage;
    let patch = move |uid: i32, body: MemberUpdate, ok: (&'static str, &'static str)| {
        feedback.send(
            session,
            i18n,
            Method::PATCH,
            format!("/api/teams/{tid}/members/{uid}"),
            serde_json::to_value(body).ok(),
            ok,
        )
    };
    let remove = move |uid: i32| {
        feedback.send(
            session,
            i18n,
            Method::DELETE,
            format!("/api/teams/{tid}/members/{uid}"),
            None,
            ("Verwijderd.", "Removed."),
        )
    };
    let (requests, members): (Vec<_>, Vec<_>) = t
        .members
        .into_iter()
        .partition(|m| m.status == MembershipStatus::Requested);
    view! {
        <section aria-labelledby="members-title">
            <h2 id="members-title">{move || i18n.pick("Leden", "Members")}</h2>
            {(!requests.is_empty()).then(|| view! {
                <h3>{i18n.pick("Aanvragen", "Requests")}</h3>
                <ul class="reports" data-testid="requests">
                    {requests.into_iter().map(|m| {
                        let uid = m.user_id;
                        view! {
                            <li class="report">
                                <strong>{m.display_name.clone()}</strong>
                                <span class="meta">{fmt_time(m.requested_at)}</span>
                                {manage.then(|| view! {
                                    <span class="actions">
                                        <button type="button" class="button primary" aria-label=format!("{} {}", i18n.pick("Accepteer", "Accept"), m.display_name)
                                            on:click=move |_| patch(uid, MemberUpdate { status: Some(MembershipStatus::Active), lead: None }, ("Lid geaccepteerd.", "Member accepted."))>
                                            {i18n.pick("Accepteren", "Accept")}</button>
                                        <button type="button" class="button" aria-label=format!("{} {}", i18n.pick("Wijs af", "Decline"), m.display_name)
                                            on:click=move |_| remove(uid)>{i18n.pick("Afwijzen", "Decline")}</button>
                                    </span>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })}
            <ul class="reports" data-testid="members">
                {members.into_iter().map(|m| {
                    let uid = m.user_id;
                    let lead = m.lead;
                    let name = m.display_name.clone();
                    view! {
                        <li class="report">
                            <strong>{m.display_name.clone()}</strong>
                            {lead.then(|| view! { <span class="status">{i18n.pick("teamleider", "lead")}</span> })}
                            {m.email.clone().map(|e| view! { <a href=format!("mailto:{e}")>{e.clone()}</a> })}
                            {(manage && me != Some(uid)).then(|| view! {
                                <span class="actions">
                                    <button type="button" class="button" aria-label=format!("{}: {}", name, if lead { i18n.pick("geen teamleider meer", "no longer lead") } else { i18n.pick("maak teamleider", "make lead") })
                                        on:click=move |_| patch(uid, MemberUpdate { status: None, lead: Some(!lead) }, ("Opgeslagen.", "Saved."))>
                                        {if lead { i18n.pick("Geen teamleider meer", "Remove as lead") } else { i18n.pick("Maak teamleider", "Make lead") }}</button>
                                    <button type="button" class="button" aria-label=format!("{}: {}", name, i18n.pick("uit het team", "remove from team"))
                                        on:click=move |_| remove(uid)>{i18n.pick("Uit het team", "Remove")}</button>
                                </span>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Patrols(team: i32, can_manage: bool, member: bool, feedback: Feedback) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let list = fetch(move || {
        let _ = feedback.version.get();
        async move {
            session
                .call::<(), PatrolList>(Method::GET, &format!("/api/teams/{team}/patrols"), None)
                .await
        }
    });
    view! {
        <section aria-labelledby="patrols-title">
            <h2 id="patrols-title">{move || i18n.pick("Rondes", "Patrols")}</h2>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <p class="error">{e.message(i18n.t())}</p> }.into_any(),
                Ok(l) if l.items.is_empty() => view! { <p>{i18n.pick("Nog geen rondes gepland.", "No patrols planned yet.")}</p> }.into_any(),
                Ok(l) => view! {
                    <ol class="questions" data-testid="patrols">
                        {l.items.into_iter().map(|p| view! { <PatrolCard p=p can_manage=can_manage member=member feedback=feedback/> }).collect_view()}
                    </ol>
                }.into_any(),
            })}
            {can_manage.then(|| view! { <PlanPatrol team=team feedback=feedback/> })}
        </section>
    }
}

#[component]
fn PatrolCard(p: PatrolDto, can_manage: bool, member: bool, feedback: Feedback) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let pid = p.id;
    let short = (p.min_members - p.signup_count).max(0);
    let signed_up = p.signed_up;
    view! {
        <li class="card" data-testid="patrol">
            <h3>{fmt_time(p.starts_at)}</h3>
            <dl class="facts">
                <dt>{i18n.pick("Verzamelen", "Meeting point")}</dt><dd>{p.meeting_point.clone()}</dd>
                {(!p.route.is_empty()).then(|| view! { <dt>{i18n.pick("Route", "Route")}</dt><dd class="pre">{p.route.clone()}</dd> })}
                <dt>{i18n.pick("Lopers", "Walkers")}</dt>
                <dd data-testid="walkers">{format!("{} / {} (min. {})", p.signup_count, p.max_members, p.min_members)}
                    {(!p.walkers.is_empty()).then(|| format!(": {}", p.walkers.join(", ")))}</dd>
            </dl>
            {(p.understaffed && (can_manage || member)).then(|| view! {
                <p class="error" data-testid="understaffed">{format!("{} {} {}",
                    i18n.pick("Deze ronde begint binnen een dag en heeft nog", "This patrol starts within a day and still needs"), short,
                    i18n.pick("lopers nodig.", "more walkers."))}</p>
            })}
            {(member && !p.past).then(|| view! {
                <div class="actions">
                    {if signed_up {
                        view! { <button type="button" class="button" on:click=move |_| feedback.send(session, i18n, Method::DELETE, format!("/api/patrols/{pid}/signup"), None, ("Je bent afgemeld.", "You withdrew."))>
                            {i18n.pick("Afmelden", "Withdraw")}</button> }.into_any()
                    } else {
                        view! { <button type="button" class="button primary" on:click=move |_| feedback.send(session, i18n, Method::PUT, format!("/api/patrols/{pid}/signup"), None, ("Je loopt mee.", "You are signed up."))>
                            {i18n.pick("Ik loop mee", "Sign me up")}</button> }.into_any()
                    }}
                </div>
            })}
            {(p.log_open || p.observation_count > 0).then(|| view! { <PatrolLog patrol=pid walker=signed_up feedback=feedback/> })}
        </li>
    }
}

#[component]
fn PlanPatrol(team: i32, feedback: Feedback) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let starts = RwSignal::new(local_now_input());
    let (point, route) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let (min, max) = (
        RwSignal::new("2".to_string()),
        RwSignal::new("6".to_string()),
    );
    let errors = RwSignal::new(Vec::<FieldError>::new());
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
        let Some(starts_at) = parse_local(&starts.get_untracked()) else {
            errors.set(vec![FieldError::new(
                "starts_at",
                "required",
                "Fill in this field.",
            )]);
            focus_later("patrol-starts_at".into());
            return;
        };
        let input = PatrolInput {
            starts_at,
            meeting_point: point.get_untracked(),
            route: route.get_untracked(),
            min_members: min.get_untracked().trim().parse().unwrap_or(0),
            max_members: max.get_untracked().trim().parse().unwrap_or(0),
        };
        let local = input.validate(crate::time::now_utc());
        if !local.is_empty() {
            focus_later(format!("patrol-{}", local[0].field));
            errors.set(local);
            return;
        }
        spawn_local(async move {
            match session
                .call::<_, PatrolDto>(
                    Method::POST,
                    &format!("/api/teams/{team}/patrols"),
                    Some(&input),
                )
                .await
            {
                Ok(_) => {
                    errors.set(Vec::new());
                    point.set(String::new());
                    route.set(String::new());
                    feedback.message.set(Some(
                        i18n.pick("Ronde gepland.", "Patrol planned.").to_owned(),
                    ));
                    feedback.version.update(|v| *v += 1);
                }
                Err(e) => {
                    let mut fields = e.field_errors();
                    if fields.is_empty() {
                        fields.push(FieldError::new("starts_at", "", e.message(i18n.t())));
                    }
                    focus_later(format!("patrol-{}", fields[0].field));
                    errors.set(fields);
                }
            }
        });
    };
    let field = move |id: &'static str,
                      nl: &'static str,
                      en: &'static str,
                      value: RwSignal<String>,
                      kind: &'static str| {
        let input_id = format!("patrol-{id}");
        view! {
            <div class="field" class:has-error=move || err(id).is_some()>
                <label for=input_id.clone()>{move || i18n.pick(nl, en)}</label>
                {move || err(id).map(|e| view! { <p class="error">{e}</p> })}
                <input type=kind id=input_id min=(kind == "number").then_some("1") max=(kind == "number").then_some("50")
                    aria-invalid=move || err(id).is_some().to_string()
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="plan-title">
            <h3 id="plan-title">{move || i18n.pick("Ronde plannen", "Plan a patrol")}</h3>
            <form on:submit=submit novalidate>
                {field("starts_at", "Datum en tijd", "Date and time", starts, "datetime-local")}
                {field("meeting_point", "Verzamelpunt", "Meeting point", point, "text")}
                <div class="field">
                    <label for="patrol-route">{move || i18n.pick("Route", "Route")}</label>
                    <textarea id="patrol-route" rows="3" prop:value=move || route.get() on:input=move |ev| route.set(event_target_value(&ev))></textarea>
                </div>
                {field("min_members", "Minimaal aantal lopers", "Minimum walkers", min, "number")}
                {field("max_members", "Maximaal aantal lopers", "Maximum walkers", max, "number")}
                <button type="submit" class="button primary">{move || i18n.pick("Ronde plannen", "Plan patrol")}</button>
            </form>
        </section>
    }
}

#[component]
fn PatrolLog(patrol: i32, walker: bool, feedback: Feedback) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let categories = load_categories();
    let list = fetch(move || {
        let _ = feedback.version.get();
        async move {
            session
                .call::<(), ObservationList>(
                    Method::GET,
                    &format!("/api/patrols/{patrol}/observations"),
                    None,
                )
                .await
        }
    });
    let navigate = use_navigate();
    let to_report = move |oid: i32, category: String| {
        let navigate = navigate.clone();
        let Ok(category_id) = category.parse::<i32>() else {
            feedback.failure.set(Some(
                i18n.pick("Kies eerst een categorie.", "Choose a category first.")
                    .to_owned(),
            ));
            return;
        };
        spawn_local(async move {
            let body = ObservationReportRequest { category_id };
            match session
                .call::<_, ReportDto>(
                    Method::POST,
                    &format!("/api/observations/{oid}/report"),
                    Some(&body),
                )
                .await
            {
                Ok(r) => navigate(&format!("/reports/{}", r.id), NavigateOptions::default()),
                Err(e) => feedback.failure.set(Some(error_text(i18n, &e))),
            }
        });
    };
    let row = move |o: ObservationDto| {
        let oid = o.id;
        let chosen = RwSignal::new(String::new());
        let select_id = format!("obs-{oid}-category");
        let to_report = to_report.clone();
        view! {
            <li class="report" data-testid="observation">
                <strong>{o.what.clone()}</strong>
                <span>{o.place.clone()} " · " {fmt_time(o.observed_at)}</span>
                <span class="meta">{o.observer_name.clone().unwrap_or_else(|| i18n.pick("oud-lid", "former member").to_owned())}</span>
                {match (o.report_id, o.mine) {
                    (Some(r), _) => view! { <A href=format!("/reports/{r}")>{i18n.pick("Bekijk de melding", "View the report")}</A> }.into_any(),
                    (None, true) => view! {
                        <div class="field">
                            <label for=select_id.clone()>{i18n.pick("Categorie voor een melding", "Category for a report")}</label>
                            <select id=select_id on:change=move |ev| chosen.set(event_target_value(&ev))>
                                <option value="">{i18n.pick("Kies…", "Choose…")}</option>
                                {move || categories.get().map(|cats| cats.into_iter().map(|c| {
                                    let name = if i18n.lang.get() == Language::Nl { c.name_nl } else { c.name_en };
                                    view! { <option value=c.id.to_string()>{name}</option> }
                                }).collect_view())}
                            </select>
                        </div>
                        <button type="button" class="button primary" on:click=move |_| to_report(oid, chosen.get_untracked())>
                            {i18n.pick("Maak er een melding van", "Turn into report")}</button>
                    }.into_any(),
                    (None, false) => ().into_any(),
                }}
            </li>
        }
    };
    view! {
        <details open=walker>
            <summary>{move || i18n.pick("Rondelogboek", "Patrol log")}</summary>
            {move || list.get().map(|r| match r {
                Err(e) => view! { <p class="error">{e.message(i18n.t())}</p> }.into_any(),
                Ok(l) if l.items.is_empty() => view! { <p>{i18n.pick("Nog niets genoteerd.", "Nothing recorded yet.")}</p> }.into_any(),
                Ok(l) => view! { <ul class="reports">{l.items.into_iter().map(row.clone()).collect_view()}</ul> }.into_any(),
            })}
            {walker.then(|| view! { <ObservationForm patrol=patrol feedback=feedback/> })}
        </details>
    }
}

#[component]
fn ObservationForm(patrol: i32, feedback: Feedback) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let (what, place) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let when = RwSignal::new(local_now_input());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let prefix = format!("obs-{patrol}");
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
    let focus_prefix = prefix.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(observed_at) = parse_local(&when.get_untracked()) else {
            errors.set(vec![FieldError::new(
                "observed_at",
                "required",
                "Fill in this field.",
            )]);
            return;
        };
        let input = ObservationInput {
            what: what.get_untracked(),
            place: place.get_untracked(),
            observed_at,
        };
        let prefix = focus_prefix.clone();
        spawn_local(async move {
            match session
                .call::<_, ObservationDto>(
                    Method::POST,
                    &format!("/api/patrols/{patrol}/observations"),
                    Some(&input),
                )
                .await
            {
                Ok(_) => {
                    errors.set(Vec::new());
                    what.set(String::new());
                    place.set(String::new());
                    feedback.message.set(Some(
                        i18n.pick("Waarneming opgeslagen.", "Observation saved.")
                            .to_owned(),
                    ));
                    feedback.version.update(|v| *v += 1);
                }
                Err(e) => {
                    let mut fields = e.field_errors();
                    if fields.is_empty() {
                        fields.push(FieldError::new("what", "", e.message(i18n.t())));
                    }
                    focus_later(format!("{prefix}-{}", fields[0].field));
                    errors.set(fields);
                }
            }
        });
    };
    let p = prefix.clone();
    let field = move |id: &'static str,
                      nl: &'static str,
                      en: &'static str,
                      value: RwSignal<String>,
                      kind: &'static str| {
        let input_id = format!("{p}-{id}");
        view! {
            <div class="field" class:has-error=move || err(id).is_some()>
                <label for=input_id.clone()>{move || i18n.pick(nl, en)}</label>
                {move || err(id).map(|e| view! { <p class="error">{e}</p> })}
                {if kind == "textarea" {
                    view! { <textarea id=input_id rows="3" aria-invalid=move || err(id).is_some().to_string() prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))></textarea> }.into_any()
                } else {
                    view! { <input type=kind id=input_id aria-invalid=move || err(id).is_some().to_string() prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/> }.into_any()
                }}
            </div>
        }
    };
    view! {
        <form on:submit=submit novalidate class="card">
            <h4>{move || i18n.pick("Waarneming noteren", "Record an observation")}</h4>
            {field("what", "Wat zag je?", "What did you see?", what, "textarea")}
            {field("place", "Waar?", "Where?", place, "text")}
            {field("observed_at", "Wanneer?", "When?", when, "datetime-local")}
            <button type="submit" class="button primary">{move || i18n.pick("Opslaan in het logboek", "Save to the log")}</button>
        </form>
    }
}
