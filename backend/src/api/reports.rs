//! Reports: filing and following (participants), triage and forwarding
//! (coordinators), notes on forwarded reports (partners).

use actix_web::{web, HttpResponse};
use chrono::{Datelike, NaiveDateTime};
use serde::Deserialize;
use shared::reports::{
    reference, Category, CreateReportRequest, FeedbackRequest, Guidance, Location,
    PartnerNoteRequest, ReopenRequest, ReportDto, ReportKind, ReportPage, ReportStatus, Reporter,
    TimelineEntry, TransitionRequest, NOTE_MAX_CHARS, REOPEN_DAYS, REPORT_COUNT_CAP,
};
use shared::users::{Language, Role};
use shared::validation::validate_text;
use shared::{FieldError, Problem};

use crate::auth::{AuthUser, Caller};
use crate::db::filing::Request as _;
use crate::db::models::{now, User};
use crate::db::reports::{
    self as q, CategoryRow, EventRow, NewEvent, NewNotification, NewReport, ReportRow,
};
use crate::db::{self, users, write_tx, DbConnection};
use crate::domain::working_days::add_working_days;
use crate::error::{ApiError, ApiResult};
use crate::mail::Mail;
use crate::metrics::rollup::{self, Action};
use crate::startup::AppState;

const STAFF: &[Role] = &[Role::Coordinator, Role::Admin];

pub fn category_dto(c: CategoryRow) -> Category {
    Category {
        id: c.id,
        kind: ReportKind::parse(&c.kind).unwrap_or(ReportKind::Nuisance),
        code: c.code,
        name_nl: c.name_nl,
        name_en: c.name_en,
        triage_days: c.triage_days,
        police_by_default: c.police_by_default,
        active: c.active,
    }
}

#[utoipa::path(get, path = "/api/report-categories", tag = "reports",
    responses((status = 200, body = [Category])))]
pub async fn categories(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let rows = db::run(&state.pool, |conn| Ok(q::categories(conn)?)).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=300"))
        .json(rows.into_iter().map(category_dto).collect::<Vec<_>>()))
}

pub fn guidance(lang: Language) -> Guidance {
    match lang {
        Language::Nl => Guidance {
            not_a_police_report: "Deze melding is geen aangifte bij de politie.".into(),
            how_to_report: "Doe aangifte via politie.nl/aangifte of bel 0900-8844. Bewaar sporen en maak foto's.".into(),
            emergency: "Gebeurt het nu of is er gevaar? Bel direct 112.".into(),
        },
        Language::En => Guidance {
            not_a_police_report: "This report is not an official police report (aangifte).".into(),
            how_to_report: "Report the crime to the police at politie.nl/aangifte or call 0900-8844. Keep traces and take photos.".into(),
            emergency: "Is it happening now or is anyone in danger? Call 112 right away.".into(),
        },
    }
}

/// Who is looking, and so what they may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Viewer {
    Reporter,
    Staff,
    Partner,
}

pub(crate) fn viewer_of(auth: &AuthUser, report: &ReportRow) -> Option<Viewer> {
    match auth.role() {
        Role::Coordinator | Role::Admin => Some(Viewer::Staff),
        Role::Partner if report.forwarded_at.is_some() => Some(Viewer::Partner),
        Role::Participant if report.reporter_id == Some(auth.id()) => Some(Viewer::Reporter),
        _ => None,
    }
}

fn status_of(s: &str) -> ReportStatus {
    ReportStatus::parse(s).unwrap_or(ReportStatus::Submitted)
}

fn to_dto(
    r: &ReportRow,
    category_code: String,
    viewer: Viewer,
    lang: Language,
    at: NaiveDateTime,
    details: Option<(&[EventRow], Option<&User>, Vec<i32>)>,
) -> ReportDto {
    let status = status_of(&r.status);
    let kind = ReportKind::parse(&r.kind).unwrap_or(ReportKind::Nuisance);
    let (timeline, reporter, photos) = match details {
        Some((events, reporter, photos)) => {
            let timeline = events
                .iter()
                .filter(|e| viewer != Viewer::Reporter || e.event != "partner_note")
                .map(|e| TimelineEntry {
                    at: e.created_at,
                    event: e.event.clone(),
                    from_status: e.from_status.as_deref().and_then(ReportStatus::parse),
                    to_status: e.to_status.as_deref().and_then(ReportStatus::parse),
                    public_note: e.public_note.clone(),
                    internal_note: if viewer == Viewer::Reporter {
                        None
                    } else {
                        e.internal_note.clone()
                    },
                    by: e.actor_role.clone(),
                })
                .collect();
            let reporter = reporter
                .filter(|_| {
                    viewer == Viewer::Staff
                        || (viewer == Viewer::Partner && !r.anonymous_to_partners)
                })
                .map(|u| Reporter {
                    id: u.id,
                    display_name: u.display_name.clone(),
                    email: r.contact_ok.then(|| u.email.clone()),
                });
            let photos = photos
                .into_iter()
                .map(|id| shared::reports::PhotoRef {
                    id,
                    url: format!("/api/reports/{}/photos/{id}", r.id),
                })
                .collect();
            (timeline, reporter, photos)
        }
        None => (Vec::new(), None, Vec::new()),
    };
    let allowed_transitions = if viewer == Viewer::Staff {
        status.next().to_vec()
    } else {
        Vec::new()
    };
    ReportDto {
        id: r.id,
        reference: reference(r.id, r.created_at.year()),
        category_id: r.category_id,
        category_code,
        kind,
        neighbourhood_id: r.neighbourhood_id,
        description: r.description.clone(),
        occurred_at: r.occurred_at,
        location: r.lat.zip(r.lon).map(|(lat, lon)| Location { lat, lon }),
        address: r.address.clone(),
        anonymous_to_partners: r.anonymous_to_partners,
        contact_ok: r.contact_ok,
        status,
        due_at: r.due_at,
        overdue: status.awaits_triage() && r.due_at < at,
        created_at: r.created_at,
        updated_at: r.updated_at,
        reporter,
        photos,
        timeline,
        police_handled: r.police_handled_at.is_some(),
        satisfied: r.satisfied,
        feedback: r.feedback.clone(),
        allowed_transitions,
        reopen_until: (status == ReportStatus::Resolved)
            .then(|| {
                r.resolved_at
                    .map(|t| t + chrono::Duration::days(REOPEN_DAYS))
            })
            .flatten(),
        guidance: (kind == ReportKind::Burglary).then(|| guidance(lang)),
    }
}

/// The full view of one report for `auth`, or 404 when they may not see it.
pub(crate) fn load_detail(
    conn: &mut DbConnection,
    auth: &AuthUser,
    id: i32,
) -> ApiResult<ReportDto> {
    let report = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
    let viewer = viewer_of(auth, &report).ok_or(ApiError::NotFound)?;
    let events = q::events(conn, id)?;
    let reporter = match report.reporter_id {
        Some(rid) => users::find(conn, rid)?,
        None => None,
    };
    let photos = q::photos(conn, id)?.into_iter().map(|p| p.id).collect();
    let code = q::category_codes(conn, &[report.category_id])?
        .pop()
        .map(|(_, c)| c)
        .unwrap_or_default();
    let lang = Language::parse(&auth.user.language).unwrap_or_default();
    let dto = to_dto(
        &report,
        code,
        viewer,
        lang,
        now(),
        Some((&events, reporter.as_ref(), photos)),
    );
    if viewer != Viewer::Reporter && dto.reporter.is_some() {
        crate::privacy::audit(
            conn,
            crate::privacy::AuditEntry {
                actor_id: Some(auth.id()),
                actor_role: auth.role().as_str(),
                action: "reporter_identity_viewed",
                subject: Some(("report", id)),
                detail: None,
            },
            now(),
        )?;
    }
    Ok(dto)
}

#[utoipa::path(post, path = "/api/reports", tag = "reports", security(("bearer" = [])),
    request_body = CreateReportRequest,
    responses(
        (status = 201, body = ReportDto, description = "Filed; status `submitted` with its deadline"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: web::Json<CreateReportRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.into_inner();
    let errors = body.validate(chrono::Utc::now(), &state.config.area);
    let request = ReportRequest {
        caller,
        body,
        errors,
    };
    // On PostgreSQL the filing lane reads, checks and stores it (with those of
    // concurrent requests, see `db::filing`); on SQLite one trip to the writer
    // thread does. The answer is made from what was written (no reads after
    // the commit).
    let (draft, report, event) = match state.pool.filing_lane() {
        Some(lane) => lane.file(request).await?,
        None => {
            db::run_write(&state.pool, move |conn| {
                let (user, category, hood) = request.keys();
                let lookup = q::filing_lookup(conn, user, category, hood)?;
                let (draft, _) = request.prepare(lookup)?;
                let (report, event) = write_tx(conn, |conn| {
                    file_report(conn, &draft.auth, &draft.category, &draft.body)
                })?;
                Ok((draft, report, event))
            })
            .await?
        }
    };
    let lang = Language::parse(&draft.auth.user.language).unwrap_or_default();
    let details = (
        std::slice::from_ref(&event),
        Some(&draft.auth.user),
        Vec::new(),
    );
    let dto = to_dto(
        &report,
        draft.category.code.clone(),
        Viewer::Reporter,
        lang,
        report.created_at,
        Some(details),
    );
    Ok(HttpResponse::Created().json(dto))
}

/// Stores a validated report with its first event and counts, in the
/// caller's transaction; also used for reports made from patrol observations.
pub fn file_report(
    conn: &mut DbConnection,
    auth: &AuthUser,
    category: &CategoryRow,
    body: &CreateReportRequest,
) -> ApiResult<(ReportRow, EventRow)> {
    let at = now();
    let new = new_report(auth, category, body, at);
    let report = q::insert(conn, &new)?;
    let event = q::insert_event(conn, &first_event(report.id, auth, at))?;
    let counts = filed_counts(&new)?;
    rollup::record_action_with(
        conn,
        &rollup::Actor::of(&auth.user),
        Action::Report,
        at,
        counts,
    )?;
    Ok((report, event))
}

/// A participant's report whose token and body were checked, before the
/// database was read for it.
struct ReportRequest {
    caller: Caller,
    body: CreateReportRequest,
    /// What is wrong with the body itself.
    errors: Vec<FieldError>,
}

/// A report ready to be stored, owned, so that it can wait for the filing
/// lane and come back to make the answer.
struct ReportDraft {
    auth: AuthUser,
    category: CategoryRow,
    body: CreateReportRequest,
    at: NaiveDateTime,
    /// The counts the report adds, apart from its reporter's activity.
    counts: rollup::Tally,
}

impl db::filing::Request for ReportRequest {
    type Draft = ReportDraft;

    fn keys(&self) -> db::filing::Keys {
        (
            self.caller.user_id(),
            self.body.category_id,
            self.body.neighbourhood_id,
        )
    }

    /// The account must exist, be active and be a participant's; the
    /// category and neighbourhood must be active. `lookup.seen` is the
    /// reporter's activity state, read without a lock (`None`: no row yet).
    /// When this report changes nothing in it (not their first of the day or
    /// of its kind), it adds no counts of its own and can be filed with
    /// others; otherwise it is filed alone, with the state locked and read
    /// again ([`db::filing::Draft::file_alone`]).
    fn prepare(self, lookup: Option<q::FilingLookup>) -> ApiResult<(ReportDraft, bool)> {
        let ReportRequest {
            caller,
            body,
            mut errors,
        } = self;
        let (user, category, hood_active, seen) = match lookup {
            Some(l) => (Some(l.user), l.category, l.hood_active, l.seen),
            None => (None, None, false, None),
        };
        let auth = caller.accept(user)?;
        auth.require(&[Role::Participant])?;
        if category.is_none() {
            errors.push(FieldError::new(
                "category_id",
                "unknown_category",
                "Choose a category from the list.",
            ));
        }
        if !hood_active {
            errors.push(FieldError::new(
                "neighbourhood_id",
                "unknown_neighbourhood",
                "Choose a neighbourhood from the list.",
            ));
        }
        ApiError::check(errors)?;
        let category = category.ok_or(ApiError::NotFound)?;
        let at = now();
        let counts = filed_counts(&new_report(&auth, &category, &body, at))?;
        let alone = match seen {
            // No change to the state means no counts from it either.
            Some(state) => rollup::plan_action(
                &mut rollup::Tally::default(),
                &rollup::Actor::of(&auth.user),
                state,
                Action::Report,
                at,
            )?
            .is_some(),
            None => true,
        };
        let draft = ReportDraft {
            auth,
            category,
            body,
            at,
            counts,
        };
        Ok((draft, alone))
    }
}

impl db::filing::Draft for ReportDraft {
    fn report(&self) -> NewReport<'_> {
        new_report(&self.auth, &self.category, &self.body, self.at)
    }

    fn event(&self) -> NewEvent<'_> {
        first_event(0, &self.auth, self.at)
    }

    fn counts(&self) -> &rollup::Tally {
        &self.counts
    }

    /// Locks the reporter's activity state and reads it again, as
    /// [`rollup::record_action_with`] does, and files the report with the
    /// state's change in one statement.
    fn file_alone(&self, conn: &mut DbConnection) -> ApiResult<(ReportRow, EventRow)> {
        let who = rollup::Actor::of(&self.auth.user);
        write_tx(conn, |conn| {
            let state = rollup::locked_activity(conn, who.user_id, self.at)?;
            let mut counts = self.counts.clone();
            let next = rollup::plan_action(&mut counts, &who, state, Action::Report, self.at)?;
            let activity = next.map(|next| (who.user_id, next));
            let (new, event) = (self.report(), self.event());
            Ok(db::filing::file(conn, &new, &event, activity, &counts)?)
        })
    }
}

fn new_report<'a>(
    auth: &'a AuthUser,
    category: &'a CategoryRow,
    body: &'a CreateReportRequest,
    at: NaiveDateTime,
) -> NewReport<'a> {
    NewReport {
        reporter_id: Some(auth.id()),
        category_id: category.id,
        kind: &category.kind,
        neighbourhood_id: body.neighbourhood_id,
        description: body.description.trim(),
        occurred_at: body.occurred_at.naive_utc(),
        lat: body.location.map(|l| l.lat),
        lon: body.location.map(|l| l.lon),
        address: body.address.as_deref().map(str::trim),
        anonymous_to_partners: body.anonymous_to_partners,
        contact_ok: body.contact_ok,
        status: ReportStatus::Submitted.as_str(),
        due_at: add_working_days(at, category.triage_days as u32),
        created_at: at,
        updated_at: at,
        reporter_group: auth.user.user_group.as_deref(),
    }
}

fn first_event(report_id: i32, auth: &AuthUser, at: NaiveDateTime) -> NewEvent<'static> {
    NewEvent::new(report_id, Some(auth.id()), "reporter", "created", at)
        .status(None, ReportStatus::Submitted.as_str())
}

/// The counts a new report adds, apart from its reporter's activity.
fn filed_counts(new: &NewReport) -> ApiResult<rollup::Tally> {
    let facts = rollup::ReportFacts {
        created_at: new.created_at,
        group: new.reporter_group.unwrap_or_default().to_owned(),
        hood: new.neighbourhood_id,
        category_id: new.category_id,
    };
    let mut counts = rollup::Tally::default();
    rollup::report_filed(&mut counts, &facts, ReportStatus::Submitted.as_str())?;
    Ok(counts)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only my own reports (participants always get only their own).
    pub mine: Option<bool>,
    /// One status, or several separated by commas.
    pub status: Option<String>,
    pub kind: Option<ReportKind>,
    pub category_id: Option<i32>,
    pub neighbourhood_id: Option<i32>,
    /// Filed on or after this date (YYYY-MM-DD).
    pub from: Option<chrono::NaiveDate>,
    /// Filed before the end of this date (YYYY-MM-DD).
    pub to: Option<chrono::NaiveDate>,
    /// Only reports past their triage deadline.
    pub overdue: Option<bool>,
    /// Text in the description.
    pub q: Option<String>,
    /// `newest` (default), `oldest` or `due`.
    pub sort: Option<String>,
    pub page: Option<u32>,
    pub per_page: Option<u32>,
}

#[utoipa::path(get, path = "/api/reports", tag = "reports", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = ReportPage), (status = 401, body = Problem), (status = 422, body = Problem)))]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ListQuery>,
) -> ApiResult<HttpResponse> {
    let query = query.into_inner();
    let (page, per_page, mut errors) = super::paging(query.page, query.per_page);
    let mut statuses = Vec::new();
    for s in query
        .status
        .as_deref()
        .unwrap_or("")
        .split(',')
        .filter(|s| !s.is_empty())
    {
        match ReportStatus::parse(s) {
            Some(s) => statuses.push(s.as_str().to_owned()),
            None => errors.push(FieldError::new(
                "status",
                "unknown_status",
                format!("`{s}` is not a status."),
            )),
        }
    }
    let sort = match query.sort.as_deref() {
        None | Some("newest") => q::ReportSort::Newest,
        Some("oldest") => q::ReportSort::Oldest,
        Some("due") => q::ReportSort::DueFirst,
        Some(_) => {
            errors.push(FieldError::new(
                "sort",
                "unknown_sort",
                "Sort by newest, oldest or due.",
            ));
            q::ReportSort::Newest
        }
    };
    let text = query
        .q
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    match text.as_ref().map(|t| t.chars().count()) {
        Some(n) if n < 3 => errors.push(FieldError::new(
            "q",
            "too_short",
            "Search with at least 3 characters.",
        )),
        Some(n) if n > 100 => errors.push(FieldError::new(
            "q",
            "too_long",
            "Search with at most 100 characters.",
        )),
        _ => {}
    }
    if let (Some(from), Some(to)) = (query.from, query.to) {
        if from > to {
            errors.push(FieldError::new(
                "from",
                "after_to",
                "The start date is after the end date.",
            ));
        }
    }
    ApiError::check(errors)?;

    let at = now();
    let filter = q::ReportFilter {
        reporter_id: None,
        forwarded_only: false,
        statuses,
        kind: query.kind.map(|k| k.as_str().to_owned()),
        category_id: query.category_id,
        neighbourhood_id: query.neighbourhood_id,
        from: query.from.and_then(|d| d.and_hms_opt(0, 0, 0)),
        to: query
            .to
            .and_then(|d| d.succ_opt())
            .and_then(|d| d.and_hms_opt(0, 0, 0)),
        overdue_at: query.overdue.unwrap_or(false).then_some(at),
        text,
        sort,
        offset: i64::from(page - 1) * i64::from(per_page),
        limit: i64::from(per_page),
    };
    let language = |auth: &AuthUser| Language::parse(&auth.user.language).unwrap_or_default();
    let (rows, total, viewer, lang) = if query.mine == Some(true) {
        // One's own reports, whatever one's role: the account is read with
        // the page, and nothing leaves before it is accepted.
        db::run(&state.pool, move |conn| {
            let (user, (rows, total)) = q::list_own(conn, caller.user_id(), filter)?;
            let auth = caller.accept(user)?;
            Ok((rows, total, Viewer::Reporter, language(&auth)))
        })
        .await?
    } else {
        caller
            .run(&state.pool, move |conn, auth| {
                let viewer = match auth.role() {
                    Role::Coordinator | Role::Admin => Viewer::Staff,
                    Role::Partner => Viewer::Partner,
                    Role::Participant => Viewer::Reporter,
                };
                let filter = q::ReportFilter {
                    reporter_id: (viewer == Viewer::Reporter).then(|| auth.id()),
                    forwarded_only: viewer == Viewer::Partner,
                    ..filter
                };
                let (rows, total) = q::list(conn, &filter)?;
                Ok((rows, total, viewer, language(&auth)))
            })
            .await?
    };
    let items = rows
        .into_iter()
        .map(|(r, code)| to_dto(&r, code, viewer, lang, at, None))
        .collect();
    Ok(HttpResponse::Ok().json(ReportPage {
        items,
        page,
        per_page,
        total: total.min(REPORT_COUNT_CAP),
        total_capped: total > REPORT_COUNT_CAP,
    }))
}

#[utoipa::path(get, path = "/api/reports/{id}", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses(
        (status = 200, body = ReportDto), (status = 401, body = Problem),
        (status = 404, body = Problem, description = "Missing, or not yours to see")))]
pub async fn get(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    // Staff and police views are audited (a write) when they show the reporter.
    let dto = if auth.role() == Role::Participant {
        db::run(&state.pool, move |conn| load_detail(conn, &auth, id)).await?
    } else {
        db::run_write(&state.pool, move |conn| load_detail(conn, &auth, id)).await?
    };
    Ok(HttpResponse::Ok().json(dto))
}

fn note(field: &str, text: &Option<String>) -> Result<Option<String>, FieldError> {
    match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => validate_text(field, t, 1, NOTE_MAX_CHARS).map(Some),
        None => Ok(None),
    }
}

#[utoipa::path(post, path = "/api/reports/{id}/transitions", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = TransitionRequest,
    responses(
        (status = 200, body = ReportDto), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Not allowed from the current status; names the allowed ones"),
        (status = 422, body = Problem)))]
pub async fn transition(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<TransitionRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let body = body.into_inner();
    if auth.role() == Role::Participant || auth.role() == Role::Partner {
        // Their own reports exist for them, but they may not move them.
        return Err(ApiError::Forbidden);
    }
    auth.require(STAFF)?;
    let mut errors = Vec::new();
    let public_note = note("public_note", &body.public_note).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    let internal_note = note("internal_note", &body.internal_note).unwrap_or_else(|e| {
        errors.push(e);
        None
    });
    if matches!(body.to, ReportStatus::Rejected | ReportStatus::Resolved)
        && public_note.is_none()
        && errors.is_empty()
    {
        errors.push(FieldError::new(
            "public_note",
            "required",
            "Tell the reporter why: a public note is required for this status.",
        ));
    }
    ApiError::check(errors)?;
    let actor = auth.id();
    let mailer = state.mailer.clone();
    let public_url = state.config.public_url.clone();
    let (dto, mail) = db::run_write(&state.pool, move |conn| {
        let mail = write_tx(conn, |conn| {
            let at = now();
            let report = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
            let from = status_of(&report.status);
            if !from.can_move_to(body.to) {
                let allowed: Vec<&str> = from.next().iter().map(|s| s.as_str()).collect();
                return Err(ApiError::invalid_transition(
                    "report",
                    from.as_str(),
                    body.to.as_str(),
                    &allowed,
                ));
            }
            if !q::set_status(conn, id, from.as_str(), body.to.as_str(), at)? {
                return Err(ApiError::conflict(
                    "The report changed meanwhile; reload it.",
                ));
            }
            rollup::report_moved(
                &mut rollup::Db(conn),
                &rollup::report_facts(&report),
                from.as_str(),
                body.to.as_str(),
                at,
            )?;
            q::add_event(
                conn,
                &NewEvent::new(id, Some(actor), "coordinator", "transition", at)
                    .status(Some(from.as_str()), body.to.as_str())
                    .notes(public_note.as_deref(), internal_note.as_deref()),
            )?;
            let Some(reporter_id) = report.reporter_id else {
                return Ok(None);
            };
            q::notify(
                conn,
                &NewNotification {
                    user_id: reporter_id,
                    report_id: Some(id),
                    topic_id: None,
                    kind: "status_changed",
                    status: Some(body.to.as_str()),
                    public_note: public_note.as_deref(),
                    created_at: at,
                },
            )?;
            // A reporter who asked for contact also gets a mail, recorded
            // with the change it is about.
            if !(report.contact_ok && mailer.delivers()) {
                return Ok(None);
            }
            let Some(user) = users::find(conn, reporter_id)?.filter(|u| u.active) else {
                return Ok(None);
            };
            let (subject, text) = crate::mail::status_changed(
                Language::parse(&user.language).unwrap_or_default(),
                &reference(report.id, report.created_at.year()),
                body.to.as_str(),
                public_note.as_deref(),
                &public_url,
                id,
            );
            let mail = Mail {
                to: user.email,
                subject,
                body: text,
            };
            Ok(Some(mailer.record(conn, mail)?))
        })?;
        Ok((load_detail(conn, &auth, id)?, mail))
    })
    .await?;
    if let Some(mail) = mail {
        state.mailer.dispatch(&state.pool, mail);
    }
    Ok(HttpResponse::Ok().json(dto))
}

/// The reporter's own report: 403 for others who may see it (staff, police
/// on a forwarded one), 404 for everyone else.
pub(crate) fn own_report(
    conn: &mut DbConnection,
    auth: &AuthUser,
    id: i32,
) -> ApiResult<ReportRow> {
    let report = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
    match viewer_of(auth, &report) {
        Some(Viewer::Reporter) => Ok(report),
        Some(_) => Err(ApiError::Forbidden),
        None => Err(ApiError::NotFound),
    }
}

#[utoipa::path(post, path = "/api/reports/{id}/feedback", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = FeedbackRequest,
    responses(
        (status = 200, body = ReportDto), (status = 403, body = Problem, description = "Not the reporter"),
        (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Not resolved yet, or feedback already given"),
        (status = 422, body = Problem)))]
pub async fn feedback(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<FeedbackRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let body = body.into_inner();
    let comment = note("comment", &body.comment).map_err(|e| ApiError::Validation(vec![e]))?;
    let actor = auth.id();
    let dto = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| {
            let at = now();
            let report = own_report(conn, &auth, id)?;
            if !matches!(
                status_of(&report.status),
                ReportStatus::Resolved | ReportStatus::Closed
            ) {
                return Err(ApiError::conflict(
                    "Feedback can be given once the report is resolved.",
                ));
            }
            if !q::set_feedback(conn, id, body.satisfied, comment.as_deref(), at)? {
                return Err(ApiError::conflict(
                    "You already gave feedback on this report.",
                ));
            }
            rollup::report_feedback(
                &mut rollup::Db(conn),
                &rollup::report_facts(&report),
                body.satisfied,
            )?;
            q::add_event(
                conn,
                &NewEvent::new(id, Some(actor), "reporter", "feedback", at)
                    .notes(comment.as_deref(), None),
            )?;
            Ok(())
        })?;
        load_detail(conn, &auth, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(dto))
}

#[utoipa::path(post, path = "/api/reports/{id}/reopen", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = ReopenRequest,
    responses(
        (status = 200, body = ReportDto), (status = 403, body = Problem, description = "Not the reporter"),
        (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Not resolved, or resolved more than 14 days ago"),
        (status = 422, body = Problem)))]
pub async fn reopen(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<ReopenRequest>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let reason = validate_text("reason", &body.reason, 3, NOTE_MAX_CHARS)
        .map_err(|e| ApiError::Validation(vec![e]))?;
    let actor = auth.id();
    let dto = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| {
            let at = now();
            let report = own_report(conn, &auth, id)?;
            let resolved_at = match (status_of(&report.status), report.resolved_at) {
                (ReportStatus::Resolved, Some(t)) => t,
                _ => {
                    return Err(ApiError::conflict("Only a resolved report can be reopened."))
                }
            };
            if at > resolved_at + chrono::Duration::days(REOPEN_DAYS) {
                return Err(ApiError::conflict(format!("A report can be reopened within {REOPEN_DAYS} days of its resolution; file a new one.")));
            }
            let triage_days = q::category(conn, report.category_id)?.map_or(3, |c| c.triage_days);
            if !q::reopen(conn, id, add_working_days(at, triage_days as u32), at)? {
                return Err(ApiError::conflict("The report changed meanwhile; reload it."));
            }
            rollup::report_reopened(&mut rollup::Db(conn), &rollup::report_facts(&report), resolved_at)?;
            q::add_event(
                conn,
                &NewEvent::new(id, Some(actor), "reporter", "reopened", at).status(Some(ReportStatus::Resolved.as_str()), ReportStatus::Reopened.as_str()).notes(Some(&reason), None),
            )?;
            Ok(())
        })?;
        load_detail(conn, &auth, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(dto))
}

#[utoipa::path(post, path = "/api/reports/{id}/partner-notes", tag = "reports", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = PartnerNoteRequest,
    responses(
        (status = 200, body = ReportDto), (status = 403, body = Problem),
        (status = 404, body = Problem, description = "No such report, or (for police) not forwarded to them"),
        (status = 409, body = Problem, description = "Not forwarded to police"), (status = 422, body = Problem)))]
pub async fn partner_note(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<PartnerNoteRequest>,
) -> ApiResult<HttpResponse> {
    auth.require(&[Role::Partner, Role::Coordinator, Role::Admin])?;
    let id = path.into_inner();
    let body = body.into_inner();
    let text = validate_text("note", &body.note, 1, NOTE_MAX_CHARS)
        .map_err(|e| ApiError::Validation(vec![e]))?;
    let actor = auth.id();
    let role = if auth.role() == Role::Partner {
        "partner"
    } else {
        "coordinator"
    };
    let dto = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| {
            let at = now();
            let report = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
            viewer_of(&auth, &report).ok_or(ApiError::NotFound)?;
            if report.forwarded_at.is_none() {
                return Err(ApiError::conflict(
                    "This report was not forwarded to the police.",
                ));
            }
            q::add_event(
                conn,
                &NewEvent::new(id, Some(actor), role, "partner_note", at).notes(None, Some(&text)),
            )?;
            if body.handled && q::mark_police_handled(conn, id, at)? == 1 {
                q::add_event(
                    conn,
                    &NewEvent::new(id, Some(actor), role, "police_handled", at),
                )?;
            }
            Ok(())
        })?;
        load_detail(conn, &auth, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(dto))
}
