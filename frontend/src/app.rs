//! Router, the navigation shell and focus management on route changes.

use gloo_net::http::Method;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::hooks::use_location;
use leptos_router::path;
use shared::shell;
use shared::users::{Language, Role, UpdateMeRequest, UserDto};

use crate::api::{use_session, Session};
use crate::i18n::{use_i18n, I18n};
use crate::pages;

#[component]
pub fn App() -> impl IntoView {
    let i18n = I18n::init();
    provide_context(i18n);
    let session = Session::new();
    provide_context(session);
    // The page is drawn in a task of its own, after this one has drawn the
    // header: one long task that did both kept a phone's main thread from
    // input for twice as long (Lighthouse's total blocking time).
    spawn_local(async move {
        crate::api::yield_to_browser().await;
        if crate::api::has_session_marker() {
            futures::future::join(session.restore(), warm_up_date_controls()).await;
        } else {
            session.restore().await
        }
    });
    // The server's first view of the page (`shared::shell`) stays until the
    // page is drawn here (the style sheet hides it until then).
    Effect::new(move |_| {
        if session.ready.get() {
            remove_shell_once_shown(SHELL_FRAMES);
        }
    });

    view! {
        <Router>
            <a class="skip-link" href="#main">{move || i18n.t().skip_link}</a>
            <Header/>
            <ConsentBanner/>
            <FocusOnNavigate/>
            <main id="main" tabindex="-1">
                // Pages appear once the session is known: the navigation grows
                // with a login, and a page drawn before it would jump down.
                <Show when=move || session.ready.get()>
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("/") view=pages::home::Home/>
                    <Route path=path!("/signup") view=pages::signup::Signup/>
                    <Route path=path!("/login") view=pages::login::Login/>
                    <Route path=path!("/verify-email") view=pages::verify::VerifyEmail/>
                    <Route path=path!("/reset-password") view=pages::reset::ResetPassword/>
                    <Route path=path!("/profile") view=pages::profile::Profile/>
                    <Route path=path!("/privacy") view=pages::privacy::Privacy/>
                    <Route path=path!("/neighbourhoods") view=pages::staff::Neighbourhoods/>
                    <Route path=path!("/admin/users") view=pages::staff::AdminUsers/>
                    <Route path=path!("/admin/privacy") view=pages::staff::AdminPrivacy/>
                    <Route path=path!("/admin/categories") view=pages::staff::AdminCategories/>
                    <Route path=path!("/reports/new") view=pages::reports::NewReport/>
                    <Route path=path!("/reports/:id") view=pages::reports::ReportDetail/>
                    <Route path=path!("/reports") view=pages::reports::MyReports/>
                    <Route path=path!("/queue") view=pages::staff::Queue/>
                    <Route path=path!("/notifications") view=pages::reports::Notifications/>
                    <Route path=path!("/meetings") view=pages::meetings::Meetings/>
                    <Route path=path!("/meetings/new") view=pages::staff::NewMeeting/>
                    <Route path=path!("/meetings/:id") view=pages::meetings::MeetingPage/>
                    <Route path=path!("/my-topics") view=pages::meetings::MyTopics/>
                    <Route path=path!("/actions") view=pages::staff::ActionTracker/>
                    <Route path=path!("/dashboard") view=pages::staff::Dashboard/>
                    <Route path=path!("/surveys") view=pages::surveys::Surveys/>
                    <Route path=path!("/surveys/new") view=pages::staff::SurveyEditor/>
                    <Route path=path!("/surveys/:id/edit") view=pages::staff::SurveyEditor/>
                    <Route path=path!("/surveys/:id/results") view=pages::staff::SurveyResultsPage/>
                    <Route path=path!("/surveys/:id") view=pages::surveys::SurveyPage/>
                    <Route path=path!("/teams") view=pages::teams::Teams/>
                    <Route path=path!("/teams/:id") view=pages::teams::TeamPage/>
                    <Route path=path!("/campaigns") view=pages::staff::Campaigns/>
                    <Route path=path!("/campaigns/:id/poster") view=pages::staff::Poster/>
                </Routes>
                </Show>
            </main>
        </Router>
    }
}

/// How many frames the client waits at most for the browser to confirm the
/// first view was on screen.
const SHELL_FRAMES: u32 = 60;

/// Replaces the server's first view with the client's page, in one frame,
/// once the browser has confirmed that the first view reached the screen
/// (its first-contentful-paint entry; at most `frames` frames from now).
/// The confirmation comes as a task of its own after the client's start-up,
/// and the browser drops a paint whose text is gone by then: the page's
/// largest paint would then count from the client's drawing of the same
/// text, seconds later on a slow phone, not from when the reader saw it.
fn remove_shell_once_shown(frames: u32) {
    request_animation_frame(move || {
        let shown = window()
            .performance()
            .is_none_or(|p| p.get_entries_by_name("first-contentful-paint").length() > 0);
        if shown || frames == 0 {
            if let Some(shell) = document().get_element_by_id("shell") {
                shell.remove();
                // The client's menu shows from this frame on: bring its
                // current link into sight before the frame is painted.
                let menu = document()
                    .query_selector(".site-header nav ul")
                    .ok()
                    .flatten();
                if let Some(list) = menu
                    .and_then(|m| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(m).ok())
                {
                    reveal_current(&list);
                }
            }
        } else {
            remove_shell_once_shown(frames - 1);
        }
    });
}

/// Has the browser set up its date and time controls while the client waits
/// for the session. Chromium does that for the first date input of a
/// document, about 5 ms on a laptop and 20 on a phone, and the pages of a
/// logged-in user mostly have one (the report form, the queue's filters, the
/// meeting and survey editors): done there, it lengthened the task that
/// draws the page, during which the phone answers no input.
async fn warm_up_date_controls() {
    crate::api::yield_to_browser().await;
    if let Ok(input) = document().create_element("input") {
        let _ = input.set_attribute("type", "datetime-local");
    }
}

/// After client-side navigation, move focus to the new page's heading so
/// keyboard and screen reader users start at the top of the new content.
#[component]
fn FocusOnNavigate() -> impl IntoView {
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            request_animation_frame(|| {
                let target = document()
                    .query_selector("main h1")
                    .ok()
                    .flatten()
                    .or_else(|| document().get_element_by_id("main"));
                if let Some(el) = target {
                    let _ = el.set_attribute("tabindex", "-1");
                    if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                        let _ = el.focus();
                    }
                }
            });
        }
        path
    });
}

#[component]
fn Header() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    // A memo: the menu is drawn again when the role changes, not with every
    // change to the account (a saved profile, a consent).
    let role = Memo::new(move |_| session.user.with(|u| u.as_ref().map(|u| u.role)));
    let role = move || role.get();
    // The role's menu (`shared::shell`, as the server's first view draws
    // it); until the session is known only "Home", since the page is hidden
    // behind the first view until then.
    let links = move || {
        let t = shell::texts(i18n.lang.get());
        let menu = if session.ready.get() {
            shell::menu(t, role())
        } else {
            vec![("/", t.nav_home)]
        };
        menu.iter()
            .map(|&(href, label)| {
                let exact = shell::exact(&menu, href);
                view! { <li><A href=href exact=exact>{label}</A></li> }
            })
            .collect_view()
    };
    // On a phone the menu is a row that scrolls sideways: keep the current
    // page's link in sight, after the router has marked it, whenever the
    // page, the menu or the links' language changes.
    let strip = NodeRef::<leptos::html::Ul>::new();
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        session.ready.track();
        i18n.lang.track();
        role();
        request_animation_frame(move || {
            if let Some(list) = strip.get_untracked() {
                reveal_current(&list);
            }
        });
    });
    let toggle = move |_| {
        let next = match i18n.lang.get_untracked() {
            Language::Nl => Language::En,
            Language::En => Language::Nl,
        };
        i18n.set(next);
        // Logged in: mails follow the chosen language too.
        if session.user.with_untracked(Option::is_some) {
            spawn_local(async move {
                let body = UpdateMeRequest {
                    language: Some(next),
                    ..Default::default()
                };
                if let Ok(user) = session
                    .call::<_, UserDto>(Method::PATCH, "/api/me", Some(&body))
                    .await
                {
                    session.user.set(Some(user));
                }
            });
        }
    };
    view! {
        <header class="site-header">
            <div class="bar">
                <A href="/" attr:class="brand">
                    <span class="logo" aria-hidden="true">"WV"</span>
                    <span>"Wijkveilig"</span>
                </A>
                <button
                    type="button"
                    class="lang"
                    on:click=toggle
                    aria-label=move || i18n.t().switch_language_label
                    lang=move || if i18n.lang.get() == Language::Nl { "en" } else { "nl" }
                >
                    {move || i18n.t().switch_language}
                </button>
            </div>
            <nav aria-label=move || i18n.t().nav_label data-role=move || role().map(|r| r.as_str()).unwrap_or("guest")>
                <ul node_ref=strip>{links}</ul>
                {move || role().map(|r| view! {
                    <p class="role-badge" data-testid="role">
                        {move || shell::texts(i18n.lang.get()).logged_in_as} " "
                        <strong>{move || shell::role_name(i18n.lang.get(), r)}</strong>
                    </p>
                })}
            </nav>
        </header>
    }
}

/// Scrolls the menu `list` sideways, if it scrolls, just enough that the
/// link to the current page is in sight, clear of the edge's shadow.
fn reveal_current(list: &web_sys::HtmlElement) {
    // Hidden behind the server's first view, it has no width: it is
    // revealed when that goes.
    if list.client_width() == 0 {
        return;
    }
    let Some(link) = list
        .query_selector("a[aria-current=page]")
        .ok()
        .flatten()
        .and_then(|a| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(a).ok())
    else {
        return;
    };
    // The list is the link's offset parent (`position: relative`), so both
    // measure from the start of the row, however far it has scrolled.
    const CLEAR: i32 = 32;
    let (start, end) = (link.offset_left(), link.offset_left() + link.offset_width());
    let (left, width) = (list.scroll_left(), list.client_width());
    if start < left + CLEAR {
        list.set_scroll_left(start - CLEAR);
    } else if end > left + width - CLEAR {
        list.set_scroll_left(end - width + CLEAR);
    }
}

/// Shown after login when the privacy statement changed since the user last
/// accepted it: read it, then accept (or log out from the profile page).
#[component]
fn ConsentBanner() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let needed = move || {
        session.user.with(|u| {
            // Participants consent; staff work with the data under their employment.
            u.as_ref().is_some_and(|u| {
                u.role == Role::Participant
                    && u.privacy_version.as_deref() != Some(shared::PRIVACY_VERSION)
            })
        })
    };
    let accept = move |_| {
        spawn_local(async move {
            let body = shared::privacy::ConsentRequest {
                privacy_version: shared::PRIVACY_VERSION.to_owned(),
            };
            if let Ok(user) = session
                .call::<_, UserDto>(Method::POST, "/api/me/consent", Some(&body))
                .await
            {
                session.user.set(Some(user));
            }
        });
    };
    view! {
        <Show when=needed>
            <section class="guidance consent" role="region" aria-label=move || i18n.pick("Privacyverklaring gewijzigd", "Privacy statement changed")>
                <p>{move || i18n.pick(
                    "Onze privacyverklaring is gewijzigd. Lees de nieuwe versie en geef opnieuw toestemming om Wijkveilig te blijven gebruiken.",
                    "Our privacy statement changed. Read the new version and consent again to keep using Wijkveilig.")}</p>
                <div class="actions">
                    <A href="/privacy" attr:class="button">{move || i18n.pick("Privacyverklaring lezen", "Read the privacy statement")}</A>
                    <button type="button" class="button primary" on:click=accept>{move || i18n.pick("Ik ga akkoord", "I agree")}</button>
                </div>
            </section>
        </Show>
    }
}
