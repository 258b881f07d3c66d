//! Outreach campaigns for coordinators: create one, print its QR poster,
//! and see which channel brought whom and who then took part. Partners see
//! the results (small numbers hidden).

use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use shared::campaigns::{
    CampaignDto, CampaignInput, CampaignList, CampaignResult, CampaignResults, Channel, TargetGroup,
};
use shared::users::Language;
use shared::FieldError;

use super::meetings::staff;
use super::neighbourhoods::load_neighbourhoods;
use super::surveys::focus_later;
use crate::api::use_session;
use crate::components::{fetch, page_title};
use crate::i18n::{field_message, use_i18n, I18n};

pub fn channel_name(lang: Language, c: &str) -> &'static str {
    let nl = lang == Language::Nl;
    match (Channel::parse(c), nl) {
        (Some(Channel::QrPrint), true) => "Flyer of poster met QR-code",
        (Some(Channel::QrPrint), false) => "Flyer or poster with QR code",
        (Some(Channel::SocialMedia), true) => "Sociale media",
        (Some(Channel::SocialMedia), false) => "Social media",
        (Some(Channel::StudentAssociation), true) => "Studentenvereniging",
        (Some(Channel::StudentAssociation), false) => "Student association",
        (Some(Channel::IntroductionWeek), true) => "Introductieweek",
        (Some(Channel::IntroductionWeek), false) => "Introduction week",
        (Some(Channel::Event), true) => "Evenement",
        (Some(Channel::Event), false) => "Event",
        (Some(Channel::DoorToDoor), true) => "Huis aan huis",
        (Some(Channel::DoorToDoor), false) => "Door to door",
        (Some(Channel::Other), true) => "Anders",
        (Some(Channel::Other), false) => "Other",
        (None, true) => "Zonder campagne",
        (None, false) => "Without a campaign",
    }
}

fn group_name(lang: Language, g: &str) -> &'static str {
    let nl = lang == Language::Nl;
    match (TargetGroup::parse(g), nl) {
        (Some(TargetGroup::Student), true) => "Studenten",
        (Some(TargetGroup::Student), false) => "Students",
        (Some(TargetGroup::Resident), true) => "Bewoners",
        (Some(TargetGroup::Resident), false) => "Residents",
        (_, true) => "Iedereen",
        (_, false) => "Everyone",
    }
}

fn euros(cents: Option<i64>) -> String {
    cents
        .map(|c| format!("€ {},{:02}", c / 100, c % 100))
        .unwrap_or_else(|| "–".into())
}

fn count(n: Option<i64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_else(|| "<5".into())
}

/// A table of result rows; `label` names each row.
pub fn results_table(
    i18n: I18n,
    caption: String,
    rows: Vec<CampaignResult>,
    label: impl Fn(&CampaignResult) -> String,
    with_cost: bool,
    testid: &'static str,
) -> impl IntoView {
    let region = caption.clone();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=region>
            <table class="cells" data-testid=testid>
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col">{i18n.pick("Naam", "Name")}</th>
                    <th scope="col">{i18n.pick("Aanmeldingen", "Sign-ups")}</th>
                    <th scope="col">{i18n.pick("Geverifieerde studenten", "Verified students")}</th>
                    <th scope="col">{i18n.pick("Actief binnen 30 dagen", "Active within 30 days")}</th>
                    {with_cost.then(|| view! {
                        <th scope="col">{i18n.pick("Kosten", "Cost")}</th>
                        <th scope="col">{i18n.pick("Kosten per actieve deelnemer", "Cost per active participant")}</th>
                    })}
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| view! {
                        <tr data-key=r.key.clone()>
                            <th scope="row">{label(&r)}</th>
                            <td data-col="signups">{count(r.signups)}</td>
                            <td data-col="verified">{count(r.verified_students)}</td>
                            <td data-col="activated">{count(r.activated)}</td>
                            {with_cost.then(|| view! {
                                <td>{euros(r.cost_cents)}</td>
                                <td data-col="cpa">{euros(r.cost_per_activated_cents)}</td>
                            })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn Campaigns() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|t| {
        if std::ptr::eq(t, crate::i18n::texts(Language::Nl)) {
            "Campagnes"
        } else {
            "Campaigns"
        }
    });
    let allowed = super::require_login();
    let role = move || session.user.with(|u| u.as_ref().map(|u| u.role));
    let version = RwSignal::new(0u32);
    let list = fetch(move || {
        let _ = version.get();
        async move {
            if !staff(role()) {
                return None;
            }
            session
                .call::<(), CampaignList>(Method::GET, "/api/campaigns", None)
                .await
                .ok()
        }
    });
    let results = fetch(move || {
        let _ = version.get();
        async move {
            session
                .call::<(), CampaignResults>(Method::GET, "/api/campaigns/results", None)
                .await
        }
    });
    view! {
        <h1>{move || i18n.pick("Campagnes", "Campaigns")}</h1>
        <p class="lead">{move || i18n.pick(
            "Welke aanpak bereikt studenten en bewoners? Elke campagne krijgt een eigen aanmeldlink met QR-code; wie zich daarmee aanmeldt, telt voor de campagne.",
            "Which outreach reaches students and residents? Each campaign gets its own sign-up link with a QR code; whoever signs up through it counts for the campaign.")}</p>
        <Show when=move || allowed.get() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            {move || list.get().flatten().map(|l| { let empty = l.items.is_empty(); view! {
                <h2>{i18n.pick("Alle campagnes", "All campaigns")}</h2>
                {empty.then(|| view! { <p>{i18n.pick("Nog geen campagnes.", "No campaigns yet.")}</p> })}
                <ul class="reports" data-testid="campaigns" hidden=empty>
                    {l.items.into_iter().map(|c| {
                        let lang = i18n.lang.get();
                        view! {
                            <li class="report">
                                <strong>{c.name.clone()}</strong>
                                <span>{channel_name(lang, c.channel.as_str())} " · " {group_name(lang, c.target_group.as_str())}
                                    {c.neighbourhood_name.clone().map(|n| format!(" · {n}"))}</span>
                                <span class="meta">{format!("{} – {}", c.starts_on.format("%d-%m-%Y"), c.ends_on.format("%d-%m-%Y"))}
                                    {if c.running { i18n.pick(" · loopt", " · running") } else { "" }}</span>
                                <code data-testid="signup-url">{c.signup_url.clone()}</code>
                                <A href=format!("/campaigns/{}/poster", c.id)>{i18n.pick("QR-poster", "QR poster")}</A>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }})}
            <h2>{move || i18n.pick("Resultaten", "Results")}</h2>
            {move || results.get().map(|r| match r {
                Err(e) => view! { <p class="error">{e.message(i18n.t())}</p> }.into_any(),
                Ok(r) => {
                    let lang = i18n.lang.get();
                    let mut by_campaign = r.campaigns.clone();
                    by_campaign.push(r.direct.clone());
                    view! {
                        {r.suppressed.then(|| view! { <p class="meta">{i18n.pick("Aantallen van 1 tot 4 staan als <5.", "Counts of 1 to 4 show as <5.")}</p> })}
                        {results_table(i18n, i18n.pick("Per campagne", "By campaign").into(), by_campaign,
                            move |r| if r.key == "direct" { channel_name(lang, "").to_owned() } else { r.label.clone() }, true, "results-campaigns")}
                        {results_table(i18n, i18n.pick("Per kanaal", "By channel").into(), r.by_channel,
                            move |r| channel_name(lang, &r.key).to_owned(), true, "results-channels")}
                        {results_table(i18n, i18n.pick("Per doelgroep", "By target group").into(), r.by_target_group,
                            move |r| group_name(lang, &r.key).to_owned(), true, "results-groups")}
                        <p class="meta">{i18n.pick(
                            "Actief: binnen 30 dagen na aanmelden een melding gedaan, een vragenlijst ingevuld, een onderwerp voorgesteld of gesteund, of lid geworden van een buurtpreventieteam.",
                            "Active: within 30 days of signing up filed a report, answered a survey, proposed or supported a topic, or joined a prevention team.")}</p>
                    }.into_any()
                }
            })}
            <Show when=move || staff(role())>
                <NewCampaign on_created=Callback::new(move |_| version.update(|v| *v += 1))/>
            </Show>
        </Show>
    }
}

#[component]
fn NewCampaign(on_created: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let neighbourhoods = load_neighbourhoods();
    let today = crate::time::now_utc().date_naive();
    let name = RwSignal::new(String::new());
    let group = RwSignal::new("student".to_string());
    let channel = RwSignal::new("qr_print".to_string());
    let hood = RwSignal::new(String::new());
    let starts = RwSignal::new(today.to_string());
    let ends = RwSignal::new((today + chrono::Duration::days(30)).to_string());
    let cost = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let created = RwSignal::new(None::<String>);
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
        let mut local = Vec::new();
        let date = |v: String, field: &'static str, local: &mut Vec<FieldError>| {
            v.parse::<chrono::NaiveDate>().unwrap_or_else(|_| {
                local.push(FieldError::new(field, "required", "Fill in this field."));
                today
            })
        };
        let starts_on = date(starts.get_untracked(), "starts_on", &mut local);
        let ends_on = date(ends.get_untracked(), "ends_on", &mut local);
        let cost_text = cost.get_untracked().trim().replace(',', ".");
        let cost_cents = if cost_text.is_empty() {
            None
        } else {
            match cost_text.parse::<f64>() {
                Ok(e) if e.is_finite() => Some((e * 100.0).round() as i64),
                _ => {
                    local.push(FieldError::new(
                        "cost_cents",
                        "invalid",
                        "Enter an amount in euros, like 250 or 99,50.",
                    ));
                    None
                }
            }
        };
        let input = CampaignInput {
            name: name.get_untracked(),
            target_group: TargetGroup::parse(&group.get_untracked()).unwrap_or(TargetGroup::All),
            channel: Channel::parse(&channel.get_untracked()).unwrap_or(Channel::Other),
            neighbourhood_id: hood.get_untracked().parse().ok(),
            starts_on,
            ends_on,
            cost_cents,
        };
        local.extend(input.validate());
        if !local.is_empty() {
            focus_later(format!("campaign-{}", local[0].field));
            errors.set(local);
            return;
        }
        spawn_local(async move {
            match session
                .call::<_, CampaignDto>(Method::POST, "/api/campaigns", Some(&input))
                .await
            {
                Ok(c) => {
                    errors.set(Vec::new());
                    name.set(String::new());
                    cost.set(String::new());
                    created.set(Some(c.signup_url));
                    on_created.run(());
                }
                Err(e) => {
                    let mut fields = e.field_errors();
                    if fields.is_empty() {
                        fields.push(FieldError::new("name", "", e.message(i18n.t())));
                    }
                    focus_later(format!("campaign-{}", fields[0].field));
                    errors.set(fields);
                }
            }
        });
    };
    let input = move |id: &'static str,
                      nl: &'static str,
                      en: &'static str,
                      value: RwSignal<String>,
                      kind: &'static str| {
        let input_id = format!("campaign-{id}");
        view! {
            <div class="field" class:has-error=move || err(id).is_some()>
                <label for=input_id.clone()>{move || i18n.pick(nl, en)}</label>
                {move || err(id).map(|e| view! { <p class="error">{e}</p> })}
                <input type=kind id=input_id inputmode=(id == "cost_cents").then_some("decimal") aria-invalid=move || err(id).is_some().to_string()
                    prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="new-campaign-title">
            <h2 id="new-campaign-title">{move || i18n.pick("Nieuwe campagne", "New campaign")}</h2>
            {move || created.get().map(|url| view! { <p class="notice" role="status">{i18n.pick("Campagne aangemaakt. Aanmeldlink: ", "Campaign created. Sign-up link: ")}<code>{url}</code></p> })}
            <form on:submit=submit novalidate>
                {input("name", "Naam", "Name", name, "text")}
                <div class="field">
                    <label for="campaign-target_group">{move || i18n.pick("Doelgroep", "Target group")}</label>
                    <select id="campaign-target_group" on:change=move |ev| group.set(event_target_value(&ev))>
                        {TargetGroup::ALL.iter().map(|g| view! { <option value=g.as_str() selected=*g == TargetGroup::Student>{move || group_name(i18n.lang.get(), g.as_str())}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="campaign-channel">{move || i18n.pick("Kanaal", "Channel")}</label>
                    <select id="campaign-channel" on:change=move |ev| channel.set(event_target_value(&ev))>
                        {Channel::ALL.iter().map(|c| view! { <option value=c.as_str()>{move || channel_name(i18n.lang.get(), c.as_str())}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field" class:has-error=move || err("neighbourhood_id").is_some()>
                    <label for="campaign-neighbourhood_id">{move || i18n.pick("Wijk (optioneel)", "Neighbourhood (optional)")}</label>
                    {move || err("neighbourhood_id").map(|e| view! { <p class="error">{e}</p> })}
                    <select id="campaign-neighbourhood_id" on:change=move |ev| hood.set(event_target_value(&ev))>
                        <option value="">{move || i18n.pick("Hele gemeente", "Whole municipality")}</option>
                        {move || neighbourhoods.get().map(|l| l.into_iter().map(|n| view! { <option value=n.id.to_string()>{n.name}</option> }).collect_view())}
                    </select>
                </div>
                {input("starts_on", "Begint op", "Starts on", starts, "date")}
                {input("ends_on", "Eindigt op", "Ends on", ends, "date")}
                {input("cost_cents", "Kosten in euro (optioneel)", "Cost in euros (optional)", cost, "text")}
                <button type="submit" class="button primary">{move || i18n.pick("Campagne aanmaken", "Create campaign")}</button>
            </form>
        </section>
    }
}

/// A printable poster with the campaign's QR code and link.
#[component]
pub fn Poster() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|t| {
        if std::ptr::eq(t, crate::i18n::texts(Language::Nl)) {
            "QR-poster"
        } else {
            "QR poster"
        }
    });
    let allowed = super::require_login();
    let params = use_params_map();
    let id = move || {
        params.with(|p| {
            p.get("id")
                .and_then(|v| v.parse::<i32>().ok())
                .unwrap_or_default()
        })
    };
    let data = fetch(move || {
        let id = id();
        async move {
            let c = session
                .call::<(), CampaignDto>(Method::GET, &format!("/api/campaigns/{id}"), None)
                .await
                .ok()?;
            let qr = session
                .blob_url(&format!("/api/campaigns/{id}/qr.svg"), "image/svg+xml")
                .await?;
            Some((c, qr))
        }
    });
    view! {
        <Show when=move || allowed.get() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            {move || match data.get() {
                None => view! { <h1>{move || i18n.pick("QR-poster", "QR poster")}</h1><p>{move || i18n.t().loading}</p> }.into_any(),
                Some(None) => view! { <h1>{move || i18n.t().not_found_title}</h1> }.into_any(),
                Some(Some((c, qr))) => {
                    let cid = c.id;
                    let code = c.code.clone();
                    view! {
                        <div class="poster" data-testid="poster">
                            <h1>{i18n.pick("Maak je wijk veiliger", "Make your neighbourhood safer")}</h1>
                            <p class="lead">{i18n.pick(
                                "Meld overlast en inbraak, praat mee over de aanpak en loop mee met een buurtpreventieteam. Scan de code om je aan te melden.",
                                "Report nuisance and burglary, have your say, and walk with a prevention team. Scan the code to sign up.")}</p>
                            <img class="qr" src=qr width="320" height="320" alt=format!("{} {}", i18n.pick("QR-code naar", "QR code to"), c.signup_url)/>
                            <p class="poster-link"><strong>{c.signup_url.clone()}</strong></p>
                            <p class="meta">{c.name.clone()}</p>
                        </div>
                        <div class="actions">
                            <button type="button" class="button primary" on:click=move |_| { let _ = window().print(); }>{i18n.pick("Afdrukken", "Print")}</button>
                            <button type="button" class="button" on:click=move |_| {
                                let code = code.clone();
                                spawn_local(async move {
                                    session.download(&format!("/api/campaigns/{cid}/qr.png"), "image/png", &format!("wijkveilig-{code}.png")).await;
                                });
                            }>{i18n.pick("QR-code als PNG", "QR code as PNG")}</button>
                            <A href="/campaigns">{i18n.pick("Terug naar campagnes", "Back to campaigns")}</A>
                        </div>
                    }.into_any()
                }
            }}
        </Show>
    }
}
