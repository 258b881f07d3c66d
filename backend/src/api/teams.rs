//! Neighbourhood prevention teams: residents propose them, coordinators
//! approve or decline, residents ask to join and the team's leads accept.
//! Leads plan patrols, members sign up and record what they saw, and turn an
//! observation into a report with one action. Partners see approved teams
//! and how to reach their leads.

use std::collections::{BTreeMap, HashMap};

use actix_web::{web, HttpResponse};
use chrono::{Datelike, Duration, NaiveDate, Utc};
use serde::Deserialize;
use shared::reports::CreateReportRequest;
use shared::teams::{
    MemberDto, MemberUpdate, MembershipStatus, ObservationDto, ObservationInput, ObservationList,
    ObservationReportRequest, PatrolDto, PatrolInput, PatrolList, TeamDecision, TeamDto, TeamInput,
    TeamList, TeamMonth, TeamOverview, TeamOverviewList, TeamStatus, OBSERVATION_LEAD_HOURS,
    UNDERSTAFFED_HOURS,
};
use shared::users::Role;
use shared::Problem;

use crate::auth::AuthUser;
use crate::db::models::now;
use crate::db::schema::{observations, patrol_signups, patrols, team_members, teams};
use crate::db::teams::{self as q, MemberRow, NewObservation, NewPatrol, NewTeam, TeamRow};
use crate::db::{self, write_tx, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::metrics::rollup::{self, Action};
use crate::startup::AppState;

const STAFF: &[Role] = &[Role::Coordinator, Role::Admin];

fn is_staff(auth: &AuthUser) -> bool {
    STAFF.contains(&auth.role())
}

fn team_status(t: &TeamRow) -> TeamStatus {
    TeamStatus::parse(&t.status).unwrap_or(TeamStatus::Proposed)
}

/// What the caller is to a team.
struct Standing {
    membership: Option<MembershipStatus>,
    lead: bool,
}

impl Standing {
    fn of(conn: &mut DbConnection, team_id: i32, auth: &AuthUser) -> ApiResult<Standing> {
        let m = q::membership(conn, team_id, auth.id())?;
        Ok(Standing {
            membership: m.as_ref().and_then(|(s, _)| MembershipStatus::parse(s)),
            lead: m.is_some_and(|(s, lead)| s == "active" && lead),
        })
    }

    fn active(&self) -> bool {
        self.membership == Some(MembershipStatus::Active)
    }
}

fn may_see(auth: &AuthUser, t: &TeamRow, standing: &Standing) -> bool {
    is_staff(auth)
        || t.status == "approved"
        || t.proposer_id == Some(auth.id())
        || standing.membership.is_some()
}

/// Leads and coordinators manage a team.
fn require_manager(auth: &AuthUser, standing: &Standing) -> ApiResult<()> {
    if is_staff(auth) || standing.lead {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

fn team_dtos(
    conn: &mut DbConnection,
    auth: &AuthUser,
    rows: Vec<TeamRow>,
) -> ApiResult<Vec<TeamDto>> {
    let ids: Vec<i32> = rows.iter().map(|t| t.id).collect();
    let members = q::members_of(conn, &ids)?;
    let names: HashMap<i32, String> = crate::db::surveys::neighbourhood_names(conn)?
        .into_iter()
        .collect();
    let staff = is_staff(auth);
    let partner = auth.role() == Role::Partner;
    Ok(rows
        .into_iter()
        .map(|t| {
            let of_team: Vec<&MemberRow> = members.iter().filter(|m| m.team_id == t.id).collect();
            let me = of_team.iter().find(|m| m.user_id == auth.id());
            let my_membership = me.and_then(|m| MembershipStatus::parse(&m.status));
            let i_lead = me.is_some_and(|m| m.lead && m.status == "active");
            let active = my_membership == Some(MembershipStatus::Active);
            let shown = of_team
                .iter()
                .filter(|m| {
                    if staff || i_lead {
                        true
                    } else if active {
                        m.status == "active"
                    } else {
                        m.status == "active" && m.lead
                    }
                })
                .map(|m| MemberDto {
                    user_id: m.user_id,
                    display_name: m.display_name.clone(),
                    status: MembershipStatus::parse(&m.status)
                        .unwrap_or(MembershipStatus::Requested),
                    lead: m.lead,
                    requested_at: m.requested_at,
                    joined_at: m.joined_at,
                    email: ((staff || partner) && m.lead && m.status == "active")
                        .then(|| m.email.clone()),
                })
                .collect();
            TeamDto {
                id: t.id,
                neighbourhood_id: t.neighbourhood_id,
                neighbourhood_name: names.get(&t.neighbourhood_id).cloned().unwrap_or_default(),
                name: t.name.clone(),
                area: t.area.clone(),
                contact: t.contact.clone(),
                status: team_status(&t),
                decision_reason: t.decision_reason.clone(),
                created_at: t.created_at,
                member_count: of_team.iter().filter(|m| m.status == "active").count() as i64,
                my_membership,
                i_lead,
                can_manage: (staff || i_lead) && t.status == "approved",
                members: shown,
                mine: t.proposer_id == Some(auth.id()),
            }
        })
        .collect())
}

fn load_team(conn: &mut DbConnection, auth: &AuthUser, id: i32) -> ApiResult<TeamDto> {
    let t = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
    let standing = Standing::of(conn, id, auth)?;
    if !may_see(auth, &t, &standing) {
        return Err(ApiError::NotFound);
    }
    Ok(team_dtos(conn, auth, vec![t])?.remove(0))
}

fn approved_team(conn: &mut DbConnection, id: i32) -> ApiResult<TeamRow> {
    let t = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
    if t.status != "approved" {
        return Err(ApiError::conflict("The team has not been approved."));
    }
    Ok(t)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub neighbourhood_id: Option<i32>,
}

#[utoipa::path(get, path = "/api/teams", tag = "teams", security(("bearer" = [])), params(ListQuery),
    responses((status = 200, body = TeamList, description = "Approved teams; also my own and, for coordinators, every team"),
        (status = 401, body = Problem)))]
pub async fn list(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<ListQuery>,
) -> ApiResult<HttpResponse> {
    let hood = query.into_inner().neighbourhood_id;
    let list = db::run(&state.pool, move |conn| {
        let rows = if is_staff(&auth) {
            q::list(conn, hood, false, None)?
        } else if auth.role() == Role::Participant {
            q::list(conn, hood, false, Some(auth.id()))?
        } else {
            q::list(conn, hood, true, None)?
        };
        Ok(TeamList {
            items: team_dtos(conn, &auth, rows)?,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(post, path = "/api/teams", tag = "teams", security(("bearer" = [])), request_body = TeamInput,
    responses((status = 201, body = TeamDto, description = "Proposed for the proposer's neighbourhood; a coordinator decides"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn propose(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<TeamInput>,
) -> ApiResult<HttpResponse> {
    auth.require(&[Role::Participant])?;
    let input = body.into_inner();
    ApiError::check(input.validate())?;
    let Some(hood) = auth.user.neighbourhood_id else {
        return Err(ApiError::field(
            "neighbourhood_id",
            "required",
            "Set your neighbourhood in your profile first.",
        ));
    };
    let dto = db::run_write(&state.pool, move |conn| {
        let id = q::insert(
            conn,
            &NewTeam {
                neighbourhood_id: hood,
                name: input.name.trim(),
                area: input.area.trim(),
                contact: input.contact.trim(),
                status: TeamStatus::Proposed.as_str(),
                proposer_id: Some(auth.id()),
                created_at: now(),
            },
        )?;
        load_team(conn, &auth, id)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/teams/{}", dto.id)))
        .json(dto))
}

#[utoipa::path(get, path = "/api/teams/{id}", tag = "teams", security(("bearer" = [])), params(("id" = i32, Path)),
    responses((status = 200, body = TeamDto), (status = 401, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let dto = db::run(&state.pool, move |conn| load_team(conn, &auth, id)).await?;
    Ok(HttpResponse::Ok().json(dto))
}

/// Makes `user_id` an active member (a lead if `lead`) and counts their joining.
fn admit(conn: &mut DbConnection, team_id: i32, user_id: i32, lead: bool) -> ApiResult<()> {
    use diesel::prelude::*;
    let at = now();
    let changed = diesel::update(team_members::table.find((team_id, user_id)))
        .set((
            team_members::status.eq("active"),
            team_members::lead.eq(lead),
            team_members::joined_at.eq(at),
        ))
        .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(team_members::table)
            .values((
                team_members::team_id.eq(team_id),
                team_members::user_id.eq(user_id),
                team_members::status.eq("active"),
                team_members::lead.eq(lead),
                team_members::requested_at.eq(at),
                team_members::joined_at.eq(at),
            ))
            .execute(conn)?;
    }
    let who = rollup::actor(conn, user_id)?;
    rollup::record_action(conn, &who, Action::Team, at)?;
    Ok(())
}

#[utoipa::path(post, path = "/api/teams/{id}/decision", tag = "teams", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = TeamDecision,
    responses((status = 200, body = TeamDto, description = "Approved (the proposer becomes its first lead) or declined"),
        (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Already decided"), (status = 422, body = Problem)))]
pub async fn decide(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<TeamDecision>,
) -> ApiResult<HttpResponse> {
    auth.require(STAFF)?;
    let id = path.into_inner();
    let d = body.into_inner();
    ApiError::check(d.validate())?;
    let dto = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| -> ApiResult<()> {
            use diesel::prelude::*;
            let t = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
            if t.status != "proposed" {
                return Err(ApiError::conflict("This team was already decided on."));
            }
            let to = if d.approve {
                TeamStatus::Approved
            } else {
                TeamStatus::Declined
            };
            diesel::update(teams::table.find(id).filter(teams::status.eq("proposed")))
                .set((
                    teams::status.eq(to.as_str()),
                    teams::decision_reason.eq(d.reason.as_deref().map(str::trim)),
                    teams::decided_at.eq(now()),
                ))
                .execute(conn)?;
            if let (true, Some(proposer)) = (d.approve, t.proposer_id) {
                admit(conn, id, proposer, true)?;
            }
            Ok(())
        })?;
        load_team(conn, &auth, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(dto))
}

#[utoipa::path(post, path = "/api/teams/{id}/members", tag = "teams", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 201, body = TeamDto, description = "Asked to join; a lead accepts or declines"),
        (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Already a member or asked before; team not approved")))]
pub async fn join(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    auth.require(&[Role::Participant])?;
    let id = path.into_inner();
    let dto = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| -> ApiResult<()> {
            use diesel::prelude::*;
            approved_team(conn, id)?;
            if let Some((status, _)) = q::membership(conn, id, auth.id())? {
                return Err(ApiError::conflict(if status == "active" {
                    "You are already a member of this team."
                } else {
                    "You already asked to join this team."
                }));
            }
            diesel::insert_into(team_members::table)
                .values((
                    team_members::team_id.eq(id),
                    team_members::user_id.eq(auth.id()),
                    team_members::status.eq("requested"),
                    team_members::lead.eq(false),
                    team_members::requested_at.eq(now()),
                ))
                .execute(conn)?;
            Ok(())
        })?;
        load_team(conn, &auth, id)
    })
    .await?;
    Ok(HttpResponse::Created().json(dto))
}

fn lead_count(conn: &mut DbConnection, team_id: i32) -> ApiResult<i64> {
    use diesel::prelude::*;
    Ok(team_members::table
        .filter(team_members::team_id.eq(team_id))
        .filter(team_members::status.eq("active"))
        .filter(team_members::lead.eq(true))
        .count()
        .get_result(conn)?)
}

#[utoipa::path(patch, path = "/api/teams/{id}/members/{user_id}", tag = "teams", security(("bearer" = [])),
    params(("id" = i32, Path), ("user_id" = i32, Path)), request_body = MemberUpdate,
    responses((status = 200, body = TeamDto), (status = 403, body = Problem, description = "Not a lead of the team"),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn update_member(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(i32, i32)>,
    body: web::Json<MemberUpdate>,
) -> ApiResult<HttpResponse> {
    let (id, user_id) = path.into_inner();
    let u = body.into_inner();
    if u.status == Some(MembershipStatus::Requested) {
        return Err(ApiError::field(
            "status",
            "invalid",
            "Accept with `active`; decline a request by removing it.",
        ));
    }
    if u.status.is_none() && u.lead.is_none() {
        return Err(ApiError::field("status", "required", "Nothing to change."));
    }
    let dto = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| -> ApiResult<()> {
            use diesel::prelude::*;
            approved_team(conn, id)?;
            require_manager(&auth, &Standing::of(conn, id, &auth)?)?;
            let (status, lead) = q::membership(conn, id, user_id)?.ok_or(ApiError::NotFound)?;
            let mut active = status == "active";
            if u.status == Some(MembershipStatus::Active) && !active {
                admit(conn, id, user_id, false)?;
                active = true;
            }
            if let Some(make_lead) = u.lead {
                if !active {
                    return Err(ApiError::conflict(
                        "Accept the request before making them a lead.",
                    ));
                }
                if lead && !make_lead && lead_count(conn, id)? <= 1 {
                    return Err(ApiError::conflict(
                        "A team keeps at least one lead; make someone else a lead first.",
                    ));
                }
                diesel::update(team_members::table.find((id, user_id)))
                    .set(team_members::lead.eq(make_lead))
                    .execute(conn)?;
            }
            Ok(())
        })?;
        load_team(conn, &auth, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(dto))
}

#[utoipa::path(delete, path = "/api/teams/{id}/members/{user_id}", tag = "teams", security(("bearer" = [])),
    params(("id" = i32, Path), ("user_id" = i32, Path)),
    responses((status = 204, description = "Left the team, or removed a member, or declined a request"),
        (status = 403, body = Problem, description = "Not a lead of the team"), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "The last lead of a team with members")))]
pub async fn remove_member(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<(i32, i32)>,
) -> ApiResult<HttpResponse> {
    let (id, user_id) = path.into_inner();
    db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| -> ApiResult<()> {
            use diesel::prelude::*;
            q::find(conn, id)?.ok_or(ApiError::NotFound)?;
            if user_id != auth.id() {
                require_manager(&auth, &Standing::of(conn, id, &auth)?)?;
            }
            let (status, lead) = q::membership(conn, id, user_id)?.ok_or(ApiError::NotFound)?;
            if status == "active" && lead && lead_count(conn, id)? <= 1 {
                let others: i64 = team_members::table
                    .filter(team_members::team_id.eq(id))
                    .filter(team_members::status.eq("active"))
                    .filter(team_members::user_id.ne(user_id))
                    .count()
                    .get_result(conn)?;
                if others > 0 {
                    return Err(ApiError::conflict(
                        "The team's last lead cannot leave; make another member a lead first.",
                    ));
                }
            }
            // Their sign-ups for patrols still to come go with them.
            let upcoming: Vec<i32> = patrols::table
                .filter(patrols::team_id.eq(id))
                .filter(patrols::starts_at.gt(now()))
                .select(patrols::id)
                .load(conn)?;
            for p in upcoming {
                withdraw_from(conn, p, user_id)?;
            }
            diesel::delete(team_members::table.find((id, user_id))).execute(conn)?;
            Ok(())
        })
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

// ---- patrols ----

fn patrol_dtos(
    conn: &mut DbConnection,
    auth: &AuthUser,
    rows: Vec<q::PatrolRow>,
) -> ApiResult<Vec<PatrolDto>> {
    let ids: Vec<i32> = rows.iter().map(|p| p.id).collect();
    let walkers = q::walkers(conn, &ids)?;
    let counts: HashMap<i32, i64> = q::observation_counts(conn, &ids)?.into_iter().collect();
    let at = now();
    Ok(rows
        .into_iter()
        .map(|p| PatrolDto {
            id: p.id,
            team_id: p.team_id,
            starts_at: p.starts_at,
            meeting_point: p.meeting_point,
            route: p.route,
            min_members: p.min_members,
            max_members: p.max_members,
            signup_count: p.signup_count,
            signed_up: walkers
                .iter()
                .any(|(pid, uid, _)| *pid == p.id && *uid == auth.id()),
            walkers: walkers
                .iter()
                .filter(|(pid, _, _)| *pid == p.id)
                .map(|(_, _, name)| name.clone())
                .collect(),
            understaffed: p.starts_at > at
                && p.starts_at - at <= Duration::hours(UNDERSTAFFED_HOURS)
                && p.signup_count < p.min_members,
            past: p.starts_at <= at,
            log_open: p.starts_at - Duration::hours(OBSERVATION_LEAD_HOURS) <= at,
            observation_count: counts.get(&p.id).copied().unwrap_or(0),
        })
        .collect())
}

/// Patrols are for the team's members and coordinators.
fn require_member(conn: &mut DbConnection, auth: &AuthUser, team_id: i32) -> ApiResult<Standing> {
    let standing = Standing::of(conn, team_id, auth)?;
    if is_staff(auth) || standing.active() {
        Ok(standing)
    } else {
        Err(ApiError::Forbidden)
    }
}

fn load_patrol(conn: &mut DbConnection, auth: &AuthUser, id: i32) -> ApiResult<PatrolDto> {
    let p = q::find_patrol(conn, id)?.ok_or(ApiError::NotFound)?;
    Ok(patrol_dtos(conn, auth, vec![p])?.remove(0))
}

#[utoipa::path(get, path = "/api/teams/{id}/patrols", tag = "teams", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = PatrolList), (status = 403, body = Problem, description = "Not a member"),
        (status = 404, body = Problem)))]
pub async fn patrols(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let list = db::run(&state.pool, move |conn| {
        q::find(conn, id)?.ok_or(ApiError::NotFound)?;
        require_member(conn, &auth, id)?;
        let rows = q::patrols_of(conn, id)?;
        Ok(PatrolList {
            items: patrol_dtos(conn, &auth, rows)?,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(post, path = "/api/teams/{id}/patrols", tag = "teams", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = PatrolInput,
    responses((status = 201, body = PatrolDto), (status = 403, body = Problem, description = "Not a lead of the team"),
        (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
pub async fn plan_patrol(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<PatrolInput>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let input = body.into_inner();
    let dto = db::run_write(&state.pool, move |conn| {
        use diesel::prelude::*;
        q::find(conn, id)?.ok_or(ApiError::NotFound)?;
        require_manager(&auth, &Standing::of(conn, id, &auth)?)?;
        ApiError::check(input.validate(Utc::now()))?;
        approved_team(conn, id)?;
        let patrol_id: i32 = diesel::insert_into(patrols::table)
            .values(&NewPatrol {
                team_id: id,
                starts_at: input.starts_at.naive_utc(),
                meeting_point: input.meeting_point.trim(),
                route: input.route.trim(),
                min_members: input.min_members,
                max_members: input.max_members,
                created_by: Some(auth.id()),
                created_at: now(),
            })
            .returning(patrols::id)
            .get_result(conn)?;
        load_patrol(conn, &auth, patrol_id)
    })
    .await?;
    Ok(HttpResponse::Created().json(dto))
}

#[utoipa::path(put, path = "/api/patrols/{id}/signup", tag = "teams", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = PatrolDto, description = "Signed up (again: no change)"),
        (status = 403, body = Problem, description = "Not a member of the team"), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Full, or already started")))]
pub async fn sign_up(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let dto = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| -> ApiResult<()> {
            use diesel::prelude::*;
            let p = q::find_patrol(conn, id)?.ok_or(ApiError::NotFound)?;
            let standing = Standing::of(conn, p.team_id, &auth)?;
            if !standing.active() {
                return Err(ApiError::Forbidden);
            }
            if q::signed_up(conn, id, auth.id())? {
                return Ok(());
            }
            if p.starts_at <= now() {
                return Err(ApiError::conflict("This patrol has already started."));
            }
            // The guard in the UPDATE keeps the count within the maximum under concurrency.
            let taken = diesel::update(
                patrols::table
                    .find(id)
                    .filter(patrols::signup_count.lt(patrols::max_members)),
            )
            .set(patrols::signup_count.eq(patrols::signup_count + 1))
            .execute(conn)?;
            if taken == 0 {
                return Err(ApiError::conflict("This patrol is full."));
            }
            diesel::insert_into(patrol_signups::table)
                .values((
                    patrol_signups::patrol_id.eq(id),
                    patrol_signups::user_id.eq(auth.id()),
                    patrol_signups::created_at.eq(now()),
                ))
                .execute(conn)?;
            Ok(())
        })?;
        load_patrol(conn, &auth, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(dto))
}

fn withdraw_from(conn: &mut DbConnection, patrol_id: i32, user_id: i32) -> ApiResult<()> {
    use diesel::prelude::*;
    let gone = diesel::delete(patrol_signups::table.find((patrol_id, user_id))).execute(conn)?;
    if gone > 0 {
        diesel::update(patrols::table.find(patrol_id))
            .set(patrols::signup_count.eq(patrols::signup_count - 1))
            .execute(conn)?;
    }
    Ok(())
}

#[utoipa::path(delete, path = "/api/patrols/{id}/signup", tag = "teams", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = PatrolDto, description = "Withdrawn (or was not signed up)"),
        (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Already started")))]
pub async fn withdraw(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let dto = db::run_write(&state.pool, move |conn| {
        write_tx(conn, |conn| -> ApiResult<()> {
            let p = q::find_patrol(conn, id)?.ok_or(ApiError::NotFound)?;
            if !Standing::of(conn, p.team_id, &auth)?.active() {
                return Err(ApiError::Forbidden);
            }
            if p.starts_at <= now() {
                return Err(ApiError::conflict("This patrol has already started."));
            }
            withdraw_from(conn, id, auth.id())
        })?;
        load_patrol(conn, &auth, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(dto))
}

// ---- patrol log ----

fn observation_dtos(
    conn: &mut DbConnection,
    auth: &AuthUser,
    rows: Vec<q::ObservationRow>,
) -> ApiResult<Vec<ObservationDto>> {
    let people: Vec<i32> = rows.iter().filter_map(|o| o.user_id).collect();
    let names: HashMap<i32, String> = crate::db::users::names(conn, &people)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|o| ObservationDto {
            id: o.id,
            patrol_id: o.patrol_id,
            what: o.what,
            place: o.place,
            observed_at: o.observed_at,
            observer_name: o.user_id.and_then(|u| names.get(&u).cloned()),
            mine: o.user_id == Some(auth.id()),
            report_id: o.report_id,
            created_at: o.created_at,
        })
        .collect())
}

#[utoipa::path(get, path = "/api/patrols/{id}/observations", tag = "teams", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = ObservationList), (status = 403, body = Problem, description = "Not a member"),
        (status = 404, body = Problem)))]
pub async fn observations(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let list = db::run(&state.pool, move |conn| {
        let p = q::find_patrol(conn, id)?.ok_or(ApiError::NotFound)?;
        require_member(conn, &auth, p.team_id)?;
        let rows = q::observations_of(conn, id)?;
        Ok(ObservationList {
            items: observation_dtos(conn, &auth, rows)?,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(post, path = "/api/patrols/{id}/observations", tag = "teams", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = ObservationInput,
    responses((status = 201, body = ObservationDto),
        (status = 403, body = Problem, description = "Did not sign up for this patrol"), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "The patrol has not started"), (status = 422, body = Problem)))]
pub async fn observe(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<ObservationInput>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let input = body.into_inner();
    let dto = db::run_write(&state.pool, move |conn| {
        use diesel::prelude::*;
        let p = q::find_patrol(conn, id)?.ok_or(ApiError::NotFound)?;
        if !q::signed_up(conn, id, auth.id())? || !Standing::of(conn, p.team_id, &auth)?.active() {
            return Err(ApiError::Forbidden);
        }
        if p.starts_at - Duration::hours(OBSERVATION_LEAD_HOURS) > now() {
            return Err(ApiError::conflict(
                "Record observations once the patrol has started.",
            ));
        }
        ApiError::check(input.validate(Utc::now(), p.starts_at.and_utc()))?;
        let oid: i32 = diesel::insert_into(observations::table)
            .values(&NewObservation {
                patrol_id: id,
                user_id: Some(auth.id()),
                what: input.what.trim(),
                place: input.place.trim(),
                observed_at: input.observed_at.naive_utc(),
                created_at: now(),
            })
            .returning(observations::id)
            .get_result(conn)?;
        let row = q::find_observation(conn, oid)?.ok_or(ApiError::NotFound)?;
        Ok(observation_dtos(conn, &auth, vec![row])?.remove(0))
    })
    .await?;
    Ok(HttpResponse::Created().json(dto))
}

#[utoipa::path(post, path = "/api/observations/{id}/report", tag = "teams", security(("bearer" = [])),
    params(("id" = i32, Path)), request_body = ObservationReportRequest,
    responses((status = 201, body = shared::reports::ReportDto, description = "A report with the observation's what, where and when"),
        (status = 403, body = Problem, description = "Not the observer"), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "Already turned into a report"), (status = 422, body = Problem)))]
pub async fn to_report(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
    body: web::Json<ObservationReportRequest>,
) -> ApiResult<HttpResponse> {
    auth.require(&[Role::Participant])?;
    let id = path.into_inner();
    let category_id = body.into_inner().category_id;
    let area = state.config.area;
    let dto = db::run_write(&state.pool, move |conn| {
        let report_id = write_tx(conn, |conn| -> ApiResult<i32> {
            use diesel::prelude::*;
            let o = q::find_observation(conn, id)?.ok_or(ApiError::NotFound)?;
            if o.user_id != Some(auth.id()) {
                return Err(ApiError::Forbidden);
            }
            if o.report_id.is_some() {
                return Err(ApiError::conflict("This observation is already a report."));
            }
            let p = q::find_patrol(conn, o.patrol_id)?.ok_or(ApiError::NotFound)?;
            let team = q::find(conn, p.team_id)?.ok_or(ApiError::NotFound)?;
            let category = crate::db::reports::category(conn, category_id)?.ok_or_else(|| {
                ApiError::field(
                    "category_id",
                    "unknown_category",
                    "Choose a category from the list.",
                )
            })?;
            let request = CreateReportRequest {
                category_id,
                description: format!(
                    "{}\n\n(Waargenomen tijdens een ronde van buurtpreventieteam {}.)",
                    o.what, team.name
                ),
                occurred_at: o.observed_at.and_utc(),
                neighbourhood_id: team.neighbourhood_id,
                location: None,
                address: Some(o.place.clone()),
                anonymous_to_partners: false,
                contact_ok: false,
            };
            ApiError::check(request.validate(Utc::now(), &area))?;
            let report_id = super::reports::file_report(conn, &auth, &category, &request)?
                .0
                .id;
            diesel::update(observations::table.find(id))
                .set(observations::report_id.eq(report_id))
                .execute(conn)?;
            Ok(report_id)
        })?;
        super::reports::load_detail(conn, &auth, report_id)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/reports/{}", dto.id)))
        .json(dto))
}

// ---- coordinators' overview ----

fn month_of(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

#[utoipa::path(get, path = "/api/teams/overview", tag = "teams", security(("bearer" = [])),
    responses((status = 200, body = TeamOverviewList, description = "Every team with members, patrols held and observations per month"),
        (status = 403, body = Problem)))]
pub async fn overview(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    auth.require(STAFF)?;
    let list = db::run(&state.pool, move |conn| {
        use diesel::prelude::*;
        let rows = q::list(conn, None, false, None)?;
        let ids: Vec<i32> = rows.iter().map(|t| t.id).collect();
        let members = q::members_of(conn, &ids)?;
        let names: HashMap<i32, String> = crate::db::surveys::neighbourhood_names(conn)?
            .into_iter()
            .collect();
        // Patrols held: started, with at least one walker.
        let held: Vec<(i32, chrono::NaiveDateTime)> = patrols::table
            .filter(patrols::starts_at.le(now()))
            .filter(patrols::signup_count.gt(0))
            .select((patrols::team_id, patrols::starts_at))
            .load(conn)?;
        let seen: Vec<(i32, chrono::NaiveDateTime)> = observations::table
            .inner_join(patrols::table)
            .select((patrols::team_id, observations::observed_at))
            .load(conn)?;
        let mut months: HashMap<i32, BTreeMap<NaiveDate, (i64, i64)>> = HashMap::new();
        for (team, at) in &held {
            months
                .entry(*team)
                .or_default()
                .entry(month_of(at.date()))
                .or_default()
                .0 += 1;
        }
        for (team, at) in &seen {
            months
                .entry(*team)
                .or_default()
                .entry(month_of(at.date()))
                .or_default()
                .1 += 1;
        }
        let items = rows
            .into_iter()
            .map(|t| {
                let of_team: Vec<&MemberRow> =
                    members.iter().filter(|m| m.team_id == t.id).collect();
                let by_month = months.remove(&t.id).unwrap_or_default();
                TeamOverview {
                    team_id: t.id,
                    name: t.name.clone(),
                    neighbourhood_name: names.get(&t.neighbourhood_id).cloned().unwrap_or_default(),
                    status: team_status(&t),
                    members: of_team.iter().filter(|m| m.status == "active").count() as i64,
                    leads: of_team
                        .iter()
                        .filter(|m| m.status == "active" && m.lead)
                        .count() as i64,
                    requests: of_team.iter().filter(|m| m.status == "requested").count() as i64,
                    patrols_held: by_month.values().map(|v| v.0).sum(),
                    observations: by_month.values().map(|v| v.1).sum(),
                    months: by_month
                        .into_iter()
                        .map(|(month, (patrols_held, observations))| TeamMonth {
                            month,
                            patrols_held,
                            observations,
                        })
                        .collect(),
                }
            })
            .collect();
        Ok(TeamOverviewList { items })
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}
