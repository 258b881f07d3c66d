//! Admins: retention periods and the audit log.

use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::privacy::{AuditPage, RetentionSetting};
use shared::users::Language;

use crate::api::use_session;
use crate::components::{fetch, page_title, Pager, Paging};
use crate::i18n::use_i18n;
use crate::time::fmt_time;

fn kind_label(lang: Language, kind: &str) -> String {
    let nl = lang == Language::Nl;
    match kind {
        "resolved_report_reporter" => {
            if nl {
                "Melder en contact bij opgeloste meldingen"
            } else {
                "Reporter and contact of resolved reports"
            }
        }
        "closed_report_reporter" => {
            if nl {
                "Melder en contact bij afgewezen of gesloten meldingen"
            } else {
                "Reporter and contact of rejected or closed reports"
            }
        }
        "report_photos" => {
            if nl {
                "Foto's bij meldingen"
            } else {
                "Report photos"
            }
        }
        "inactive_account" => {
            if nl {
                "Inactieve accounts (waarschuwing na)"
            } else {
                "Inactive accounts (warned after)"
            }
        }
        "inactive_account_grace" => {
            if nl {
                "Inactieve accounts (verwijderd na waarschuwing)"
            } else {
                "Inactive accounts (erased after warning)"
            }
        }
        "outbox" => {
            if nl {
                "Uitgaande mail"
            } else {
                "Outgoing mail"
            }
        }
        "audit_log" => {
            if nl {
                "Logboek"
            } else {
                "Audit log"
            }
        }
        other => other,
    }
    .to_owned()
}

#[component]
pub fn AdminPrivacy() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    page_title(|t| {
        if std::ptr::eq(t, crate::i18n::texts(Language::Nl)) {
            "Privacybeheer"
        } else {
            "Privacy management"
        }
    });
    let allowed = super::require_login();
    let version = RwSignal::new(0u32);
    let settings = fetch(move || {
        version.get();
        async move {
            session
                .call::<(), Vec<RetentionSetting>>(Method::GET, "/api/admin/retention", None)
                .await
        }
    });
    let action = RwSignal::new(String::new());
    let page = RwSignal::new(1u32);
    let log = fetch(move || {
        let (action, page) = (action.get(), page.get());
        async move {
            let mut path = format!("/api/admin/audit?per_page=25&page={page}");
            if !action.is_empty() {
                path.push_str(&format!("&action={action}"));
            }
            session
                .call::<(), AuditPage>(Method::GET, &path, None)
                .await
        }
    });
    let message = RwSignal::new(None::<String>);
    view! {
        <h1>{move || i18n.pick("Privacybeheer", "Privacy management")}</h1>
        <Show when=move || allowed.get() fallback=move || view! { <p>{move || i18n.t().loading}</p> }>
            <h2>{move || i18n.pick("Bewaartermijnen (dagen)", "Retention periods (days)")}</h2>
            {move || message.get().map(|m| view! { <p class="notice" role="status">{m}</p> })}
            {move || match settings.get() {
                None => view! { <p>{move || i18n.t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e.message(i18n.t())}</p> }.into_any(),
                Some(Ok(list)) => {
                    let values: Vec<(String, RwSignal<String>)> = list.iter().map(|s| (s.kind.clone(), RwSignal::new(s.days.to_string()))).collect();
                    let rows = values.clone();
                    let save = move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        let body: Vec<RetentionSetting> = values.iter().map(|(k, v)| RetentionSetting { kind: k.clone(), days: v.get_untracked().trim().parse().unwrap_or(0) }).collect();
                        spawn_local(async move {
                            match session.call::<_, Vec<RetentionSetting>>(Method::PUT, "/api/admin/retention", Some(&body)).await {
                                Ok(_) => { message.set(Some(i18n.pick("Opgeslagen.", "Saved.").into())); version.update(|v| *v += 1); }
                                Err(e) => message.set(Some(e.message(i18n.t()))),
                            }
                        });
                    };
                    view! {
                        <form on:submit=save>
                            {rows.into_iter().map(|(kind, value)| {
                                let id = format!("ret-{kind}");
                                view! {
                                    <div class="field">
                                        <label for=id.clone()>{kind_label(i18n.lang.get(), &kind)}</label>
                                        <input type="number" min="1" max="36500" id=id class="short" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                                    </div>
                                }
                            }).collect_view()}
                            <button type="submit" class="button primary">{i18n.pick("Termijnen opslaan", "Save periods")}</button>
                        </form>
                    }.into_any()
                }
            }}
            <h2>{move || i18n.pick("Logboek", "Audit log")}</h2>
            <div class="field">
                <label for="audit-action">{move || i18n.pick("Soort", "Kind")}</label>
                <select id="audit-action" on:change=move |ev| { action.set(event_target_value(&ev)); page.set(1); }>
                    <option value="">{move || i18n.pick("Alles", "Everything")}</option>
                    {["reporter_identity_viewed", "role_changed", "data_exported", "account_erased", "purge", "retention_changed"].into_iter().map(|a| view! { <option value=a>{a}</option> }).collect_view()}
                </select>
            </div>
            {move || match log.get() {
                None => view! { <p>{move || i18n.t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <p class="error">{e.message(i18n.t())}</p> }.into_any(),
                Some(Ok(p)) => {
                    view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label=move || i18n.pick("Tabel", "Table")>
                            <table>
                                <caption>{format!("{} {}", p.total, i18n.pick("regels", "entries"))}</caption>
                                <thead><tr>
                                    <th scope="col">{i18n.pick("Wanneer", "When")}</th>
                                    <th scope="col">{i18n.pick("Wie", "Who")}</th>
                                    <th scope="col">{i18n.pick("Wat", "What")}</th>
                                    <th scope="col">{i18n.pick("Waarover", "About")}</th>
                                    <th scope="col">{i18n.pick("Details", "Details")}</th>
                                </tr></thead>
                                <tbody>
                                    {p.items.into_iter().map(|e| view! {
                                        <tr>
                                            <td>{fmt_time(e.at)}</td>
                                            <td>{format!("{} {}", e.actor_role, e.actor_id.map(|i| format!("#{i}")).unwrap_or_default())}</td>
                                            <td>{e.action}</td>
                                            <td>{format!("{} {}", e.subject_type.unwrap_or_default(), e.subject_id.map(|i| format!("#{i}")).unwrap_or_default())}</td>
                                            <td>{e.detail.unwrap_or_default()}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }
            }}
            <Pager page paging=Signal::derive(move || log.with(|l| match l {
                Some(Ok(p)) => Some(Paging::new(
                    u32::try_from(p.page).unwrap_or(1),
                    u32::try_from(p.per_page).unwrap_or(1),
                    p.total,
                    false,
                    p.items.len(),
                )),
                _ => None,
            }))/>
        </Show>
    }
}
