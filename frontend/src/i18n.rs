//! Dutch and English texts as a typed table: a missing translation is a
//! compile error, and the bundle carries no i18n runtime.

use leptos::prelude::*;
use shared::shell;
pub use shared::shell::role_name;
use shared::users::{Group, Language};

// The participant client leaves the staff pages out, and with them the reads
// of their texts.
#[cfg_attr(not(feature = "staff"), allow(dead_code))]
pub struct Texts {
    pub app_tagline: &'static str,
    pub skip_link: &'static str,
    pub nav_label: &'static str,
    pub nav_home: &'static str,
    pub switch_language: &'static str,
    pub switch_language_label: &'static str,
    pub loading: &'static str,
    pub error_summary: &'static str,
    pub network_error: &'static str,
    pub generic_error: &'static str,
    pub rate_limited: &'static str,
    pub busy_error: &'static str,
    pub busy: &'static str,
    pub saved: &'static str,

    pub home_title: &'static str,
    pub home_lead: &'static str,
    pub home_points: [&'static str; 3],
    pub home_signup: &'static str,
    pub home_login: &'static str,
    pub home_welcome: &'static str,
    pub home_member_lead: &'static str,
    pub emergency: &'static str,

    pub signup_title: &'static str,
    pub signup_lead: &'static str,
    pub email_label: &'static str,
    pub email_hint: &'static str,
    pub password_label: &'static str,
    pub password_hint: &'static str,
    pub display_name_label: &'static str,
    pub display_name_hint: &'static str,
    pub group_legend: &'static str,
    pub neighbourhood_label: &'static str,
    pub neighbourhood_choose: &'static str,
    pub privacy_before: &'static str,
    pub privacy_link: &'static str,
    pub privacy_after: &'static str,
    pub signup_submit: &'static str,
    pub have_account: &'static str,

    pub login_title: &'static str,
    pub login_submit: &'static str,
    pub forgot_password: &'static str,
    pub no_account: &'static str,

    pub verify_title: &'static str,
    pub verify_ok: &'static str,
    pub verify_failed: &'static str,

    pub reset_title: &'static str,
    pub reset_lead: &'static str,
    pub reset_submit: &'static str,
    pub reset_new_title: &'static str,
    pub reset_confirm_submit: &'static str,
    pub reset_done: &'static str,

    pub profile_title: &'static str,
    pub account_heading: &'static str,
    pub email_verified: &'static str,
    pub email_not_verified: &'static str,
    pub resend_verification: &'static str,
    pub student_heading: &'static str,
    pub student_verified: &'static str,
    pub student_lead: &'static str,
    pub student_email_label: &'static str,
    pub student_submit: &'static str,
    pub details_heading: &'static str,
    pub language_label: &'static str,
    pub save: &'static str,
    pub password_heading: &'static str,
    pub current_password_label: &'static str,
    pub new_password_label: &'static str,
    pub change_password_submit: &'static str,
    pub password_changed: &'static str,
    pub logout: &'static str,

    pub users_title: &'static str,
    pub search_label: &'static str,
    pub role_filter_label: &'static str,
    pub all_roles: &'static str,
    pub search_submit: &'static str,
    pub role_label: &'static str,
    pub deactivate: &'static str,
    pub activate: &'static str,
    pub inactive: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    pub users_found: &'static str,
    pub no_users: &'static str,

    pub neighbourhoods_title: &'static str,
    pub neighbourhoods_lead: &'static str,

    pub privacy_title: &'static str,
    pub privacy_body: [&'static str; 11],

    pub not_found_title: &'static str,
    pub not_found_body: &'static str,
    pub back_home: &'static str,
}

pub const NL: Texts = Texts {
    app_tagline: shell::NL.app_tagline,
    skip_link: "Naar de inhoud",
    nav_label: shell::NL.nav_label,
    nav_home: shell::NL.nav_home,
    switch_language: "English",
    switch_language_label: "Switch to English",
    loading: shell::NL.loading,
    error_summary: "Er is een probleem",
    network_error: "Geen verbinding met Wijkveilig. Controleer je internet en probeer het opnieuw.",
    generic_error: "Er ging iets mis. Probeer het later opnieuw.",
    rate_limited: "Te veel pogingen. Wacht even en probeer het opnieuw.",
    busy_error: "Wijkveilig heeft het nu te druk. Probeer het over een minuut opnieuw.",
    busy: "Bezig…",
    saved: "Opgeslagen.",

    home_title: shell::NL.home_title,
    home_lead: shell::NL.home_lead,
    home_points: [
        "Meldingen over overlast en inbraak, met een duidelijke status.",
        "Zet onderwerpen op de agenda van het veiligheidsoverleg in je wijk.",
        "Voor studenten en bewoners van Groningen.",
    ],
    home_signup: "Aanmelden",
    home_login: "Inloggen",
    home_welcome: "Welkom",
    home_member_lead: "Je bent aangemeld bij Wijkveilig. Hier vind je straks je meldingen, enquêtes en de wijkbijeenkomsten.",
    emergency: "Gebeurt het nu? Bel 112.",

    signup_title: shell::NL.signup_title,
    signup_lead: shell::NL.signup_lead,
    email_label: "E-mailadres",
    email_hint: "Studenten: met je adres van RUG of Hanze tel je als geverifieerde student.",
    password_label: "Wachtwoord",
    password_hint: "Minstens 10 tekens. Een zin van een paar woorden is sterk en makkelijk te onthouden.",
    display_name_label: "Naam",
    display_name_hint: "Zo zien coördinatoren je. Een voornaam is genoeg.",
    group_legend: "Ik ben",
    neighbourhood_label: "Wijk",
    neighbourhood_choose: "Kies je wijk",
    privacy_before: "Ik heb de ",
    privacy_link: "privacyverklaring",
    privacy_after: " gelezen en ga akkoord.",
    signup_submit: "Account aanmaken",
    have_account: "Heb je al een account? Log in.",

    login_title: shell::NL.login_title,
    login_submit: "Inloggen",
    forgot_password: "Wachtwoord vergeten?",
    no_account: "Nog geen account? Meld je aan.",

    verify_title: "E-mailadres bevestigen",
    verify_ok: "Gelukt, je adres is bevestigd.",
    verify_failed: "Deze link werkt niet (meer). Vraag op je profielpagina een nieuwe aan.",

    reset_title: "Wachtwoord vergeten",
    reset_lead: "Vul je e-mailadres in. Als er een account bij hoort, sturen we een link om een nieuw wachtwoord te kiezen.",
    reset_submit: "Stuur link",
    reset_new_title: "Nieuw wachtwoord kiezen",
    reset_confirm_submit: "Wachtwoord opslaan",
    reset_done: "Je wachtwoord is gewijzigd. Log in met je nieuwe wachtwoord.",

    profile_title: "Profiel",
    account_heading: "Account",
    email_verified: "Bevestigd",
    email_not_verified: "Nog niet bevestigd",
    resend_verification: "Stuur bevestigingsmail opnieuw",
    student_heading: "Student",
    student_verified: "Je bent geverifieerd als student.",
    student_lead: "Bevestig met je adres van de RUG of Hanzehogeschool dat je student bent. We bewaren alleen het domein, niet het adres.",
    student_email_label: "Studentadres",
    student_submit: "Stuur bevestigingslink",
    details_heading: "Gegevens",
    language_label: "Taal",
    save: "Opslaan",
    password_heading: "Wachtwoord wijzigen",
    current_password_label: "Huidig wachtwoord",
    new_password_label: "Nieuw wachtwoord",
    change_password_submit: "Wachtwoord wijzigen",
    password_changed: "Je wachtwoord is gewijzigd. Andere apparaten zijn uitgelogd.",
    logout: "Uitloggen",

    users_title: "Gebruikers",
    search_label: "Zoek op naam of e-mail",
    role_filter_label: "Rol",
    all_roles: "Alle rollen",
    search_submit: "Zoeken",
    role_label: "Rol van",
    deactivate: "Blokkeren",
    activate: "Deblokkeren",
    inactive: "Geblokkeerd",
    previous: "Vorige",
    next: "Volgende",
    users_found: "gebruikers gevonden",
    no_users: "Geen gebruikers gevonden.",

    neighbourhoods_title: "Wijken",
    neighbourhoods_lead: "De wijken van de pilot. Meldingen en bijeenkomsten horen altijd bij één wijk.",

    privacy_title: "Privacyverklaring",
    privacy_body: [
        "De gemeente Groningen gebruikt Wijkveilig voor de pilot Community Policing en de wijkveiligheidsbijeenkomsten.",
        "We bewaren alleen wat nodig is: je e-mailadres, naam, wijk, of je student of bewoner bent, en je taal. Je wachtwoord slaan we alleen versleuteld (als hash) op.",
        "Bevestig je een studentadres, dan bewaren we alleen het domein (bijvoorbeeld student.rug.nl), niet het adres.",
        "Meldingen: je kunt kiezen of de politie je naam ziet. Twaalf maanden nadat een melding is opgelost (zes maanden na afwijzen of sluiten) halen we je naam en contactgegevens eraf; de melding zelf blijft zonder jou bewaard voor de statistiek. Foto's bewaren we twaalf maanden, zonder locatie- en cameragegevens.",
        "Vragenlijsten: bij een anonieme vragenlijst bewaren we geen account bij je antwoorden, alleen je groep, wijk en de dag. Anders zien alleen coördinatoren van de gemeente je antwoorden.",
        "Bijeenkomsten: onderwerpen die je voorstelt en steunt, en je aanmelding, zijn zichtbaar voor de coördinatoren; anderen zien je naam niet.",
        "Buurtpreventieteams: de leden van je team zien je naam; de coördinatoren en de wijkagent zien de naam en het e-mailadres van de coördinatoren (leads) van een team. Wat je in het rondelogboek schrijft, zien je teamleden en de coördinatoren.",
        "Meld je je aan via een campagnelink of QR-code (bijvoorbeeld van een flyer), dan slaan we bij je account op via welke campagne je kwam, zodat de gemeente leert welke aanpak werkt. Verder volgen we je niet: Wijkveilig gebruikt geen trackingcookies.",
        "Cijfers die buiten de gemeente gedeeld worden, tonen nooit groepen van minder dan 5 mensen.",
        "Log je twee jaar niet in, dan krijg je een mail; log je daarna 30 dagen niet in, dan verwijderen we je account. Berichten in onze mailwachtrij bewaren we 30 dagen, het logboek van wie persoonsgegevens inzag vijf jaar.",
        "Op je profielpagina download je al je gegevens en verwijder je je account. Vragen? Neem contact op met de gemeente.",
    ],

    not_found_title: "Pagina niet gevonden",
    not_found_body: "Deze pagina bestaat niet.",
    back_home: "Naar de startpagina",
};

pub const EN: Texts = Texts {
    app_tagline: shell::EN.app_tagline,
    skip_link: "Skip to content",
    nav_label: shell::EN.nav_label,
    nav_home: shell::EN.nav_home,
    switch_language: "Nederlands",
    switch_language_label: "Schakel naar Nederlands",
    loading: shell::EN.loading,
    error_summary: "There is a problem",
    network_error: "Cannot reach Wijkveilig. Check your connection and try again.",
    generic_error: "Something went wrong. Please try again later.",
    rate_limited: "Too many attempts. Wait a moment and try again.",
    busy_error: "Wijkveilig is too busy right now. Please try again in a minute.",
    busy: "Working…",
    saved: "Saved.",

    home_title: shell::EN.home_title,
    home_lead: shell::EN.home_lead,
    home_points: [
        "Reports on nuisance and burglary, with a clear status.",
        "Put topics on the agenda of your neighbourhood's safety meeting.",
        "For students and residents of Groningen.",
    ],
    home_signup: "Sign up",
    home_login: "Log in",
    home_welcome: "Welcome",
    home_member_lead: "You are signed up to Wijkveilig. Your reports, surveys and neighbourhood meetings will appear here.",
    emergency: "Is it happening now? Call 112.",

    signup_title: shell::EN.signup_title,
    signup_lead: shell::EN.signup_lead,
    email_label: "Email address",
    email_hint: "Students: with your RUG or Hanze address you count as a verified student.",
    password_label: "Password",
    password_hint: "At least 10 characters. A sentence of a few words is strong and easy to remember.",
    display_name_label: "Name",
    display_name_hint: "How coordinators see you. A first name is enough.",
    group_legend: "I am a",
    neighbourhood_label: "Neighbourhood",
    neighbourhood_choose: "Choose your neighbourhood",
    privacy_before: "I have read and accept the ",
    privacy_link: "privacy statement",
    privacy_after: ".",
    signup_submit: "Create account",
    have_account: "Already have an account? Log in.",

    login_title: shell::EN.login_title,
    login_submit: "Log in",
    forgot_password: "Forgot your password?",
    no_account: "No account yet? Sign up.",

    verify_title: "Confirm email address",
    verify_ok: "Done, your address is confirmed.",
    verify_failed: "This link does not work (any more). Request a new one on your profile page.",

    reset_title: "Forgot password",
    reset_lead: "Enter your email address. If it belongs to an account, we send a link to choose a new password.",
    reset_submit: "Send link",
    reset_new_title: "Choose a new password",
    reset_confirm_submit: "Save password",
    reset_done: "Your password is changed. Log in with your new password.",

    profile_title: "Profile",
    account_heading: "Account",
    email_verified: "Confirmed",
    email_not_verified: "Not confirmed yet",
    resend_verification: "Send confirmation mail again",
    student_heading: "Student",
    student_verified: "You are verified as a student.",
    student_lead: "Confirm with your University of Groningen or Hanze address that you are a student. We keep only the domain, not the address.",
    student_email_label: "Student address",
    student_submit: "Send confirmation link",
    details_heading: "Details",
    language_label: "Language",
    save: "Save",
    password_heading: "Change password",
    current_password_label: "Current password",
    new_password_label: "New password",
    change_password_submit: "Change password",
    password_changed: "Your password is changed. Other devices are logged out.",
    logout: "Log out",

    users_title: "Users",
    search_label: "Search by name or email",
    role_filter_label: "Role",
    all_roles: "All roles",
    search_submit: "Search",
    role_label: "Role of",
    deactivate: "Block",
    activate: "Unblock",
    inactive: "Blocked",
    previous: "Previous",
    next: "Next",
    users_found: "users found",
    no_users: "No users found.",

    neighbourhoods_title: "Neighbourhoods",
    neighbourhoods_lead: "The pilot's neighbourhoods. Every report and meeting belongs to one of them.",

    privacy_title: "Privacy statement",
    privacy_body: [
        "The municipality of Groningen uses Wijkveilig for the Community Policing pilot and the neighbourhood safety meetings.",
        "We keep only what is needed: your email address, name, neighbourhood, whether you are a student or a resident, and your language. Your password is stored only as a hash.",
        "If you confirm a student address, we keep only its domain (for example student.rug.nl), not the address.",
        "Reports: you choose whether the police see your name. Twelve months after a report is resolved (six months after it is rejected or closed) we remove your name and contact details; the report itself stays without you for statistics. Photos are kept for twelve months, without location or camera data.",
        "Surveys: with an anonymous survey we keep no account with your answers, only your group, neighbourhood and the day. Otherwise only the municipality's coordinators see your answers.",
        "Meetings: topics you propose and support, and your RSVP, are visible to the coordinators; others do not see your name.",
        "Prevention teams: your team's members see your name; the coordinators and the community police officer see the name and email address of a team's leads. What you write in the patrol log is seen by your team and the coordinators.",
        "If you sign up through a campaign link or QR code (from a flyer, say), we store with your account which campaign brought you, so that the municipality learns which outreach works. We track nothing else: Wijkveilig uses no tracking cookies.",
        "Figures shared outside the municipality never show groups of fewer than 5 people.",
        "If you do not log in for two years, we send you a mail; if you then do not log in for 30 days, we delete your account. Mails in our queue are kept for 30 days, the log of who viewed personal data for five years.",
        "On your profile page you download all your data and delete your account. Questions? Contact the municipality.",
    ],

    not_found_title: "Page not found",
    not_found_body: "This page does not exist.",
    back_home: "Go to the home page",
};

pub fn texts(lang: Language) -> &'static Texts {
    match lang {
        Language::Nl => &NL,
        Language::En => &EN,
    }
}

pub fn group_name(lang: Language, group: Group) -> &'static str {
    match (lang, group) {
        (Language::Nl, Group::Student) => "Student",
        (Language::Nl, Group::Resident) => "Bewoner",
        (Language::En, Group::Student) => "Student",
        (Language::En, Group::Resident) => "Resident",
    }
}

/// The message for a field error code from `shared::validation` or the API.
pub fn field_message(lang: Language, code: &str) -> Option<&'static str> {
    let nl = lang == Language::Nl;
    Some(match code {
        "required" => {
            if nl {
                "Vul dit veld in."
            } else {
                "Fill in this field."
            }
        }
        "invalid_email" => {
            if nl {
                "Vul een e-mailadres in zoals naam@voorbeeld.nl."
            } else {
                "Enter an email address like name@example.nl."
            }
        }
        "too_short" => {
            if nl {
                "Gebruik minstens 10 tekens."
            } else {
                "Use at least 10 characters."
            }
        }
        "too_long" => {
            if nl {
                "Dit is te lang."
            } else {
                "This is too long."
            }
        }
        "too_common" => {
            if nl {
                "Dit wachtwoord is te vaak gebruikt; kies iets dat moeilijker te raden is."
            } else {
                "This password is too common; choose one that is harder to guess."
            }
        }
        "invalid_characters" => {
            if nl {
                "Gebruik geen speciale stuurtekens."
            } else {
                "Do not use control characters."
            }
        }
        "unknown_neighbourhood" => {
            if nl {
                "Kies een wijk uit de lijst."
            } else {
                "Choose a neighbourhood from the list."
            }
        }
        "privacy_not_accepted" => {
            if nl {
                "Lees en accepteer de privacyverklaring."
            } else {
                "Read and accept the privacy statement."
            }
        }
        "already_registered" => {
            if nl {
                "Er is al een account met dit e-mailadres. Log in of vraag een nieuw wachtwoord aan."
            } else {
                "An account with this email address exists. Log in or reset your password."
            }
        }
        "wrong_password" => {
            if nl {
                "Dit is niet je huidige wachtwoord."
            } else {
                "This is not your current password."
            }
        }
        "invalid_token" => {
            if nl {
                "Deze link werkt niet (meer). Vraag een nieuwe aan."
            } else {
                "This link does not work (any more). Request a new one."
            }
        }
        "unknown_category" => {
            if nl {
                "Kies een soort uit de lijst."
            } else {
                "Choose a type from the list."
            }
        }
        "in_future" => {
            if nl {
                "Dit tijdstip ligt in de toekomst."
            } else {
                "This time is in the future."
            }
        }
        "too_old" => {
            if nl {
                "Meldingen gaan over het afgelopen jaar."
            } else {
                "Reports cover the past year only."
            }
        }
        "outside_area" => {
            if nl {
                "Deze plek ligt buiten de gemeente."
            } else {
                "This place is outside the municipality."
            }
        }
        "invalid_transition" => {
            if nl {
                "Deze stap kan nu niet."
            } else {
                "This step is not possible now."
            }
        }
        "not_institution_domain" => {
            if nl {
                "Gebruik je adres van student.rug.nl of st.hanze.nl."
            } else {
                "Use your student.rug.nl or st.hanze.nl address."
            }
        }
        _ => return None,
    })
}

/// The language the user chose, shared through context.
#[derive(Clone, Copy)]
pub struct I18n {
    pub lang: RwSignal<Language>,
}

const STORAGE_KEY: &str = "wv_lang";

impl I18n {
    /// Remembered choice, else the browser's language, else Dutch.
    pub fn init() -> I18n {
        // The server picks its first view's language by the same rule.
        let stored = storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
        let browser = web_sys::window()
            .and_then(|w| w.navigator().language())
            .unwrap_or_default();
        let lang = shell::language(stored.as_deref(), &browser);
        let i18n = I18n {
            lang: RwSignal::new(lang),
        };
        Effect::new(move |_| {
            let lang = i18n.lang.get();
            if let Some(el) = document().document_element() {
                let _ = el.set_attribute("lang", lang.as_str());
            }
            remember_for_server(lang);
        });
        i18n
    }

    pub fn set(&self, lang: Language) {
        if let Some(s) = storage() {
            let _ = s.set_item(STORAGE_KEY, lang.as_str());
        }
        self.lang.set(lang);
    }

    /// Dutch or English inline, following the chosen language (reactive).
    pub fn pick(&self, nl: &'static str, en: &'static str) -> &'static str {
        if self.lang.get() == Language::Nl {
            nl
        } else {
            en
        }
    }

    pub fn t(&self) -> &'static Texts {
        texts(self.lang.get())
    }
}

/// Tells the server the language too, so that its first view of the next
/// page (`shared::shell`) is in it. A preference, not a tracker: it holds
/// only "nl" or "en".
fn remember_for_server(lang: Language) {
    use wasm_bindgen::JsCast;
    if let Ok(d) = document().dyn_into::<web_sys::HtmlDocument>() {
        let _ = d.set_cookie(&format!(
            "{}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            shell::LANGUAGE_COOKIE,
            lang.as_str()
        ));
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

/// Texts of the report pages.
pub struct ReportTexts {
    pub new_title: &'static str,
    pub kind_legend: &'static str,
    pub kind_nuisance: &'static str,
    pub kind_burglary: &'static str,
    pub category_label: &'static str,
    pub description_label: &'static str,
    pub description_hint: &'static str,
    pub occurred_label: &'static str,
    pub address_label: &'static str,
    pub address_hint: &'static str,
    pub use_location: &'static str,
    pub location_set: &'static str,
    pub location_failed: &'static str,
    pub anonymous_label: &'static str,
    pub contact_label: &'static str,
    pub submit: &'static str,
    pub filed: &'static str,
    pub what_next: &'static str,
    pub my_title: &'static str,
    pub none_yet: &'static str,
    pub reference: &'static str,
    pub status: &'static str,
    pub due: &'static str,
    pub overdue: &'static str,
    pub timeline: &'static str,
    pub feedback_title: &'static str,
    pub satisfied_yes: &'static str,
    pub satisfied_no: &'static str,
    pub comment_label: &'static str,
    pub send: &'static str,
    pub reopen_title: &'static str,
    pub reason_label: &'static str,
    pub reopen_submit: &'static str,
    pub move_title: &'static str,
    pub public_note_label: &'static str,
    pub internal_note_label: &'static str,
    pub partner_note_label: &'static str,
    pub handled_label: &'static str,
    pub queue_title: &'static str,
    pub all_statuses: &'static str,
    pub all_kinds: &'static str,
    pub only_overdue: &'static str,
    pub reporter: &'static str,
    pub anonymous: &'static str,
    pub notifications_title: &'static str,
    pub mark_all_read: &'static str,
    pub no_notifications: &'static str,
    pub thanks_feedback: &'static str,
}

pub const REPORTS_NL: ReportTexts = ReportTexts {
    new_title: shell::NL.report_title,
    kind_legend: "Waar gaat het over?",
    kind_nuisance: "Overlast",
    kind_burglary: "Inbraak",
    category_label: "Soort",
    description_label: "Wat is er gebeurd?",
    description_hint: "Minstens 10 tekens. Noem geen namen van anderen.",
    occurred_label: "Wanneer?",
    address_label: "Adres of plek (mag leeg)",
    address_hint: "Bijvoorbeeld: Paddepoelsterweg 12, of: hoek Selwerderdwarsstraat.",
    use_location: "Gebruik mijn locatie",
    location_set: "Locatie toegevoegd.",
    location_failed: "Je locatie is niet beschikbaar. Vul een adres in.",
    anonymous_label: "Houd mijn naam geheim voor de politie en andere partners",
    contact_label: "De gemeente mag contact met mij opnemen (ook per e-mail)",
    submit: "Melding versturen",
    filed: "Je melding is ontvangen.",
    what_next: "De gemeente bekijkt je melding vóór de streefdatum. Je ziet hier elke stap en krijgt een bericht bij iedere wijziging.",
    my_title: "Mijn meldingen",
    none_yet: "Je hebt nog geen meldingen gedaan.",
    reference: "Kenmerk",
    status: "Status",
    due: "Streefdatum",
    overdue: "Te laat",
    timeline: "Verloop",
    feedback_title: "Ben je tevreden over de afhandeling?",
    satisfied_yes: "Ja, tevreden",
    satisfied_no: "Nee, niet tevreden",
    comment_label: "Toelichting (mag leeg)",
    send: "Versturen",
    reopen_title: "Is het probleem terug?",
    reason_label: "Waarom wil je de melding heropenen?",
    reopen_submit: "Heropenen",
    move_title: "Status wijzigen",
    public_note_label: "Bericht aan de melder",
    internal_note_label: "Interne notitie",
    partner_note_label: "Notitie van de politie",
    handled_label: "Afgehandeld door de politie",
    queue_title: "Meldingen",
    all_statuses: "Alle statussen",
    all_kinds: "Alle soorten",
    only_overdue: "Alleen te laat",
    reporter: "Melder",
    anonymous: "Anoniem",
    notifications_title: "Berichten",
    mark_all_read: "Alles gelezen",
    no_notifications: "Geen berichten.",
    thanks_feedback: "Bedankt voor je reactie.",
};

pub const REPORTS_EN: ReportTexts = ReportTexts {
    new_title: shell::EN.report_title,
    kind_legend: "What is it about?",
    kind_nuisance: "Nuisance",
    kind_burglary: "Burglary",
    category_label: "Type",
    description_label: "What happened?",
    description_hint: "At least 10 characters. Do not name other people.",
    occurred_label: "When?",
    address_label: "Address or place (optional)",
    address_hint: "For example: Paddepoelsterweg 12, or: corner of Selwerderdwarsstraat.",
    use_location: "Use my location",
    location_set: "Location added.",
    location_failed: "Your location is not available. Enter an address.",
    anonymous_label: "Keep my name from the police and other partners",
    contact_label: "The municipality may contact me (also by email)",
    submit: "Send report",
    filed: "Your report has been received.",
    what_next: "The municipality looks at your report before the target date. You see every step here and get a message with each change.",
    my_title: "My reports",
    none_yet: "You have not filed any reports yet.",
    reference: "Reference",
    status: "Status",
    due: "Target date",
    overdue: "Overdue",
    timeline: "History",
    feedback_title: "Are you satisfied with how it was handled?",
    satisfied_yes: "Yes, satisfied",
    satisfied_no: "No, not satisfied",
    comment_label: "Comment (optional)",
    send: "Send",
    reopen_title: "Is the problem back?",
    reason_label: "Why do you want to reopen the report?",
    reopen_submit: "Reopen",
    move_title: "Change status",
    public_note_label: "Message to the reporter",
    internal_note_label: "Internal note",
    partner_note_label: "Police note",
    handled_label: "Handled by police",
    queue_title: "Reports",
    all_statuses: "All statuses",
    all_kinds: "All kinds",
    only_overdue: "Overdue only",
    reporter: "Reporter",
    anonymous: "Anonymous",
    notifications_title: "Messages",
    mark_all_read: "Mark all read",
    no_notifications: "No messages.",
    thanks_feedback: "Thank you for your feedback.",
};

impl I18n {
    pub fn r(&self) -> &'static ReportTexts {
        match self.lang.get() {
            Language::Nl => &REPORTS_NL,
            Language::En => &REPORTS_EN,
        }
    }
}

pub fn status_name(lang: Language, s: shared::reports::ReportStatus) -> &'static str {
    use shared::reports::ReportStatus::*;
    match (lang, s) {
        (Language::Nl, Submitted) => "ontvangen",
        (Language::Nl, Triaged) => "in behandeling",
        (Language::Nl, Forwarded) => "doorgestuurd naar politie",
        (Language::Nl, Resolved) => "opgelost",
        (Language::Nl, Rejected) => "afgewezen",
        (Language::Nl, Closed) => "gesloten",
        (Language::Nl, Reopened) => "heropend",
        (Language::En, Submitted) => "received",
        (Language::En, Triaged) => "in progress",
        (Language::En, Forwarded) => "forwarded to police",
        (Language::En, Resolved) => "resolved",
        (Language::En, Rejected) => "rejected",
        (Language::En, Closed) => "closed",
        (Language::En, Reopened) => "reopened",
    }
}

/// The report texts in the language of `t`.
pub fn reports_for(t: &'static Texts) -> &'static ReportTexts {
    if std::ptr::eq(t, &NL) {
        &REPORTS_NL
    } else {
        &REPORTS_EN
    }
}
