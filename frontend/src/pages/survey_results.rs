//! Survey results with charts (coordinators, partners).

use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use shared::surveys::{fmt_num, QuestionKind, QuestionResult, SurveyResults};
use shared::users::{Group, Language};

use super::surveys::{by_lang, is_staff, status_label, survey_id};
use crate::api::use_session;
use crate::components::{fetch, page_title};
use crate::i18n::{group_name, use_i18n};

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
