//! The first view of a page: what the server writes into `index.html`, so
//! that a phone shows the header, the menu and the page's heading while the
//! web client (a few hundred KB) is still on its way. The client takes its
//! texts for the same places from here, so that the two cannot drift apart,
//! and replaces the first view once its own page is drawn.

use crate::users::{Language, Role};

/// The cookie that tells the server which language the client shows.
pub const LANGUAGE_COOKIE: &str = "wv_lang";

/// The texts of the first view, which the client's pages show too.
pub struct ShellTexts {
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub nav_login: &'static str,
    pub nav_signup: &'static str,
    pub nav_report: &'static str,
    pub nav_my_reports: &'static str,
    pub nav_my_topics: &'static str,
    pub nav_meetings: &'static str,
    pub nav_teams: &'static str,
    pub nav_surveys: &'static str,
    pub nav_notifications: &'static str,
    pub nav_profile: &'static str,
    pub nav_dashboard: &'static str,
    pub nav_queue: &'static str,
    pub nav_actions: &'static str,
    pub nav_campaigns: &'static str,
    pub nav_neighbourhoods: &'static str,
    pub nav_users: &'static str,
    pub nav_privacy: &'static str,
    pub nav_categories: &'static str,
    /// Before the role's name, under the menu.
    pub logged_in_as: &'static str,
    pub loading: &'static str,
    pub app_tagline: &'static str,
    pub home_title: &'static str,
    pub home_lead: &'static str,
    pub signup_title: &'static str,
    pub signup_lead: &'static str,
    pub login_title: &'static str,
    pub report_title: &'static str,
}

pub const NL: ShellTexts = ShellTexts {
    nav_label: "Hoofdmenu",
    nav_home: "Start",
    nav_login: "Inloggen",
    nav_signup: "Aanmelden",
    nav_report: "Melden",
    nav_my_reports: "Mijn meldingen",
    nav_my_topics: "Mijn onderwerpen",
    nav_meetings: "Bijeenkomsten",
    nav_teams: "Buurtpreventie",
    nav_surveys: "Vragenlijsten",
    nav_notifications: "Berichten",
    nav_profile: "Profiel",
    nav_dashboard: "Dashboard",
    nav_queue: "Meldingen",
    nav_actions: "Acties",
    nav_campaigns: "Campagnes",
    nav_neighbourhoods: "Wijken",
    nav_users: "Gebruikers",
    nav_privacy: "Privacy",
    nav_categories: "Categorieën",
    logged_in_as: "Ingelogd als",
    loading: "Bezig met laden…",
    app_tagline: "Samen werken aan een veilige wijk",
    home_title: "Wijkveilig",
    home_lead: "Meld overlast en inbraak in je buurt, volg wat ermee gebeurt en praat mee over veiligheid in jouw wijk.",
    signup_title: "Aanmelden",
    signup_lead: "In een minuut geregeld. We vragen alleen wat nodig is.",
    login_title: "Inloggen",
    report_title: "Melding doen",
};

pub const EN: ShellTexts = ShellTexts {
    nav_label: "Main menu",
    nav_home: "Home",
    nav_login: "Log in",
    nav_signup: "Sign up",
    nav_report: "Report",
    nav_my_reports: "My reports",
    nav_my_topics: "My topics",
    nav_meetings: "Meetings",
    nav_teams: "Prevention teams",
    nav_surveys: "Surveys",
    nav_notifications: "Messages",
    nav_profile: "Profile",
    nav_dashboard: "Dashboard",
    nav_queue: "Reports",
    nav_actions: "Actions",
    nav_campaigns: "Campaigns",
    nav_neighbourhoods: "Neighbourhoods",
    nav_users: "Users",
    nav_privacy: "Privacy",
    nav_categories: "Categories",
    logged_in_as: "Logged in as",
    loading: "Loading…",
    app_tagline: "Working together for a safe neighbourhood",
    home_title: "Wijkveilig",
    home_lead: "Report nuisance and burglary in your area, follow what happens with it, and have a say in safety in your neighbourhood.",
    signup_title: "Sign up",
    signup_lead: "Done in a minute. We only ask for what we need.",
    login_title: "Log in",
    report_title: "File a report",
};

pub fn texts(lang: Language) -> &'static ShellTexts {
    match lang {
        Language::Nl => &NL,
        Language::En => &EN,
    }
}

/// The language the client starts in: the one it remembered (its cookie),
/// else the browser's first language when that is English (any language
/// but Dutch), else Dutch.
pub fn language(remembered: Option<&str>, browser: &str) -> Language {
    if let Some(lang) = remembered.and_then(Language::parse) {
        return lang;
    }
    let browser = browser.trim().to_ascii_lowercase();
    if browser.is_empty() || browser.starts_with("nl") {
        Language::Nl
    } else {
        Language::En
    }
}

/// The main menu of `role` (`None`: a visitor who is not logged in):
/// address and label, in the order shown. The server's first view and the
/// client's header both draw it from here.
pub fn menu(t: &ShellTexts, role: Option<Role>) -> Vec<(&'static str, &'static str)> {
    let mut links = vec![("/", t.nav_home)];
    let Some(role) = role else {
        links.extend([("/login", t.nav_login), ("/signup", t.nav_signup)]);
        return links;
    };
    if role == Role::Participant {
        links.extend([
            ("/reports/new", t.nav_report),
            ("/reports", t.nav_my_reports),
            ("/my-topics", t.nav_my_topics),
        ]);
    } else {
        links.extend([
            ("/dashboard", t.nav_dashboard),
            ("/queue", t.nav_queue),
            ("/actions", t.nav_actions),
            ("/campaigns", t.nav_campaigns),
        ]);
    }
    links.extend([
        ("/meetings", t.nav_meetings),
        ("/teams", t.nav_teams),
        ("/surveys", t.nav_surveys),
        ("/notifications", t.nav_notifications),
        ("/profile", t.nav_profile),
    ]);
    if matches!(role, Role::Coordinator | Role::Admin) {
        links.push(("/neighbourhoods", t.nav_neighbourhoods));
    }
    if role == Role::Admin {
        links.extend([
            ("/admin/users", t.nav_users),
            ("/admin/privacy", t.nav_privacy),
            ("/admin/categories", t.nav_categories),
        ]);
    }
    links
}

/// Whether the menu's link to `href` is the current page only at `href`
/// itself: when another link of the menu lies below it ("/reports" and
/// "/reports/new"). Otherwise it is also current on the pages below it.
pub fn exact(menu: &[(&str, &str)], href: &str) -> bool {
    menu.iter().any(|(other, _)| {
        other
            .strip_prefix(href)
            .is_some_and(|rest| rest.starts_with('/'))
    })
}

/// The name of a role, as the menu's "logged in as" line shows it.
pub fn role_name(lang: Language, role: Role) -> &'static str {
    match (lang, role) {
        (Language::Nl, Role::Participant) => "deelnemer",
        (Language::Nl, Role::Coordinator) => "coördinator",
        (Language::Nl, Role::Partner) => "partner",
        (Language::Nl, Role::Admin) => "beheerder",
        (Language::En, Role::Participant) => "participant",
        (Language::En, Role::Coordinator) => "coordinator",
        (Language::En, Role::Partner) => "partner",
        (Language::En, Role::Admin) => "admin",
    }
}

/// What a page shows first under its menu, before anything is loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intro {
    /// The home page's heading, tagline and lead.
    Home,
    /// A heading and a lead.
    Titled {
        title: &'static str,
        lead: Option<&'static str>,
    },
    /// Nothing known before the page has loaded its data.
    Unknown,
}

/// The first view's content for `path`.
pub fn intro(t: &ShellTexts, path: &str) -> Intro {
    let path = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    match path {
        "/" | "" => Intro::Home,
        "/signup" => Intro::Titled {
            title: t.signup_title,
            lead: Some(t.signup_lead),
        },
        "/login" => Intro::Titled {
            title: t.login_title,
            lead: None,
        },
        "/reports/new" => Intro::Titled {
            title: t.report_title,
            lead: None,
        },
        _ => Intro::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_follows_the_cookie_then_the_browser() {
        assert_eq!(language(Some("en"), "nl-NL"), Language::En);
        assert_eq!(language(Some("nl"), "en-US"), Language::Nl);
        assert_eq!(language(Some("fr"), "en-US"), Language::En);
        assert_eq!(language(None, "nl-BE"), Language::Nl);
        assert_eq!(language(None, "NL"), Language::Nl);
        assert_eq!(language(None, "de-DE"), Language::En);
        assert_eq!(language(None, ""), Language::Nl);
    }

    #[test]
    fn intro_knows_the_first_pages() {
        assert_eq!(intro(&NL, "/"), Intro::Home);
        assert_eq!(
            intro(&EN, "/signup/"),
            Intro::Titled {
                title: "Sign up",
                lead: Some(EN.signup_lead)
            }
        );
        assert_eq!(intro(&NL, "/reports/7"), Intro::Unknown);
    }

    #[test]
    fn each_role_gets_its_menu() {
        let hrefs = |role| {
            menu(&EN, role)
                .into_iter()
                .map(|(h, _)| h)
                .collect::<Vec<_>>()
        };
        assert_eq!(hrefs(None), ["/", "/login", "/signup"]);
        let participant = hrefs(Some(Role::Participant));
        assert_eq!(
            participant[..4],
            ["/", "/reports/new", "/reports", "/my-topics"]
        );
        assert!(participant.contains(&"/profile") && !participant.contains(&"/queue"));
        assert!(!participant.contains(&"/login"));
        let partner = hrefs(Some(Role::Partner));
        assert!(partner.contains(&"/queue") && !partner.contains(&"/reports/new"));
        assert!(!partner.contains(&"/neighbourhoods"));
        assert!(hrefs(Some(Role::Coordinator)).contains(&"/neighbourhoods"));
        assert!(!hrefs(Some(Role::Coordinator)).contains(&"/admin/users"));
        let admin = hrefs(Some(Role::Admin));
        assert_eq!(admin.last(), Some(&"/admin/categories"));
        for role in [None].into_iter().chain(Role::ALL.map(Some)) {
            let m = menu(&NL, role);
            let mut unique = m.iter().map(|(h, _)| *h).collect::<Vec<_>>();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), m.len(), "{role:?}");
            assert!(m.iter().all(|(_, label)| !label.is_empty()));
        }
    }

    #[test]
    fn only_a_link_with_another_below_it_is_exact() {
        let m = menu(&NL, Some(Role::Participant));
        assert!(exact(&m, "/reports"));
        assert!(!exact(&m, "/reports/new"));
        assert!(!exact(&m, "/"));
        assert!(!exact(&m, "/meetings"));
        assert_eq!(role_name(Language::Nl, Role::Admin), "beheerder");
    }
}
