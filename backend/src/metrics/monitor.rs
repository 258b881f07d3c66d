//! The council monitor: the period's key figures against targets and the
//! previous period, per neighbourhood, as CSV and as a printable HTML page.
//! Always with small-number suppression: the council's documents are public.

use shared::metrics::*;

use super::*;

pub struct Monitor {
    pub period: Period,
    pub previous: Option<Period>,
    pub participation: ParticipationMetrics,
    pub reports: ReportMetrics,
    pub surveys: SurveyMetrics,
    pub meetings: MeetingMetrics,
    pub before: Option<(
        ParticipationMetrics,
        ReportMetrics,
        SurveyMetrics,
        MeetingMetrics,
    )>,
}

/// The four areas of one period, with their targets.
pub type Areas = (
    ParticipationMetrics,
    ReportMetrics,
    SurveyMetrics,
    MeetingMetrics,
);

pub fn areas(conn: &mut DbConnection, ctx: &Ctx, period: Period) -> QueryResult<Areas> {
    let scope = Scope::new(period, None, None, ctx.today());
    let mut p = participation(conn, ctx, &scope)?;
    attach_targets(
        conn,
        ctx,
        MetricArea::Participation,
        &scope,
        &mut p.indicators,
    )?;
    let mut r = reports(conn, ctx, &scope)?;
    attach_targets(conn, ctx, MetricArea::Reports, &scope, &mut r.indicators)?;
    let mut s = surveys(conn, ctx, &scope)?;
    attach_targets(conn, ctx, MetricArea::Surveys, &scope, &mut s.indicators)?;
    let mut m = meetings(conn, ctx, &scope)?;
    attach_targets(conn, ctx, MetricArea::Meetings, &scope, &mut m.indicators)?;
    Ok((p, r, s, m))
}

impl Monitor {
    /// The period's areas beside those of the period before (computed apart,
    /// so that a caller may do both at once on two connections).
    pub fn new(period: Period, now: Areas, before: Option<Areas>) -> Monitor {
        let (participation, reports, surveys, meetings) = now;
        Monitor {
            period,
            previous: period.previous(),
            participation,
            reports,
            surveys,
            meetings,
            before,
        }
    }
}

impl Monitor {
    fn indicators(&self) -> Vec<(&Indicator, Option<f64>)> {
        let now = [
            &self.participation.indicators,
            &self.reports.indicators,
            &self.surveys.indicators,
            &self.meetings.indicators,
        ];
        let before: Vec<&Indicator> = match &self.before {
            Some((p, r, s, m)) => [&p.indicators, &r.indicators, &s.indicators, &m.indicators]
                .into_iter()
                .flatten()
                .collect(),
            None => Vec::new(),
        };
        now.into_iter()
            .flatten()
            .map(|i| {
                let prev = before
                    .iter()
                    .find(|b| b.metric == i.metric)
                    .and_then(|b| b.value);
                (i, prev)
            })
            .collect()
    }

    /// Per neighbourhood: sign-ups, reports, survey responses, topics.
    fn neighbourhoods(&self) -> Vec<(String, [Option<i64>; 4])> {
        let cols = [
            &self.participation.signups_by_neighbourhood,
            &self.reports.by_neighbourhood,
            &self.surveys.responses_by_neighbourhood,
            &self.meetings.topics_by_neighbourhood,
        ];
        cols[0]
            .iter()
            .enumerate()
            .map(|(i, c)| {
                (
                    c.label.clone(),
                    [
                        cols[0][i].value,
                        cols[1].get(i).and_then(|c| c.value),
                        cols[2].get(i).and_then(|c| c.value),
                        cols[3].get(i).and_then(|c| c.value),
                    ],
                )
            })
            .collect()
    }

    pub fn csv(&self) -> String {
        let mut out =
            String::from("\u{feff}section,indicator,neighbourhood,value,previous,target\r\n");
        for (i, prev) in self.indicators() {
            let target = i
                .targets
                .first()
                .map(|t| t.target.value.to_string())
                .unwrap_or_default();
            out.push_str(&format!(
                "indicator,{},,{},{},{}\r\n",
                i.metric.as_str(),
                num(i.value),
                num(prev),
                target
            ));
        }
        let heads = ["signups", "reports", "survey_responses", "topics"];
        for (hood, values) in self.neighbourhoods() {
            for (h, v) in heads.iter().zip(values) {
                out.push_str(&format!(
                    "neighbourhood,{h},{},{},,\r\n",
                    crate::domain::survey_results::cell(&hood, true),
                    count(v)
                ));
            }
        }
        for w in &self.reports.per_week {
            out.push_str(&format!(
                "reports_per_week,{},,{},,\r\n",
                w.week,
                count(w.value)
            ));
        }
        out
    }

    pub fn html(&self) -> String {
        let title = format!("Monitor Wijkveilig {}", self.period.as_string());
        let mut h = String::new();
        h.push_str(&format!(
            "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{t}</title><style>{STYLE}</style></head><body><main>\
             <h1>{t}</h1><p>Periode {} t/m {}{}. Aantallen onder de {SUPPRESS_BELOW} worden als \
             &lsquo;&lt;{SUPPRESS_BELOW}&rsquo; getoond.</p>",
            self.reports.period.from,
            self.reports.period.to,
            self.previous
                .map(|p| format!(", vergeleken met {}", p.as_string()))
                .unwrap_or_default(),
            t = esc(&title),
        ));
        h.push_str(
            "<h2>Kerncijfers</h2><table><thead><tr><th scope=\"col\">Indicator</th>\
             <th scope=\"col\">Deze periode</th><th scope=\"col\">Vorige periode</th>\
             <th scope=\"col\">Doel</th></tr></thead><tbody>",
        );
        for (i, prev) in self.indicators() {
            let target = i
                .targets
                .iter()
                .map(|t| {
                    format!(
                        "{} {} (per {}){}",
                        if t.target.metric.lower_is_better() {
                            "≤"
                        } else {
                            "≥"
                        },
                        num(Some(t.target.value)),
                        t.target.due_on,
                        if t.met { " ✓ gehaald" } else { "" }
                    )
                })
                .collect::<Vec<_>>()
                .join("<br>");
            h.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(i.metric.label_nl()),
                shown(i.value),
                if self.before.is_some() {
                    shown(prev)
                } else {
                    "–".into()
                },
                esc(&target)
            ));
        }
        h.push_str("</tbody></table>");
        h.push_str("<h2>Meldingen per week</h2>");
        h.push_str(&bar_chart(
            "Meldingen per week",
            &self
                .reports
                .per_week
                .iter()
                .map(|w| (w.week.format("%d-%m").to_string(), w.value))
                .collect::<Vec<_>>(),
        ));
        h.push_str("<h2>Aanmeldingen per week</h2>");
        h.push_str(&bar_chart(
            "Aanmeldingen per week",
            &self
                .participation
                .signups_per_week
                .iter()
                .map(|w| {
                    let sum = [w.residents, w.students, w.verified_students]
                        .iter()
                        .try_fold(0, |acc, v| v.map(|v| acc + v));
                    (w.week.format("%d-%m").to_string(), sum)
                })
                .collect::<Vec<_>>(),
        ));
        h.push_str("<h2>Per wijk</h2><table><thead><tr><th scope=\"col\">Wijk</th>\
             <th scope=\"col\">Aanmeldingen</th><th scope=\"col\">Meldingen</th>\
             <th scope=\"col\">Enquêteantwoorden</th><th scope=\"col\">Onderwerpen</th></tr></thead><tbody>");
        for (hood, v) in self.neighbourhoods() {
            h.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&hood),
                esc(&count(v[0])),
                esc(&count(v[1])),
                esc(&count(v[2])),
                esc(&count(v[3]))
            ));
        }
        h.push_str("</tbody></table>");
        h.push_str("<h2>Meldingen per soort</h2><table><tbody>");
        for c in &self.reports.by_category {
            h.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                esc(&c.label),
                esc(&count(c.value))
            ));
        }
        h.push_str("</tbody></table>");
        h.push_str(&format!(
            "<p class=\"foot\">Gemaakt op {} uit Wijkveilig. Tijden zijn mediaan en 90e percentiel \
             (naaste rang), in uren.</p></main></body></html>",
            self.reports.period.to.max(self.reports.period.from)
        ));
        h
    }
}

pub const STYLE: &str = "body{font-family:system-ui,sans-serif;color:#1a1a1a;margin:0;background:#fff}\
main{max-width:60rem;margin:0 auto;padding:1.5rem}h1{font-size:1.6rem}h2{font-size:1.2rem;\
margin-top:2rem;break-after:avoid}table{border-collapse:collapse;width:100%;margin:.5rem 0;\
break-inside:avoid}th,td{border-bottom:1px solid #ccc;padding:.3rem .5rem;text-align:left}\
td{font-variant-numeric:tabular-nums}svg{max-width:100%;height:auto}.foot{color:#444;font-size:.85rem}\
@media print{main{padding:0;max-width:none}a{color:inherit}}";

/// An accessible SVG bar chart; the numbers are in the tables beside it.
pub fn bar_chart(title: &str, points: &[(String, Option<i64>)]) -> String {
    let max = points.iter().filter_map(|p| p.1).max().unwrap_or(0).max(1);
    let (w, h) = (640.0, 160.0);
    let bw = w / points.len().max(1) as f64;
    let mut bars = String::new();
    for (i, (label, v)) in points.iter().enumerate() {
        let value = v.unwrap_or(0);
        let bh = value as f64 / max as f64 * (h - 20.0);
        bars.push_str(&format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#1d5c96\"><title>{}: {}</title></rect>",
            i as f64 * bw + 1.0,
            h - bh,
            (bw - 2.0).max(1.0),
            bh,
            esc(label),
            esc(&count(*v))
        ));
    }
    format!(
        "<svg role=\"img\" aria-label=\"{t}, hoogste waarde {max}\" viewBox=\"0 0 {w} {h}\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title>{t}</title>{bars}</svg>",
        t = esc(title)
    )
}

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn num(v: Option<f64>) -> String {
    v.map(|v| {
        if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            format!("{v:.1}")
        }
    })
    .unwrap_or_default()
}

fn shown(v: Option<f64>) -> String {
    match v {
        Some(_) => num(v),
        None => format!("&lt;{SUPPRESS_BELOW} / –"),
    }
}

fn count(v: Option<i64>) -> String {
    v.map_or(format!("<{SUPPRESS_BELOW}"), |v| v.to_string())
}
