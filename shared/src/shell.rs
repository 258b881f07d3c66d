//! The first view of a page: what the server writes into `index.html`, so
//! that a phone shows the header, the menu and the page's heading while the
//! web client (a few hundred KB) is still on its way. The client takes its
//! texts for the same places from here, so that the two cannot drift apart,
//! and replaces the first view once its own page is drawn.

use crate::users::Language;

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

/// The menu of a visitor who is not logged in: address and label.
pub fn guest_menu(t: &ShellTexts) -> [(&'static str, &'static str); 3] {
    [
        ("/", t.nav_home),
        ("/login", t.nav_login),
        ("/signup", t.nav_signup),
    ]
}

/// The menu of a logged-in participant: address and label.
pub fn participant_menu(t: &ShellTexts) -> [(&'static str, &'static str); 9] {
    [
        ("/", t.nav_home),
        ("/reports/new", t.nav_report),
        ("/reports", t.nav_my_reports),
        ("/my-topics", t.nav_my_topics),
        ("/meetings", t.nav_meetings),
        ("/teams", t.nav_teams),
        ("/surveys", t.nav_surveys),
        ("/notifications", t.nav_notifications),
        ("/profile", t.nav_profile),
    ]
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
}
