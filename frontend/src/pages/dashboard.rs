//! The coordinators' dashboard: key figures against pilot targets, charts
//! over time (each with a table), breakdowns that drill down to the report
//! queue, targets, and the CSV and printable council monitor.

use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use serde::Deserialize;
use shared::metrics::*;
use shared::users::{Group, Language, Role};

use super::neighbourhoods::load_neighbourhoods;
use crate::api::use_session;
use crate::components::{fetch, page_title};
use crate::i18n::{use_i18n, I18n};

#[derive(Clone, Deserialize)]
struct Link {
    url: String,
}

fn fmt_value(v: Option<f64>) -> String {
    match v {
        None => "< 5".into(),
        Some(v) if v.fract() == 0.0 => format!("{v:.0}"),
        Some(v) => format!("{v:.1}"),
    }
}

fn fmt_count(v: Option<i64>) -> String {
    v.map_or_else(|| "< 5".into(), |v| v.to_string())
}

fn metric_label(lang: Language, m: TargetMetric) -> &'static str {
    if lang == Language::Nl {
        m.label_nl()
    } else {
        m.label_en()
    }
}

/// Periods to pick from: the whole pilot, this and last year, the last four
/// quarters and the last six months.
fn period_options() -> Vec<(String, String)> {
    let now = js_sys::Date::new_0();
    let (year, month) = (now.get_full_year() as i32, now.get_month() + 1);
    let mut out = vec![("all".to_string(), "Hele pilot / whole pilot".to_string())];
    for y in [year, year - 1] {
        out.push((y.to_string(), y.to_string()));
    }
    let mut p = Period::Quarter(year, (month - 1) / 3 + 1);
    for _ in 0..4 {
        out.push((p.as_string(), p.as_string()));
        p = p.previous().unwrap_or(p);
    }
    let mut p = Period::Month(year, month);
    for _ in 0..6 {
        out.push((p.as_string(), p.as_string()));
        p = p.previous().unwrap_or(p);
    }
    out
}

#[component]
fn Indicators(list: Vec<Indicator>) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.lang.get_untracked();
    view! {
        <ul class="kpis">
            {list.into_iter().map(|ind| {
                let label = metric_label(lang, ind.metric);
                view! {
                    <li class="kpi" data-metric=ind.metric.as_str()>
                        <span class="kpi-label">{label}</span>
                        <span class="kpi-value">{fmt_value(ind.value)}</span>
                        {ind.targets.into_iter().map(|t| {
                            let pct = t.progress_pct.unwrap_or(0.0).clamp(0.0, 100.0);
                            let sign = if t.target.metric.lower_is_better() { "≤" } else { "≥" };
                            let text = format!("{} {sign} {} ({}) · {}", i18n.pick("Doel", "Target"),
                                fmt_value(Some(t.target.value)), t.target.due_on.format("%d-%m-%Y"),
                                if t.met { i18n.pick("gehaald", "met").to_string() } else { format!("{}%", fmt_value(t.progress_pct)) });
                            let aria = format!("{}: {}", t.target.label, text);
                            view! {
                                <span class="kpi-target">{t.target.label.clone()}": "{text}</span>
                                <progress max="100" value=pct aria-label=aria></progress>
                            }
                        }).collect_view()}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// Vertical bars over time; screen readers get the table below instead.
fn week_chart(
    i18n: I18n,
    title: &str,
    points: Vec<(chrono::NaiveDate, Option<i64>)>,
) -> impl IntoView {
    let max = points.iter().filter_map(|p| p.1).max().unwrap_or(0).max(1) as f64;
    let (w, h) = (600.0, 140.0);
    let bw = w / points.len().max(1) as f64;
    let first = points
        .first()
        .map(|p| p.0.format("%d-%m-%Y").to_string())
        .unwrap_or_default();
    let last = points
        .last()
        .map(|p| p.0.format("%d-%m-%Y").to_string())
        .unwrap_or_default();
    let rows = points.clone();
    let caption = title.to_string();
    view! {
        <figure class="chart-figure">
            <svg class="chart" viewBox=format!("0 0 {w} {h}") width="100%" aria-hidden="true" focusable="false">
                {points.into_iter().enumerate().map(|(i, (_, v))| {
                    let bh = v.unwrap_or(0) as f64 / max * (h - 10.0);
                    view! { <rect x=i as f64 * bw + 1.0 y=h - bh width=(bw - 2.0).max(1.0) height=bh fill="#14507a"/> }
                }).collect_view()}
            </svg>
            <figcaption class="meta">{format!("{first} – {last} · max {}", max as i64)}</figcaption>
            <details>
                <summary>{i18n.pick("Tabel bij de grafiek", "Table for the chart")}</summary>
                <div class="table-wrap" tabindex="0" role="region" aria-label=caption.clone()>
                    <table>
                        <caption>{caption.clone()}</caption>
                        <thead><tr><th scope="col">{i18n.pick("Week van", "Week of")}</th><th scope="col">{i18n.pick("Aantal", "Count")}</th></tr></thead>
                        <tbody>
                            {rows.into_iter().map(|(d, v)| view! { <tr><th scope="row">{d.format("%d-%m-%Y").to_string()}</th><td>{fmt_count(v)}</td></tr> }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
}

/// Where a row of a breakdown leads.
type RowLink = Box<dyn Fn(&Cell) -> String>;

/// A two-column table of labelled counts; `link` makes each row a drill-down.
fn cells_table(
    i18n: I18n,
    caption: String,
    cells: Vec<Cell>,
    link: Option<RowLink>,
) -> impl IntoView {
    let aria = caption.clone();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=aria>
            <table class="cells">
                <caption>{caption}</caption>
                <thead><tr><th scope="col">{i18n.pick("Wat", "What")}</th><th scope="col">{i18n.pick("Aantal", "Count")}</th></tr></thead>
                <tbody>
                    {cells.into_iter().map(|c| {
                        let label = match &link {
                            Some(f) => view! { <A href=f(&c)>{c.label.clone()}</A> }.into_any(),
                            None => view! { <span>{c.label.clone()}</span> }.into_any(),
                        };
                        view! { <tr><th scope="row">{label}</th><td>{fmt_count(c.value)}</td></tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn Dashboard() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|_| "Dashboard");
    let allowed = super::require_login();
    let role = move || session.user.with(|u| u.as_ref().map(|u| u.role));
    let editor = move || matches!(role(), Some(Role::Coordinator | Role::Admin));
    let period = RwSignal::new("all".to_string());
    let group = RwSignal::new(String::new());
    let hood = RwSignal::new(String::new());
    let version = RwSignal::new(0u32);
    let neighbourhoods = load_neighbourhoods();
    let query = move || {
        let mut q = format!("period={}", period.get());
        if !group.get().is_empty() {
            q.push_str(&format!("&group={}", group.get()));
        }
        if !hood.get().is_empty() {
            q.push_str(&format!("&neighbourhood_id={}", hood.get()));
        }
        q
    };
    macro_rules! area {
        ($ty:ty, $path:literal) => {
            fetch(move || {
                let (q, _) = (query(), version.get());
                async move {
                    session
                        .call::<(), $ty>(Method::GET, &format!("{}?{q}", $path), None)
                        .await
                }
            })
        };
    }
    let participation = area!(ParticipationMetrics, "/api/metrics/participation");
    let reports = area!(ReportMetrics, "/api/metrics/reports");
    let surveys = area!(SurveyMetrics, "/api/metrics/surveys");
    let meetings = area!(MeetingMetrics, "/api/metrics/meetings");
    let targets = fetch(move || {
        version.get();
        async move {
            session
                .call::<(), Vec<TargetDto>>(Method::GET, "/api/metrics/targets", None)
                .await
        }
    });
    let message = RwSignal::new(None::<String>);
    let download_csv = move |_| {
        let p = period.get_untracked();
        spawn_local(async move {
            let ok = session
                .download(
                    &format!("/api/monitor?period={p}&format=csv"),
                    "text/csv",
                    &format!("monitor-{p}.csv"),
                )
                .await;
            if !ok {
                message.set(Some(
                    i18n.pick("Downloaden lukte niet.", "The download failed.")
                        .into(),
                ));
            }
        });
    };
    let open_monitor = move |_| {
        let p = period.get_untracked();
        // Opened first, within the click, so that no pop-up blocker objects.
        let tab = web_sys::window().and_then(|w| w.open_with_url("about:blank").ok().flatten());
        spawn_local(async move {
            let body = serde_json::json!({ "period": p });
            match session
                .call::<_, Link>(Method::POST, "/api/monitor/links", Some(&body))
                .await
            {
                Ok(link) => match tab {
                    Some(tab) => {
                        let _ = tab.location().set_href(&link.url);
                    }
                    None => {
                        if let Some(w) = web_sys::window() {
                            let _ = w.location().set_href(&link.url);
                        }
                    }
                },
                Err(e) => {
                    if let Some(tab) = tab {
                        let _ = tab.close();
                    }
                    message.set(Some(e.message(i18n.t())));
                }
            }
        });
    };
    let drill = move |extra: String| {
        let mut url = format!("/queue?{extra}");
        if let Some((from, to)) = Period::parse(&period.get_untracked()).and_then(Period::bounds) {
            url.push_str(&format!(
                "&from={from}&to={}",
                to - chrono::Duration::days(1)
            ));
        }
        if !hood.get_untracked().is_empty() && !extra.contains("neighbourhood_id") {
            url.push_str(&format!("&neighbourhood_id={}", hood.get_untracked()));
        }
        url
    };

    view! {
        <h1>"Dashboard"</h1>
        <Show when=move || allowed.get() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            <p class="lead">{move || i18n.pick(
                "Deelname aan de pilot, meldingen, vragenlijsten en bijeenkomsten, met de doelen van de pilot.",
                "Participation in the pilot, reports, surveys and meetings, against the pilot's targets.")}</p>
            <Show when=move || role() == Some(Role::Partner)>
                <p class="notice">{move || i18n.pick("Aantallen onder de 5 zijn verborgen (< 5).", "Counts under 5 are hidden (< 5).")}</p>
            </Show>
            <form class="filters" on:submit=|ev: leptos::ev::SubmitEvent| ev.prevent_default()>
                <div class="field">
                    <label for="dash-period">{move || i18n.pick("Periode", "Period")}</label>
                    <select id="dash-period" on:change=move |ev| period.set(event_target_value(&ev))>
                        {period_options().into_iter().map(|(v, l)| {
                            let sel = v.clone();
                            view! { <option value=v selected=move || period.get() == sel>{l}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="dash-group">{move || i18n.pick("Groep", "Group")}</label>
                    <select id="dash-group" on:change=move |ev| group.set(event_target_value(&ev))>
                        <option value="">{move || i18n.pick("Iedereen", "Everyone")}</option>
                        <option value=Group::Student.as_str()>{move || i18n.pick("Studenten", "Students")}</option>
                        <option value=Group::Resident.as_str()>{move || i18n.pick("Bewoners", "Residents")}</option>
                    </select>
                </div>
                <div class="field">
                    <label for="dash-hood">{move || i18n.t().neighbourhood_label}</label>
                    <select id="dash-hood" on:change=move |ev| hood.set(event_target_value(&ev))>
                        <option value="">{move || i18n.pick("Alle wijken", "All neighbourhoods")}</option>
                        {move || neighbourhoods.get().map(|l| l.into_iter().map(|n| view! { <option value=n.id.to_string()>{n.name}</option> }).collect_view())}
                    </select>
                </div>
            </form>
            <p class="actions">
                <button type="button" class="button" on:click=download_csv>{move || i18n.pick("CSV downloaden", "Download CSV")}</button>
                " "
                <button type="button" class="button" on:click=open_monitor>{move || i18n.pick("Raadsmonitor (afdrukbaar)", "Council monitor (printable)")}</button>
            </p>
            {move || message.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}

            <section aria-labelledby="dash-participation">
                <h2 id="dash-participation">{move || i18n.pick("Deelname", "Participation")}</h2>
                {move || match participation.get() {
                    None => view! { <p>{move || i18n.t().loading}</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="error">{e.message(i18n.t())}</p> }.into_any(),
                    Some(Ok(p)) => {
                        let signups: Vec<_> = p.signups_per_week.iter().map(|w| (w.week, [w.residents, w.students, w.verified_students].iter().try_fold(0, |a, v| v.map(|v| a + v)))).collect();
                        let active: Vec<_> = p.active_per_week.iter().map(|w| (w.week, w.value)).collect();
                        let funnel: Vec<Cell> = p.funnel.iter().map(|c| Cell { label: funnel_label(i18n.lang.get_untracked(), &c.key).into(), ..c.clone() }).collect();
                        view! {
                            <Indicators list=p.indicators.clone()/>
                            <h3>{i18n.pick("Aanmeldingen per week", "Sign-ups per week")}</h3>
                            {week_chart(i18n, i18n.pick("Aanmeldingen per week", "Sign-ups per week"), signups)}
                            <h3>{i18n.pick("Actieve deelnemers per week", "Active participants per week")}</h3>
                            {week_chart(i18n, i18n.pick("Actieve deelnemers per week", "Active participants per week"), active)}
                            <div class="grid2">
                                {cells_table(i18n, i18n.pick("Deelnametrechter", "Participation funnel").into(), funnel, None)}
                                {cells_table(i18n, i18n.pick("Aanmeldingen per wijk", "Sign-ups per neighbourhood").into(), p.signups_by_neighbourhood.clone(), None)}
                            </div>
                            {super::campaigns::results_table(i18n, i18n.pick("Aanmeldingen per kanaal (campagnes)", "Sign-ups by outreach channel (campaigns)").into(),
                                p.by_channel.clone(), move |r| super::campaigns::channel_name(i18n.lang.get_untracked(), if r.key == "direct" { "" } else { &r.key }).to_owned(), false, "dash-channels")}
                            <div class="table-wrap" tabindex="0" role="region" aria-label=i18n.pick("Behoud per cohort", "Retention by cohort")>
                                <table>
                                    <caption>{i18n.pick("Behoud per aanmeldweek: actief na 1–8 weken", "Retention by sign-up week: active after 1–8 weeks")}</caption>
                                    <thead><tr><th scope="col">{i18n.pick("Week", "Week")}</th><th scope="col">{i18n.pick("Aantal", "Size")}</th>
                                        {(1..=COHORT_WEEKS).map(|k| view! { <th scope="col">{format!("+{k}")}</th> }).collect_view()}</tr></thead>
                                    <tbody>
                                        {p.cohorts.iter().rev().take(12).map(|c| view! {
                                            <tr><th scope="row">{c.week.format("%d-%m-%Y").to_string()}</th><td>{fmt_count(c.size)}</td>
                                                {c.active_after_weeks.iter().map(|v| view! { <td>{v.map(|v| v.to_string()).unwrap_or_else(|| "–".into())}</td> }).collect_view()}</tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any()
                    }
                }}
            </section>

            <section aria-labelledby="dash-reports">
                <h2 id="dash-reports">{move || i18n.pick("Meldingen", "Reports")}</h2>
                {move || match reports.get() {
                    None => view! { <p>{move || i18n.t().loading}</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="error">{e.message(i18n.t())}</p> }.into_any(),
                    Some(Ok(r)) => {
                        let weeks: Vec<_> = r.per_week.iter().map(|w| (w.week, w.value)).collect();
                        let staff = role() != Some(Role::Partner);
                        let link = move |f: fn(&Cell) -> String| -> Option<RowLink> {
                            staff.then(|| Box::new(move |c: &Cell| drill(f(c))) as RowLink)
                        };
                        view! {
                            <Indicators list=r.indicators.clone()/>
                            <dl class="stats">
                                <dt>{i18n.pick("Beoordeling: mediaan / 90%", "Triage: median / 90%")}</dt>
                                <dd>{format!("{} / {} {}", fmt_value(r.triage.median_hours), fmt_value(r.triage.p90_hours), i18n.pick("uur", "hours"))}</dd>
                                <dt>{i18n.pick("Afhandeling: mediaan / 90%", "Resolution: median / 90%")}</dt>
                                <dd>{format!("{} / {} {}", fmt_value(r.resolution.median_hours), fmt_value(r.resolution.p90_hours), i18n.pick("uur", "hours"))}</dd>
                                <dt>{i18n.pick("Te laat beoordeeld", "Overdue for triage")}</dt>
                                <dd>{if staff { view! { <A href=drill("overdue=1".into())>{fmt_count(r.overdue)}</A> }.into_any() } else { view! { <span>{fmt_count(r.overdue)}</span> }.into_any() }}</dd>
                            </dl>
                            <h3>{i18n.pick("Meldingen per week", "Reports per week")}</h3>
                            {week_chart(i18n, i18n.pick("Meldingen per week", "Reports per week"), weeks)}
                            <div class="grid2">
                                {cells_table(i18n, i18n.pick("Per soort", "By kind").into(), r.by_kind.clone(), link(|c| format!("kind={}", c.key)))}
                                {cells_table(i18n, i18n.pick("Per status", "By status").into(), r.by_status.clone(), link(|c| format!("status={}", c.key)))}
                                {cells_table(i18n, i18n.pick("Per categorie", "By category").into(), r.by_category.clone(), link(|c| format!("category_id={}", c.key)))}
                                {cells_table(i18n, i18n.pick("Per wijk", "By neighbourhood").into(), r.by_neighbourhood.clone(), link(|c| format!("neighbourhood_id={}", c.key)))}
                            </div>
                        }.into_any()
                    }
                }}
            </section>

            <section aria-labelledby="dash-surveys">
                <h2 id="dash-surveys">{move || i18n.pick("Vragenlijsten", "Surveys")}</h2>
                {move || match surveys.get() {
                    None => view! { <p>{move || i18n.t().loading}</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="error">{e.message(i18n.t())}</p> }.into_any(),
                    Some(Ok(s)) => view! {
                        <Indicators list=s.indicators.clone()/>
                        <div class="table-wrap" tabindex="0" role="region" aria-label=i18n.pick("Respons per vragenlijst", "Response per survey")>
                            <table>
                                <caption>{i18n.pick("Respons per vragenlijst", "Response per survey")}</caption>
                                <thead><tr><th scope="col">{i18n.pick("Vragenlijst", "Survey")}</th><th scope="col">{i18n.pick("Antwoorden", "Responses")}</th><th scope="col">{i18n.pick("Doelgroep", "Audience")}</th><th scope="col">"%"</th></tr></thead>
                                <tbody>
                                    {s.surveys.iter().map(|r| view! {
                                        <tr><th scope="row">{r.title.clone()}</th><td>{fmt_count(r.responses)}</td><td>{r.audience}</td><td>{fmt_value(r.rate_pct)}</td></tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                }}
            </section>

            <section aria-labelledby="dash-meetings">
                <h2 id="dash-meetings">{move || i18n.pick("Bijeenkomsten", "Meetings")}</h2>
                {move || match meetings.get() {
                    None => view! { <p>{move || i18n.t().loading}</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="error">{e.message(i18n.t())}</p> }.into_any(),
                    Some(Ok(m)) => view! {
                        <Indicators list=m.indicators.clone()/>
                        <dl class="stats">
                            <dt>{i18n.pick("Bijeenkomsten (gehouden)", "Meetings (held)")}</dt><dd>{format!("{} ({})", m.meetings, m.meetings_held)}</dd>
                            <dt>{i18n.pick("Onderwerpen / steunbetuigingen / aanmeldingen", "Topics / supports / RSVPs")}</dt>
                            <dd>{format!("{} / {} / {}", fmt_count(m.topics), fmt_count(m.supports), fmt_count(m.rsvps))}</dd>
                            <dt>{i18n.pick("Acties klaar / open / te laat", "Actions done / open / overdue")}</dt>
                            <dd>{format!("{} / {} / {}", m.actions_done, m.actions_open, m.actions_overdue)}</dd>
                        </dl>
                    }.into_any(),
                }}
            </section>

            <section aria-labelledby="dash-targets">
                <h2 id="dash-targets">{move || i18n.pick("Doelen van de pilot", "Pilot targets")}</h2>
                {move || match targets.get() {
                    Some(Ok(list)) if !list.is_empty() => view! {
                        <ul class="targets">
                            {list.into_iter().map(|t| {
                                let id = t.id;
                                let remove = move |_| spawn_local(async move {
                                    match session.call::<(), ()>(Method::DELETE, &format!("/api/metrics/targets/{id}"), None).await {
                                        Ok(()) => version.update(|v| *v += 1),
                                        Err(e) => message.set(Some(e.message(i18n.t()))),
                                    }
                                });
                                view! {
                                    <li>{format!("{}: {} {} {} ({})", t.label, metric_label(i18n.lang.get_untracked(), t.metric),
                                        if t.metric.lower_is_better() { "≤" } else { "≥" }, fmt_value(Some(t.value)), t.due_on.format("%d-%m-%Y"))}
                                        <Show when=editor>" "<button type="button" class="button small" on:click=remove>{i18n.pick("Verwijderen", "Remove")}</button></Show>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    _ => view! { <p>{move || i18n.pick("Nog geen doelen.", "No targets yet.")}</p> }.into_any(),
                }}
                <Show when=editor>
                    <TargetForm on_saved=move || version.update(|v| *v += 1)/>
                </Show>
            </section>
        </Show>
    }
}

fn funnel_label(lang: Language, key: &str) -> &'static str {
    let nl = lang == Language::Nl;
    match key {
        "signed_up" => {
            if nl {
                "Aangemeld"
            } else {
                "Signed up"
            }
        }
        "report" => {
            if nl {
                "… en een melding gedaan"
            } else {
                "… and filed a report"
            }
        }
        "survey" => {
            if nl {
                "… en een vragenlijst ingevuld (niet anoniem)"
            } else {
                "… and answered a survey (not anonymous)"
            }
        }
        "topic" => {
            if nl {
                "… en een onderwerp ingebracht of gesteund"
            } else {
                "… and proposed or supported a topic"
            }
        }
        "rsvp" => {
            if nl {
                "… en aangemeld voor een bijeenkomst"
            } else {
                "… and RSVP'd to a meeting"
            }
        }
        "team" => {
            if nl {
                "… en lid geworden van een buurtpreventieteam"
            } else {
                "… and joined a prevention team"
            }
        }
        _ => "",
    }
}

#[component]
fn TargetForm(on_saved: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let metric = RwSignal::new(TargetMetric::Signups.as_str().to_string());
    let group = RwSignal::new(String::new());
    let value = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<shared::FieldError>::new());
    let err = move |f: &'static str| {
        move || {
            errors.get().into_iter().find(|e| e.field == f).map(|e| view! { <p class="field-error" id=format!("target-{f}-error")>{crate::i18n::field_message(i18n.lang.get(), &e.code).map(str::to_owned).unwrap_or(e.message)}</p> })
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = serde_json::json!({
            "metric": metric.get_untracked(),
            "group": (!group.get_untracked().is_empty()).then(|| group.get_untracked()),
            "value": value.get_untracked().trim().replace(',', ".").parse::<f64>().unwrap_or(-1.0),
            "due_on": due.get_untracked(),
            "label": label.get_untracked(),
        });
        if due.get_untracked().is_empty() {
            errors.set(vec![shared::FieldError::new(
                "due_on",
                "required",
                "Choose a date.",
            )]);
            return;
        }
        spawn_local(async move {
            match session
                .call::<_, TargetDto>(Method::POST, "/api/metrics/targets", Some(&body))
                .await
            {
                Ok(_) => {
                    errors.set(Vec::new());
                    value.set(String::new());
                    label.set(String::new());
                    on_saved();
                }
                Err(e) => errors.set(e.field_errors()),
            }
        });
    };
    view! {
        <form class="card" on:submit=submit novalidate>
            <h3>{move || i18n.pick("Doel toevoegen", "Add a target")}</h3>
            <div class="field">
                <label for="target-metric">{move || i18n.pick("Cijfer", "Figure")}</label>
                <select id="target-metric" on:change=move |ev| metric.set(event_target_value(&ev))>
                    {TargetMetric::ALL.iter().map(|m| view! { <option value=m.as_str()>{move || metric_label(i18n.lang.get(), *m)}</option> }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label for="target-group">{move || i18n.pick("Groep", "Group")}</label>
                <select id="target-group" on:change=move |ev| group.set(event_target_value(&ev))>
                    <option value="">{move || i18n.pick("Iedereen", "Everyone")}</option>
                    <option value="student">{move || i18n.pick("Studenten", "Students")}</option>
                    <option value="resident">{move || i18n.pick("Bewoners", "Residents")}</option>
                </select>
            </div>
            <div class="field">
                <label for="target-value">{move || i18n.pick("Doelwaarde", "Target value")}</label>
                <input id="target-value" class="short" inputmode="decimal" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                {err("value")}
            </div>
            <div class="field">
                <label for="target-due">{move || i18n.pick("Uiterlijk op", "By")}</label>
                <input id="target-due" type="date" prop:value=move || due.get() on:input=move |ev| due.set(event_target_value(&ev))/>
                {err("due_on")}
            </div>
            <div class="field">
                <label for="target-label">{move || i18n.pick("Omschrijving", "Description")}</label>
                <input id="target-label" maxlength="120" prop:value=move || label.get() on:input=move |ev| label.set(event_target_value(&ev))/>
                {err("label")}
            </div>
            <button type="submit" class="button primary">{move || i18n.pick("Doel opslaan", "Save target")}</button>
        </form>
    }
}
