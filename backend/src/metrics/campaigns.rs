//! Campaign results from the rollups: sign-ups, verified students and
//! participants activated within 30 days, per campaign, channel and target
//! group. Kept per sign-up day, so that the participation dashboard can show
//! its period's sign-ups by channel with the same numbers.

use std::collections::BTreeMap;

use diesel::prelude::*;
use shared::campaigns::{CampaignResult, CampaignResults};
use shared::metrics::suppress;

use super::rollup::{CAMP_ACTIVATED, CAMP_SIGNUPS, CAMP_VERIFIED};
use super::{fetch_all, sums, Row, Scope, Sums};
use crate::db::campaigns::CampaignRow;
use crate::db::DbConnection;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub signups: i64,
    pub verified: i64,
    pub activated: i64,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.signups += o.signups;
        self.verified += o.verified;
        self.activated += o.activated;
    }
}

/// The sums [`counts`] is made of, in its order: sign-ups, verified
/// students and activated participants, each by campaign.
pub(super) fn parts(scope: &Scope) -> [Sums<'_>; 3] {
    [CAMP_SIGNUPS, CAMP_VERIFIED, CAMP_ACTIVATED].map(|metric| sums(metric, scope, &["dim"]))
}

/// Counts by campaign id (`None`: signed up without a campaign link), from
/// the rows of [`parts`].
pub(super) fn counts(
    [signups, verified, activated]: [Vec<Row>; 3],
) -> BTreeMap<Option<i32>, Counts> {
    let mut out: BTreeMap<Option<i32>, Counts> = BTreeMap::new();
    for (rows, field) in [
        (signups, (|c| &mut c.signups) as fn(&mut Counts) -> &mut i64),
        (verified, |c| &mut c.verified),
        (activated, |c| &mut c.activated),
    ] {
        for r in rows {
            *field(out.entry(r.dim.parse().ok()).or_default()) += r.n;
        }
    }
    out
}

pub fn row(key: String, label: String, c: Counts, cost: Option<i64>, hide: bool) -> CampaignResult {
    let activated = suppress(c.activated, hide);
    CampaignResult {
        key,
        label,
        signups: suppress(c.signups, hide),
        verified_students: suppress(c.verified, hide),
        activated,
        cost_cents: cost,
        cost_per_activated_cents: match (cost, activated) {
            (Some(cost), Some(n)) if n > 0 => Some((cost as f64 / n as f64).round() as i64),
            _ => None,
        },
    }
}

/// Sums by a campaign's property (channel, target group); a group's cost is
/// known when every campaign in it has one.
fn grouped(
    campaigns: &[CampaignRow],
    counts: &BTreeMap<Option<i32>, Counts>,
    key: impl Fn(&CampaignRow) -> &str,
    hide: bool,
) -> Vec<CampaignResult> {
    let mut groups: BTreeMap<String, (Counts, Option<i64>)> = BTreeMap::new();
    for c in campaigns {
        let e = groups
            .entry(key(c).to_owned())
            .or_insert((Counts::default(), Some(0)));
        e.0 += counts.get(&Some(c.id)).copied().unwrap_or_default();
        e.1 = e.1.zip(c.cost_cents).map(|(a, b)| a + b);
    }
    groups
        .into_iter()
        .map(|(k, (c, cost))| row(k.clone(), k, c, cost, hide))
        .collect()
}

pub fn results(
    conn: &mut DbConnection,
    scope: &Scope,
    campaigns: &[CampaignRow],
    hide: bool,
) -> QueryResult<CampaignResults> {
    let counts = counts(fetch_all(conn, parts(scope))?);
    Ok(CampaignResults {
        suppressed: hide,
        campaigns: campaigns
            .iter()
            .map(|c| {
                row(
                    c.id.to_string(),
                    c.name.clone(),
                    counts.get(&Some(c.id)).copied().unwrap_or_default(),
                    c.cost_cents,
                    hide,
                )
            })
            .collect(),
        by_channel: grouped(campaigns, &counts, |c| &c.channel, hide),
        by_target_group: grouped(campaigns, &counts, |c| &c.target_group, hide),
        direct: row(
            "direct".into(),
            "direct".into(),
            counts.get(&None).copied().unwrap_or_default(),
            None,
            hide,
        ),
    })
}

/// The participation dashboard's view: sign-ups in the scope by channel,
/// then those without a campaign (`direct`). Costs are left out: a period
/// or a neighbourhood holds a part of a campaign, not its cost.
pub(super) fn by_channel(
    campaigns: &[CampaignRow],
    counts: &BTreeMap<Option<i32>, Counts>,
    hide: bool,
) -> Vec<CampaignResult> {
    let mut rows: Vec<CampaignResult> = grouped(campaigns, counts, |c| &c.channel, hide)
        .into_iter()
        .map(|r| CampaignResult {
            cost_cents: None,
            cost_per_activated_cents: None,
            ..r
        })
        .collect();
    rows.push(row(
        "direct".into(),
        "direct".into(),
        counts.get(&None).copied().unwrap_or_default(),
        None,
        hide,
    ));
    rows
}
