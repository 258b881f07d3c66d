//! Outreach campaigns: coordinators create them and print their short
//! sign-up link as a QR code; sign-ups through the link are attributed to the
//! campaign (first touch, on the account); results say how many signed up,
//! how many were verified students and how many took part within 30 days.

use actix_web::{web, HttpResponse};
use chrono::Utc;
use rand::Rng;
use shared::campaigns::{
    CampaignDto, CampaignInput, CampaignList, CampaignResults, Channel, TargetGroup, CODE_ALPHABET,
    CODE_LEN,
};
use shared::metrics::Period;
use shared::users::Role;
use shared::Problem;

use crate::auth::AuthUser;
use crate::db::campaigns::{self as q, CampaignRow, NewCampaign};
use crate::db::models::now;
use crate::db::{self, DbConnection};
use crate::error::{ApiError, ApiResult};
use crate::metrics::Scope;
use crate::startup::AppState;

const STAFF: &[Role] = &[Role::Coordinator, Role::Admin];
const VIEWERS: &[Role] = &[Role::Coordinator, Role::Admin, Role::Partner];

pub fn signup_url(public_url: &str, code: &str) -> String {
    format!("{public_url}/c/{code}")
}

fn dto(conn: &mut DbConnection, state: &AppState, c: CampaignRow) -> ApiResult<CampaignDto> {
    let neighbourhood_name = match c.neighbourhood_id {
        Some(id) => crate::db::surveys::neighbourhood_names(conn)?
            .into_iter()
            .find(|(n, _)| *n == id)
            .map(|(_, name)| name),
        None => None,
    };
    let today = Utc::now().date_naive();
    Ok(CampaignDto {
        id: c.id,
        signup_url: signup_url(&state.config.public_url, &c.code),
        running: c.starts_on <= today && today <= c.ends_on,
        code: c.code,
        name: c.name,
        target_group: TargetGroup::parse(&c.target_group).unwrap_or(TargetGroup::All),
        channel: Channel::parse(&c.channel).unwrap_or(Channel::Other),
        neighbourhood_id: c.neighbourhood_id,
        neighbourhood_name,
        starts_on: c.starts_on,
        ends_on: c.ends_on,
        cost_cents: c.cost_cents,
        created_at: c.created_at,
    })
}

fn new_code() -> String {
    let mut rng = rand::thread_rng();
    (0..CODE_LEN)
        .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

#[utoipa::path(get, path = "/api/campaigns", tag = "campaigns", security(("bearer" = [])),
    responses((status = 200, body = CampaignList), (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn list(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    auth.require(STAFF)?;
    let st = state.clone();
    let list = db::run(&state.pool, move |conn| {
        let rows = q::all(conn)?;
        let items = rows
            .into_iter()
            .map(|c| dto(conn, &st, c))
            .collect::<ApiResult<_>>()?;
        Ok(CampaignList { items })
    })
    .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[utoipa::path(post, path = "/api/campaigns", tag = "campaigns", security(("bearer" = [])),
    request_body = CampaignInput,
    responses((status = 201, body = CampaignDto, description = "With its short sign-up link"),
        (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)))]
pub async fn create(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: web::Json<CampaignInput>,
) -> ApiResult<HttpResponse> {
    auth.require(STAFF)?;
    let input = body.into_inner();
    ApiError::check(input.validate())?;
    let st = state.clone();
    let created = db::run_write(&state.pool, move |conn| {
        if let Some(hood) = input.neighbourhood_id {
            if !crate::db::users::neighbourhood_exists(conn, hood)? {
                return Err(ApiError::field(
                    "neighbourhood_id",
                    "unknown_neighbourhood",
                    "Choose a neighbourhood from the list.",
                ));
            }
        }
        // 31^8 codes: a collision is rare; draw again if it happens.
        let mut code = new_code();
        while q::code_taken(conn, &code)? {
            code = new_code();
        }
        let id = q::insert(
            conn,
            &NewCampaign {
                code: &code,
                name: input.name.trim(),
                target_group: input.target_group.as_str(),
                channel: input.channel.as_str(),
                neighbourhood_id: input.neighbourhood_id,
                starts_on: input.starts_on,
                ends_on: input.ends_on,
                cost_cents: input.cost_cents,
                created_at: now(),
            },
        )?;
        let row = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
        dto(conn, &st, row)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/campaigns/{}", created.id)))
        .json(created))
}

#[utoipa::path(get, path = "/api/campaigns/{id}", tag = "campaigns", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, body = CampaignDto), (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn get(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    auth.require(STAFF)?;
    let id = path.into_inner();
    let st = state.clone();
    let c = db::run(&state.pool, move |conn| {
        let row = q::find(conn, id)?.ok_or(ApiError::NotFound)?;
        dto(conn, &st, row)
    })
    .await?;
    Ok(HttpResponse::Ok().json(c))
}

async fn campaign_link(state: &web::Data<AppState>, id: i32) -> ApiResult<String> {
    let row = db::run(&state.pool, move |conn| {
        q::find(conn, id)?.ok_or(ApiError::NotFound)
    })
    .await?;
    Ok(signup_url(&state.config.public_url, &row.code))
}

fn qr(link: &str) -> ApiResult<qrcode::QrCode> {
    // Level M survives a smudged or partly torn poster.
    qrcode::QrCode::with_error_correction_level(link.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("QR code: {e}")))
}

/// The QR code as SVG: one path of dark modules, four modules of quiet zone.
pub fn qr_svg(code: &qrcode::QrCode) -> String {
    let w = code.width();
    let size = w + 8;
    let mut path = String::new();
    for (i, c) in code.to_colors().iter().enumerate() {
        if *c == qrcode::Color::Dark {
            path.push_str(&format!("M{} {}h1v1h-1z", i % w + 4, i / w + 4));
        }
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" \
         shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/>\
         <path fill=\"#000\" d=\"{path}\"/></svg>"
    )
}

/// The QR code as PNG, `scale` pixels per module.
pub fn qr_png(code: &qrcode::QrCode, scale: u32) -> ApiResult<Vec<u8>> {
    let w = code.width() as u32;
    let size = (w + 8) * scale;
    let colors = code.to_colors();
    let img = image::GrayImage::from_fn(size, size, |x, y| {
        let (mx, my) = (x / scale, y / scale);
        let dark = (4..w + 4).contains(&mx)
            && (4..w + 4).contains(&my)
            && colors[((my - 4) * w + (mx - 4)) as usize] == qrcode::Color::Dark;
        image::Luma([if dark { 0 } else { 255 }])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("PNG: {e}")))?;
    Ok(out.into_inner())
}

#[utoipa::path(get, path = "/api/campaigns/{id}/qr.svg", tag = "campaigns", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, content_type = "image/svg+xml", body = String, description = "The sign-up link as a QR code"),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn qr_svg_file(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    auth.require(STAFF)?;
    let link = campaign_link(&state, path.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header(("Cache-Control", "private, no-store"))
        .body(qr_svg(&qr(&link)?)))
}

#[utoipa::path(get, path = "/api/campaigns/{id}/qr.png", tag = "campaigns", security(("bearer" = [])),
    params(("id" = i32, Path)),
    responses((status = 200, content_type = "image/png", body = Vec<u8>, description = "The sign-up link as a QR code, 12 pixels per module"),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
pub async fn qr_png_file(
    state: web::Data<AppState>,
    auth: AuthUser,
    path: web::Path<i32>,
) -> ApiResult<HttpResponse> {
    auth.require(STAFF)?;
    let link = campaign_link(&state, path.into_inner()).await?;
    let png = web::block(move || qr_png(&qr(&link)?, 12))
        .await
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))??;
    Ok(HttpResponse::Ok()
        .content_type("image/png")
        .insert_header(("Cache-Control", "private, no-store"))
        .body(png))
}

#[utoipa::path(get, path = "/api/campaigns/results", tag = "campaigns", security(("bearer" = [])),
    responses((status = 200, body = CampaignResults, description = "Since each campaign started; partners get counts of 1 to 4 as null"),
        (status = 401, body = Problem), (status = 403, body = Problem)))]
pub async fn results(state: web::Data<AppState>, auth: AuthUser) -> ApiResult<HttpResponse> {
    auth.require(VIEWERS)?;
    let hide = auth.role() == Role::Partner;
    let out = db::run(&state.pool, move |conn| {
        let campaigns = q::all(conn)?;
        let scope = Scope::new(Period::All, None, None, now().date());
        Ok(crate::metrics::campaigns::results(
            conn, &scope, &campaigns, hide,
        )?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// `GET /c/{code}`: the printed short link. Always the sign-up page, with the
/// code; whether the code counts is decided at sign-up, so this answer says
/// nothing about which codes exist.
pub async fn short_link(path: web::Path<String>) -> HttpResponse {
    let code = path.into_inner();
    let location = if shared::campaigns::plausible_code(&code) {
        format!("/signup?campaign={code}")
    } else {
        "/signup".to_owned()
    };
    HttpResponse::Found()
        .insert_header(("Location", location))
        .insert_header(("Cache-Control", "no-store"))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qr_images_hold_the_modules() {
        let code = qr("https://wijkveilig.example/c/ab23cd45").unwrap();
        let svg = qr_svg(&code);
        let dark = code
            .to_colors()
            .iter()
            .filter(|c| **c == qrcode::Color::Dark)
            .count();
        assert_eq!(svg.matches("h1v1h-1z").count(), dark);
        let png = qr_png(&code, 3).unwrap();
        let img = image::load_from_memory(&png).unwrap().to_luma8();
        let side = (code.width() as u32 + 8) * 3;
        assert_eq!(img.dimensions(), (side, side));
        // The quiet zone is white, the finder pattern's corner black.
        assert_eq!(img.get_pixel(0, 0).0[0], 255);
        assert_eq!(img.get_pixel(12, 12).0[0], 0);
    }
}
