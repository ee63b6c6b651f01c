//! A signed-in visit's first paint. Opened with a session, `/`, `/card`, `/offers`,
//! `/insurance`, `/me` and `/aid` are answered with the screen the member came for already
//! drawn — home's card, messages and entries; the masked card number and a fresh e-card code;
//! the offer catalogue's first page with its search and filters; the member's cover, current
//! and past; their profile (masked); their aid applications and the programs — from the
//! portal's own templates (`first-paint/` of the bundle: `frame.html` around the screen's own),
//! and, in `#portal-answers`, the answers to the requests the app would make first, which the
//! route plan hands to the app's API client. The member sees their code or the offers one round
//! trip after tapping, not after the wasm has arrived; the app then draws the same screen from
//! the same answers (the same token, so the same code) and the first paint takes itself away
//! (the frame's script), handing on what the member began on it (typed text, a choice, the
//! focus).
//!
//! Such a page is personal: `Cache-Control: no-store`, and the service worker does not keep it.
//! Anything that does not work out (no template, no session, no active card, no offers, cover
//! waiting on the card or paused, a query in the address, the API on another origin) gives the
//! ordinary page, which asks for the same things itself. (`/me`'s settings below the profile
//! are this device's, which the server does not know: its paint ends at the profile.)
use std::collections::HashMap;
use std::path::Path;

use axum::http::HeaderMap;
use contract::aid::{AidApplicationSummary, AidProgram, AidStatus, UP_TO, amounts_line};
use contract::card::{Card, CardStatus};
use contract::insurance::{Entitlement, EntitlementReason, EntitlementStatus};
use contract::member::{MembershipStatus, Profile};
use contract::notifications::Notifications;
use contract::offers::{DistrictCount, OfferCategory, OfferPage, OfferSummary};
use contract::qr;
use contract::service::HOTLINE;
use contract::validate::Fen;
use serde_json::json;

use super::{aid, card, insurance, member, notifications, offers};
use crate::AppState;
use crate::aid::application;
use crate::extract::{cookie, kiosk_device_credential};
use crate::lang::Lang;
use crate::sessions::{self, CookieRenewal, StoredSession};
use crate::static_files::CONFIG_OPEN;

const PAINT_MARKER: &str = "<!-- portal:first-paint -->";
/// The cookie in which `index.html` notes the page language of the member's last visit: the
/// language of the answers (the templates' labels follow the page's `lang` in either case; the
/// route plan drops answers in another language than the page's, and the app asks again).
const LANG_COOKIE: &str = "portal-lang";
/// The query of the catalogue's first page, as `src/api/offers.rs` asks for it.
const FIRST_OFFERS: [(&str, &str); 1] = [("limit", "20")];
/// How many messages home shows (`src/pages/home.rs`).
const HOME_MESSAGES: usize = 3;

/// The portal's first-paint templates, read with `index.html`.
#[derive(Default)]
pub struct Templates {
    frame: Option<String>,
    home: Option<String>,
    card: Option<String>,
    offers: Option<String>,
    insurance: Option<String>,
    me: Option<String>,
    aid: Option<String>,
}

impl Templates {
    pub fn load(dist_dir: &Path) -> Templates {
        let read =
            |name: &str| std::fs::read_to_string(dist_dir.join("first-paint").join(name)).ok();
        Templates {
            frame: read("frame.html"),
            home: read("home.html"),
            card: read("card.html"),
            offers: read("offers.html"),
            insurance: read("insurance.html"),
            me: read("me.html"),
            aid: read("aid.html"),
        }
    }

    /// Every template's markup, for the page's Content-Security-Policy (the frame carries the
    /// inline style and script that lay a first paint over the page and take it away).
    pub fn markup(&self) -> String {
        [
            &self.frame,
            &self.home,
            &self.card,
            &self.offers,
            &self.insurance,
            &self.me,
            &self.aid,
        ]
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect()
    }
}

/// One screen drawn for the first paint.
struct Screen {
    /// The screen's markup, set in the frame.
    markup: String,
    /// A selector that matches once the app has drawn the same screen.
    drawn: &'static str,
    /// How long what it shows holds, if it runs out.
    seconds: Option<u64>,
    /// The app's first requests (method and path below the API base) and their answers.
    answers: Vec<(String, serde_json::Value)>,
}

/// A request for a page, as far as its first paint needs it.
pub struct Visit<'a> {
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub headers: &'a HeaderMap,
    /// Where the session's renewed cookies are asked for, as the API's session extractor does.
    pub renewal: Option<&'a CookieRenewal>,
}

/// `index` with the first paint of `visit`, if there is one to draw. Only a bare address is
/// drawn: one with a query (a filtered list, a shared link) is the app's.
pub async fn page(state: &AppState, visit: &Visit<'_>, index: &str) -> Option<String> {
    let templates = &state.portal.first_paint;
    let template = match visit.path {
        "/" => templates.home.as_deref()?,
        "/card" => templates.card.as_deref()?,
        "/offers" => templates.offers.as_deref()?,
        "/insurance" => templates.insurance.as_deref()?,
        "/me" => templates.me.as_deref()?,
        "/aid" => templates.aid.as_deref()?,
        _ => return None,
    };
    let frame = templates.frame.as_deref()?;
    if visit.query.is_some() {
        return None;
    }
    let api = same_origin_api_base(&state.config.portal_api_base)?;
    let token = cookie(visit.headers, sessions::session_cookie_name(&state.config))?;
    let device = kiosk_device_credential(&state.config, visit.headers);
    let session = sessions::touch(state, &token, device.as_deref())
        .await
        .ok()??;
    // The visit used the session, as an API request would: its cookies follow the idle timeout.
    if let (Some(max_age), Some(renewal)) = (session.renewed_for, visit.renewal) {
        renewal.request(&token, &session.csrf_token, max_age);
    }
    let described = sessions::describe(state, &session.token_hash)
        .await
        .ok()??;
    let (tag, lang) = match cookie(visit.headers, LANG_COOKIE).as_deref() {
        Some("en") => ("en", Lang::En),
        _ => ("zh-CN", Lang::Zh),
    };
    let screen = match visit.path {
        "/" => home_screen(state, lang, &session, template).await?,
        "/card" => card_screen(state, lang, &session, template).await?,
        "/insurance" => insurance_screen(state, lang, &session, template).await?,
        "/me" => me_screen(state, lang, &session, template).await?,
        "/aid" => aid_screen(state, lang, &session, template).await?,
        _ => offers_screen(state, lang, template).await?,
    };
    let paint = fill(
        frame,
        &[
            ("drawn", screen.drawn),
            (
                "seconds",
                &screen.seconds.map(|s| s.to_string()).unwrap_or_default(),
            ),
            ("page", &screen.markup),
        ],
    );
    let mut answers = serde_json::Map::new();
    answers.insert(format!("GET {api}/v1/auth/session"), answer(&described)?);
    for (request, value) in screen.answers {
        let (method, path) = request.split_once(' ')?;
        answers.insert(format!("{method} {api}{path}"), value);
    }
    let answers = json!({ "lang": tag, "answers": answers });
    with_paint(index, &paint, &answers.to_string())
}

/// Home: the e-card summary of an active card, the newest messages and the quick entries.
async fn home_screen(
    state: &AppState,
    lang: Lang,
    session: &StoredSession,
    template: &str,
) -> Option<Screen> {
    let card = card::describe(state, lang, &session.member_id).await.ok()?;
    if card.status != CardStatus::Active {
        // Other states carry a next step in words of the app's own; the app draws them.
        return None;
    }
    let (profile, messages) = tokio::join!(
        member::describe(state, lang, &session.member_id),
        notifications::newest(state, lang, &session.member_id),
    );
    let (profile, messages) = (profile.ok()?, messages.ok()?);
    Some(Screen {
        markup: home_markup(template, &card, &profile, &messages)?,
        // The quick entries are the app's last panel: drawn, everything above is too.
        drawn: "#app .home .quick-entries",
        seconds: None,
        answers: vec![
            ("GET /v1/card".to_owned(), answer(&card)?),
            ("GET /v1/me".to_owned(), answer(&profile)?),
            ("GET /v1/notifications".to_owned(), answer(&messages)?),
        ],
    })
}

/// The home template filled: the card as `CardSummary` draws it, the unread count and the
/// three newest messages as the messages panel does.
fn home_markup(
    template: &str,
    card: &Card,
    profile: &Profile,
    messages: &Notifications,
) -> Option<String> {
    let (template, unread) = section(template, "unread")?;
    let (template, none_unread) = section(&template, "none_unread")?;
    let (template, item) = section(&template, "message")?;
    let unread = match messages.unread {
        0 => none_unread,
        count => fill(&unread, &[("count", &count.to_string())]),
    };
    let items: String = messages
        .items
        .iter()
        .take(HOME_MESSAGES)
        .map(|message| {
            fill(
                &item,
                &[
                    (
                        "class",
                        if message.read {
                            ""
                        } else {
                            " class=\"unread\""
                        },
                    ),
                    ("title", &escape(&message.title)),
                    ("body", &escape(&message.body)),
                ],
            )
        })
        .collect();
    Some(fill(
        &template,
        &[
            ("name", &escape(&profile.name)),
            (
                "union",
                &escape(profile.union_path.last().map_or("", String::as_str)),
            ),
            (
                "number",
                &escape(card.number_masked.as_deref().unwrap_or("")),
            ),
            ("unread", &unread),
            ("none_unread", ""),
            ("message", &items),
            ("hotline", HOTLINE),
        ],
    ))
}

/// The card page's top: the e-card face with a fresh code, for an active card.
async fn card_screen(
    state: &AppState,
    lang: Lang,
    session: &StoredSession,
    template: &str,
) -> Option<Screen> {
    let card_id = card::active_card(state, &session.member_id).await.ok()?;
    let card = card::describe(state, lang, &session.member_id).await.ok()?;
    let ecard = card::mint_ecard_token(state, &card_id);
    let markup = fill(
        template,
        &[
            (
                "number",
                &escape(card.number_masked.as_deref().unwrap_or("")),
            ),
            ("code", &qr_image(&ecard.token)?),
        ],
    );
    Some(Screen {
        markup,
        drawn: "#app .ecard-face .qr-code",
        seconds: Some(ecard.valid_for_seconds.into()),
        answers: vec![
            ("GET /v1/card".to_owned(), answer(&card)?),
            ("POST /v1/card/ecard-token".to_owned(), answer(&ecard)?),
        ],
    })
}

/// The member's cover: plans in force and past periods (others carry a reason with a next
/// step, in the app's own words; the app draws them).
async fn insurance_screen(
    state: &AppState,
    lang: Lang,
    session: &StoredSession,
    template: &str,
) -> Option<Screen> {
    let entitlements = insurance::entitlements_of(state, lang, &session.member_id, None)
        .await
        .ok()?;
    Some(Screen {
        markup: insurance_markup(template, &entitlements)?,
        drawn: "#app .entitlements",
        seconds: None,
        answers: vec![(
            "GET /v1/insurance/entitlements".to_owned(),
            answer(&entitlements)?,
        )],
    })
}

/// The insurance template filled: one card per entitlement as `entitlement_card` draws it
/// (`src/pages/insurance.rs`). None when there is none, or one is neither in force nor a
/// period that has ended.
fn insurance_markup(template: &str, entitlements: &[Entitlement]) -> Option<String> {
    if entitlements.is_empty() {
        return None;
    }
    let (template, item) = section(template, "entitlement")?;
    let (item, covered_badge) = section(&item, "covered")?;
    let (item, ended_badge) = section(&item, "ended")?;
    let (item, period_ended) = section(&item, "period_ended")?;
    let items = entitlements
        .iter()
        .map(|entitlement| {
            let (covered, ended, reason) = match (entitlement.status, entitlement.reason) {
                (EntitlementStatus::Active, None) => (covered_badge.as_str(), "", ""),
                (EntitlementStatus::Expired, Some(EntitlementReason::PeriodEnded)) => {
                    ("", ended_badge.as_str(), period_ended.as_str())
                }
                _ => return None,
            };
            let from = entitlement.covered_from.as_deref()?;
            let until = entitlement.covered_until.as_deref()?;
            let period = format!("{} – {}", day(from), day(until));
            Some(fill(
                &item,
                &[
                    ("plan", &escape(&entitlement.plan_name)),
                    ("covered", covered),
                    ("ended", ended),
                    ("period_ended", reason),
                    ("sum", &Fen(entitlement.sum_insured_fen).display_yuan()),
                    ("period", &escape(&period)),
                    ("claims", &entitlement.claim_count.to_string()),
                    ("id", &percent_encode_segment(&entitlement.id)),
                ],
            ))
        })
        .collect::<Option<String>>()?;
    Some(fill(&template, &[("entitlement", &items)]))
}

/// The member's profile, for an active membership (the others carry words of the app's own).
async fn me_screen(
    state: &AppState,
    lang: Lang,
    session: &StoredSession,
    template: &str,
) -> Option<Screen> {
    let profile = member::describe(state, lang, &session.member_id)
        .await
        .ok()?;
    Some(Screen {
        markup: me_markup(template, &profile)?,
        drawn: "#app #profile-heading",
        seconds: None,
        answers: vec![("GET /v1/me".to_owned(), answer(&profile)?)],
    })
}

/// The me template filled: the profile as `ProfilePanel` draws it (`src/pages/me.rs`), its
/// numbers masked as the API masks them.
fn me_markup(template: &str, profile: &Profile) -> Option<String> {
    if profile.membership_status != MembershipStatus::Active {
        return None;
    }
    let (template, verified) = section(template, "verified")?;
    let (template, unverified) = section(&template, "unverified")?;
    let (verified, unverified) = if profile.real_name_verified {
        (verified, String::new())
    } else {
        (String::new(), unverified)
    };
    Some(fill(
        &template,
        &[
            ("name", &escape(&profile.name)),
            ("id_number", &escape(&profile.id_number_masked)),
            ("phone", &escape(&profile.phone_masked)),
            ("union", &escape(&profile.union_path.join(" / "))),
            ("joined", &escape(&profile.joined_on)),
            ("verified", &verified),
            ("unverified", &unverified),
        ],
    ))
}

/// Hardship aid: the member's applications and the programs with their way in.
async fn aid_screen(
    state: &AppState,
    lang: Lang,
    session: &StoredSession,
    template: &str,
) -> Option<Screen> {
    let (programs, applications) = tokio::join!(
        aid::all_programs(state, lang),
        application::summaries(&state.db, lang, &session.member_id),
    );
    let (programs, applications) = (programs.ok()?, applications.ok()?);
    let up_to = lang.pick(UP_TO[0], UP_TO[1]);
    Some(Screen {
        markup: aid_markup(
            template,
            &session.member_id,
            up_to,
            &programs,
            &applications,
        )?,
        // The programs are the app's last panel: drawn, the applications above are too.
        drawn: "#app .aid-programs",
        seconds: None,
        answers: vec![
            ("GET /v1/aid/programs".to_owned(), answer(&programs)?),
            (
                "GET /v1/aid/applications".to_owned(),
                answer(&applications)?,
            ),
        ],
    })
}

/// The aid template filled as `AidPage` draws it (`src/pages/aid.rs`): the applications (or
/// that there are none) with their status badges, then each program with its way in.
/// `up_to` words ceilings in the answers' language.
fn aid_markup(
    template: &str,
    member_id: &str,
    up_to: &str,
    programs: &[AidProgram],
    applications: &[AidApplicationSummary],
) -> Option<String> {
    let aid = AidTemplate::cut(template)?;
    let (none_yet, listed) = if applications.is_empty() {
        (aid.none_yet.as_str(), String::new())
    } else {
        let rows: String = applications.iter().map(|a| aid.application(a)).collect();
        ("", fill(&aid.listed, &[("application", &rows)]))
    };
    let cards: String = programs
        .iter()
        .map(|program| {
            let way_in = aid.way_in(program, applications, member_id);
            aid.program(program, up_to, &way_in)
        })
        .collect();
    Some(fill(
        &aid.page,
        &[
            ("none_yet", none_yet),
            ("applications", &listed),
            ("program", &cards),
        ],
    ))
}

/// The application for `program` that stands in the way of a new one (as the server's
/// eligibility check and the app see it: not withdrawn, not rejected).
fn standing_application<'a>(
    program: &AidProgram,
    applications: &'a [AidApplicationSummary],
) -> Option<&'a str> {
    applications
        .iter()
        .find(|a| {
            a.program_id == program.id
                && !matches!(a.status, AidStatus::Withdrawn | AidStatus::Rejected)
        })
        .map(|a| a.id.as_str())
}

/// The aid template cut into the parts that are filled once per row.
struct AidTemplate {
    page: String,
    none_yet: String,
    listed: String,
    application: String,
    /// Each status's badge, by its name in the API.
    badges: Vec<(&'static str, String)>,
    program: String,
    open: String,
    closed: String,
    rule: String,
    document: String,
    see_existing: String,
    apply: String,
}

impl AidTemplate {
    fn cut(template: &str) -> Option<AidTemplate> {
        let (page, application) = section(template, "application")?;
        let (page, listed) = section(&page, "applications")?;
        let (page, none_yet) = section(&page, "none_yet")?;
        let (page, program) = section(&page, "program")?;
        let mut application = application;
        let mut badges = Vec::with_capacity(AidStatus::ALL.len());
        for status in AidStatus::ALL {
            let (rest, badge) = section(&application, status.as_str())?;
            application = rest;
            badges.push((status.as_str(), badge));
        }
        let (program, open) = section(&program, "open")?;
        let (program, closed) = section(&program, "closed")?;
        let (program, rule) = section(&program, "rule")?;
        let (program, document) = section(&program, "document")?;
        let (program, see_existing) = section(&program, "see_existing")?;
        let (program, apply) = section(&program, "apply")?;
        // One way in at most: where the two stood.
        let program = fill(&program, &[("see_existing", "{{way_in}}"), ("apply", "")]);
        Some(AidTemplate {
            page,
            none_yet,
            listed,
            application,
            badges,
            program,
            open,
            closed,
            rule,
            document,
            see_existing,
            apply,
        })
    }

    /// One of the member's applications, with its status badge.
    fn application(&self, summary: &AidApplicationSummary) -> String {
        let mut values = vec![
            ("program", escape(&summary.program_name)),
            ("submitted_at", escape(&summary.submitted_at)),
            ("submitted_on", escape(day(&summary.submitted_at))),
            ("id", percent_encode_segment(&summary.id)),
        ];
        values.extend(self.badges.iter().map(|(status, badge)| {
            let shown = *status == summary.status.as_str();
            (*status, if shown { badge.clone() } else { String::new() })
        }));
        let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
        fill(&self.application, &values)
    }

    /// A program's way in: to the member's application that stands, to the form while the
    /// window is open (the form's key on this device, for the template's draft check), or none.
    fn way_in(
        &self,
        program: &AidProgram,
        applications: &[AidApplicationSummary],
        member_id: &str,
    ) -> String {
        match standing_application(program, applications) {
            Some(id) => fill(
                &self.see_existing,
                &[("application", &percent_encode_segment(id))],
            ),
            None if program.open => fill(
                &self.apply,
                &[
                    ("id", &percent_encode_segment(&program.id)),
                    ("member", &escape(member_id)),
                    ("program_id", &escape(&program.id)),
                ],
            ),
            None => String::new(),
        }
    }

    /// One program: its window, what it pays, its rules and documents, and `way_in`.
    fn program(&self, program: &AidProgram, up_to: &str, way_in: &str) -> String {
        let items = |template: &str, texts: &[String]| -> String {
            texts
                .iter()
                .map(|text| fill(template, &[("text", &escape(text))]))
                .collect()
        };
        let (open, closed) = if program.open {
            (self.open.as_str(), "")
        } else {
            ("", self.closed.as_str())
        };
        let window = format!("{} – {}", program.opens_on, program.closes_on);
        fill(
            &self.program,
            &[
                ("name", &escape(&program.name)),
                ("open", open),
                ("closed", closed),
                ("summary", &escape(&program.summary)),
                ("amounts", &escape(&amounts_line(&program.amounts, up_to))),
                ("window", &escape(&window)),
                ("rule", &items(&self.rule, &program.eligibility_rules)),
                (
                    "document",
                    &items(&self.document, &program.required_documents),
                ),
                ("way_in", way_in),
            ],
        )
    }
}

/// `2026-01-01` of a date that may carry a time, as the app shows it.
fn day(date: &str) -> &str {
    date.get(..10).unwrap_or(date)
}

/// The catalogue: its search and filters as the app draws them, the districts to choose from
/// and the first page of offers.
async fn offers_screen(state: &AppState, lang: Lang, template: &str) -> Option<Screen> {
    let query: HashMap<String, String> = FIRST_OFFERS
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect();
    let page = offers::offer_page(state, lang, &query).await.ok()?;
    if page.items.is_empty() {
        // The app says there are none; not worth a template.
        return None;
    }
    let districts = offers::district_counts(state, lang).await.ok()?;
    let markup = offers_markup(template, &page, &districts)?;
    let query = FIRST_OFFERS
        .iter()
        .map(|(name, value)| format!("{name}={value}"))
        .collect::<Vec<_>>()
        .join("&");
    Some(Screen {
        markup,
        drawn: "#app .offer-list",
        seconds: None,
        answers: vec![
            (format!("GET /v1/offers?{query}"), answer(&page)?),
            ("GET /v1/offers/districts".to_owned(), answer(&districts)?),
        ],
    })
}

/// The offers template filled: one chip per category, one option per district, one item per
/// offer (with its stock, when it has one).
fn offers_markup(template: &str, page: &OfferPage, districts: &[DistrictCount]) -> Option<String> {
    let (template, chip) = section(template, "category")?;
    let (template, option) = section(&template, "district")?;
    let (template, item) = section(&template, "offer")?;
    let chips: String = OfferCategory::ALL
        .into_iter()
        .map(|category| {
            let (zh, en) = category.labels();
            fill(
                &chip,
                &[
                    ("code", category.as_str()),
                    ("zh", &escape(zh)),
                    ("en", &escape(en)),
                ],
            )
        })
        .collect();
    let options: String = districts
        .iter()
        .map(|d| {
            fill(
                &option,
                &[("code", &escape(&d.code)), ("name", &escape(&d.name))],
            )
        })
        .collect();
    let (item, left) = section(&item, "left")?;
    let (item, sold_out) = section(&item, "sold_out")?;
    let items: String = page
        .items
        .iter()
        .map(|offer| offer_item(&item, &left, &sold_out, offer))
        .collect();
    Some(fill(
        &template,
        &[
            ("category", &chips),
            ("district", &options),
            ("offer", &items),
        ],
    ))
}

fn offer_item(item: &str, left: &str, sold_out: &str, offer: &OfferSummary) -> String {
    let count = offer.stock_left.unwrap_or_default().to_string();
    let (left, sold_out) = match offer.stock_left {
        None => ("", ""),
        Some(0) => ("", sold_out),
        Some(_) => (left, ""),
    };
    fill(
        item,
        &[
            ("id", &escape(&percent_encode_segment(&offer.id))),
            ("merchant", &escape(&offer.merchant_name)),
            ("discount", &escape(&offer.discount)),
            ("district", &escape(&offer.district_name)),
            (
                "valid_until",
                &escape(offer.valid_until.get(..10).unwrap_or_default()),
            ),
            ("left", &fill(left, &[("count", &count)])),
            ("sold_out", sold_out),
        ],
    )
}

/// The QR symbol of `text` as an SVG image address. An image, not inline SVG as the app draws
/// it: the browser counts an image as the page's largest content, and the code is what the
/// member came for.
fn qr_image(text: &str) -> Option<String> {
    let (path, side) = qr::svg_path(text)?;
    // `path` is only letters, digits and commas: nothing to escape in it.
    Some(format!(
        "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {side} {side}' \
         shape-rendering='crispEdges'%3E%3Crect width='{side}' height='{side}' fill='white'/%3E\
         %3Cpath d='{path}'/%3E%3C/svg%3E"
    ))
}

/// The API base when it is a path on this origin (only then can the page's cookies be seen
/// here), without its trailing slash.
fn same_origin_api_base(base: &str) -> Option<&str> {
    let base = base.trim_end_matches('/');
    (base.starts_with('/') && !base.starts_with("//")).then_some(base)
}

/// One answer as the route plan keeps it: the status and the body's text.
fn answer(body: &impl serde::Serialize) -> Option<serde_json::Value> {
    Some(json!({ "status": 200, "text": serde_json::to_string(body).ok()? }))
}

/// The page with `answers` after the configuration block (before the route plan reads it) and
/// `paint` at the top of `<body>`. `</` is escaped so no value can close the data block.
fn with_paint(index: &str, paint: &str, answers: &str) -> Option<String> {
    let config_end = index.find(CONFIG_OPEN)? + CONFIG_OPEN.len();
    let answers_at = config_end + index[config_end..].find("</script>")? + "</script>".len();
    let paint_at = index.find(PAINT_MARKER)?;
    (answers_at < paint_at).then(|| {
        format!(
            "{}\n  <script id=\"portal-answers\" type=\"application/json\">{}</script>{}{}{}",
            &index[..answers_at],
            answers.replace("</", "<\\/"),
            &index[answers_at..paint_at],
            paint,
            &index[paint_at + PAINT_MARKER.len()..],
        )
    })
}

/// `template` with each `{{name}}` replaced by its value; unknown names are left as they are.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 4096);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            rest = &rest[start..];
            break;
        };
        match values.iter().find(|(name, _)| *name == &after[..end]) {
            Some((_, value)) => out.push_str(value),
            None => out.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// `template` with its block `{{#name}}…{{/name}}` replaced by `{{name}}`, and the block's
/// inside, to be filled once per row and set in its place.
fn section(template: &str, name: &str) -> Option<(String, String)> {
    let (open, close) = (format!("{{{{#{name}}}}}"), format!("{{{{/{name}}}}}"));
    let start = template.find(&open)?;
    let end = start + template[start..].find(&close)?;
    let inside = template[start + open.len()..end].to_owned();
    let outside = format!(
        "{}{{{{{name}}}}}{}",
        &template[..start],
        &template[end + close.len()..]
    );
    Some((outside, inside))
}

/// A path segment as `src/api/` writes one (`encodeURIComponent`).
fn percent_encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        match byte {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'!'
            | b'~'
            | b'*'
            | b'\''
            | b'('
            | b')' => out.push(byte as char),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// Text for an HTML element or attribute.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = "<head><script id=\"portal-config\" type=\"application/json\">{}</script><!-- portal:assets --></head><body>\n<!-- portal:first-paint -->\n<header id=\"brand\"></header></body>";

    #[test]
    fn the_answers_go_before_the_route_plan_and_the_paint_to_the_top_of_the_body() {
        let page = with_paint(INDEX, "<div id=\"first-paint\"></div>", "{\"a\":1}").unwrap();
        let answers = page.find("portal-answers").unwrap();
        assert!(answers < page.find("portal:assets").unwrap(), "{page}");
        assert!(
            page.contains("<body>\n<div id=\"first-paint\"></div>\n<header"),
            "{page}"
        );
        assert!(!page.contains(PAINT_MARKER));
    }

    #[test]
    fn no_value_can_close_the_answers_block() {
        let page = with_paint(INDEX, "", r#"{"name":"</script><b>"}"#).unwrap();
        assert!(!page.contains("</script><b>"), "{page}");
    }

    #[test]
    fn a_page_without_the_markers_gets_no_first_paint() {
        assert_eq!(with_paint("<body></body>", "x", "{}"), None);
    }

    #[test]
    fn placeholders_are_filled_once_and_values_are_not_read_again() {
        let filled = fill(
            "<p>{{number}}</p><svg viewBox=\"0 0 {{side}} {{side}}\">{{other}}",
            &[("number", "{{side}}"), ("side", "29")],
        );
        assert_eq!(
            filled,
            "<p>{{side}}</p><svg viewBox=\"0 0 29 29\">{{other}}"
        );
    }

    #[test]
    fn the_code_is_an_svg_image_of_the_token() {
        let image = qr_image("e1.k.abc").unwrap();
        let (path, side) = qr::svg_path("e1.k.abc").unwrap();
        assert!(image.starts_with("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'"));
        assert!(image.contains(&format!("viewBox='0 0 {side} {side}'")));
        assert!(image.contains(&format!("%3Cpath d='{path}'/%3E")));
        assert!(
            !image.contains(['"', '<', '>', '#', '&']),
            "nothing that would end the attribute or the address: {image}"
        );
    }

    #[test]
    fn a_section_is_cut_out_to_be_filled_once_per_row() {
        let (outside, inside) =
            section("<ul>{{#item}}<li>{{name}}</li>{{/item}}</ul>", "item").unwrap();
        assert_eq!(outside, "<ul>{{item}}</ul>");
        assert_eq!(inside, "<li>{{name}}</li>");
        assert_eq!(
            section("<ul>{{#item}}</ul>", "item"),
            None,
            "an unclosed section"
        );
    }

    #[test]
    fn an_offer_item_has_a_badge_only_when_its_stock_is_counted() {
        let template = "{{#offer}}<li>{{merchant}}{{#left}}[{{count}} left]{{/left}}{{#sold_out}}[sold out]{{/sold_out}}</li>{{/offer}}{{#category}}{{/category}}{{#district}}{{/district}}";
        let offer = |merchant: &str, stock_left| OfferSummary {
            id: "ofr_1".to_owned(),
            merchant_id: "m".to_owned(),
            merchant_name: merchant.to_owned(),
            category: OfferCategory::Dining,
            district: "futian".to_owned(),
            district_name: "福田区".to_owned(),
            address: String::new(),
            lat: 0.0,
            lng: 0.0,
            discount: String::new(),
            redemption: contract::offers::Redemption::ShowCard,
            stock_left,
            valid_until: "2026-12-31".to_owned(),
            distance_m: None,
        };
        let page = OfferPage {
            items: vec![offer("A&B", None), offer("C", Some(3)), offer("D", Some(0))],
            next_cursor: None,
        };
        assert_eq!(
            offers_markup(template, &page, &[]).unwrap(),
            "<li>A&amp;B</li><li>C[3 left]</li><li>D[sold out]</li>"
        );
    }

    #[test]
    fn home_shows_the_three_newest_messages_and_the_unread_count_or_none() {
        let template = "{{name}}|{{union}}|{{number}}|{{#unread}}{{count}} unread{{/unread}}{{#none_unread}}none{{/none_unread}}|{{#message}}<li{{class}}>{{title}}:{{body}}</li>{{/message}}|{{hotline}}";
        let card = Card {
            status: CardStatus::Active,
            number_masked: Some("6217 **** **** 1234".to_owned()),
            bank: String::new(),
            applied_on: None,
            issued_on: None,
            activated_on: None,
            next_step: None,
            next_step_text: None,
            events: Vec::new(),
        };
        let profile = Profile {
            name: "<Li>".to_owned(),
            id_number_masked: String::new(),
            phone_masked: String::new(),
            union_path: vec!["City".to_owned(), "Works & Co".to_owned()],
            joined_on: String::new(),
            membership_status: contract::member::MembershipStatus::Active,
            real_name_verified: true,
            wechat_bound: false,
        };
        let message = |title: &str, read| contract::notifications::Notification {
            id: title.to_owned(),
            kind: "card".to_owned(),
            title: title.to_owned(),
            body: "b".to_owned(),
            created_at: String::new(),
            read,
        };
        let mut messages = Notifications {
            items: vec![
                message("1", false),
                message("2", true),
                message("3", true),
                message("4", false),
            ],
            unread: 2,
        };
        assert_eq!(
            home_markup(template, &card, &profile, &messages).unwrap(),
            "&lt;Li&gt;|Works &amp; Co|6217 **** **** 1234|2 unread|<li class=\"unread\">1:b</li><li>2:b</li><li>3:b</li>|12351"
        );
        messages.unread = 0;
        messages.items.clear();
        assert_eq!(
            home_markup(template, &card, &profile, &messages).unwrap(),
            "&lt;Li&gt;|Works &amp; Co|6217 **** **** 1234|none||12351"
        );
    }

    #[test]
    fn cover_in_force_and_past_periods_are_drawn_and_any_other_state_is_the_apps() {
        let template = "<ul>{{#entitlement}}<li>{{plan}}|{{#covered}}ok{{/covered}}{{#ended}}ended{{/ended}}|{{#period_ended}}over{{/period_ended}}|{{sum}}|{{period}}|{{claims}}|{{id}}</li>{{/entitlement}}</ul>";
        let entitlement = |id: &str, status, reason| Entitlement {
            id: id.to_owned(),
            plan_id: "plan".to_owned(),
            plan_name: "Accident & injury".to_owned(),
            sum_insured_fen: 2_000_000,
            covered_from: Some("2026-03-01".to_owned()),
            covered_until: Some("2027-02-28T23:59:59+08:00".to_owned()),
            status,
            reason,
            claim_count: 1,
        };
        let drawn = [
            entitlement("ent 1", EntitlementStatus::Active, None),
            entitlement(
                "ent_2",
                EntitlementStatus::Expired,
                Some(EntitlementReason::PeriodEnded),
            ),
        ];
        assert_eq!(
            insurance_markup(template, &drawn).unwrap(),
            "<ul><li>Accident &amp; injury|ok||¥20,000.00|2026-03-01 – 2027-02-28|1|ent%201</li>\
             <li>Accident &amp; injury|ended|over|¥20,000.00|2026-03-01 – 2027-02-28|1|ent_2</li></ul>"
        );
        let paused = [
            entitlement("ent_1", EntitlementStatus::Active, None),
            entitlement(
                "ent_2",
                EntitlementStatus::Suspended,
                Some(EntitlementReason::MembershipLapsed),
            ),
        ];
        assert_eq!(insurance_markup(template, &paused), None);
        assert_eq!(insurance_markup(template, &[]), None);
    }

    #[test]
    fn the_profile_is_drawn_masked_for_an_active_membership_only() {
        let template = "{{name}}|{{id_number}}|{{phone}}|{{union}}|{{joined}}|{{#verified}}yes{{/verified}}{{#unverified}}no{{/unverified}}";
        let mut profile = Profile {
            name: "<Li>".to_owned(),
            id_number_masked: "1101**********1234".to_owned(),
            phone_masked: "138****0001".to_owned(),
            union_path: vec!["City".to_owned(), "Works & Co".to_owned()],
            joined_on: "2019-05-01".to_owned(),
            membership_status: MembershipStatus::Active,
            real_name_verified: true,
            wechat_bound: false,
        };
        assert_eq!(
            me_markup(template, &profile).unwrap(),
            "&lt;Li&gt;|1101**********1234|138****0001|City / Works &amp; Co|2019-05-01|yes"
        );
        profile.real_name_verified = false;
        assert!(me_markup(template, &profile).unwrap().ends_with("|no"));
        profile.membership_status = MembershipStatus::Lapsed;
        assert_eq!(me_markup(template, &profile), None);
    }

    #[test]
    fn aid_shows_each_application_with_its_badge_and_each_programme_with_its_way_in() {
        let badges: String = AidStatus::ALL
            .iter()
            .map(|s| format!("{{{{#{0}}}}}[{0}]{{{{/{0}}}}}", s.as_str()))
            .collect();
        let template = format!(
            "{{{{#none_yet}}}}none{{{{/none_yet}}}}{{{{#applications}}}}<ul>{{{{#application}}}}<li>{{{{program}}}}|{badges}|{{{{submitted_on}}}}|{{{{id}}}}</li>{{{{/application}}}}</ul>{{{{/applications}}}}\
             {{{{#program}}}}<p>{{{{name}}}}|{{{{#open}}}}open{{{{/open}}}}{{{{#closed}}}}closed{{{{/closed}}}}|{{{{amounts}}}}|{{{{window}}}}|{{{{#rule}}}}({{{{text}}}}){{{{/rule}}}}|{{{{#document}}}}({{{{text}}}}){{{{/document}}}}|\
             {{{{#see_existing}}}}see:{{{{application}}}}{{{{/see_existing}}}}{{{{#apply}}}}apply:{{{{id}}}}:{{{{member}}}}.{{{{program_id}}}}{{{{/apply}}}}</p>{{{{/program}}}}"
        );
        let program = |id: &str, open| AidProgram {
            id: id.to_owned(),
            kind: contract::aid::AidKind::SeriousIllness,
            name: format!("<{id}>"),
            summary: String::new(),
            eligibility_rules: vec!["r1".to_owned(), "r&2".to_owned()],
            required_documents: vec!["d1".to_owned()],
            amounts: vec![contract::aid::AidAmount {
                label: "最高".to_owned(),
                amount_fen: 2_000_000,
                level: None,
                up_to: true,
            }],
            opens_on: "2026-01-01".to_owned(),
            closes_on: "2026-12-31".to_owned(),
            open,
        };
        let application = |id: &str, program_id: &str, status| AidApplicationSummary {
            id: id.to_owned(),
            program_id: program_id.to_owned(),
            program_name: "Illness & relief".to_owned(),
            kind: contract::aid::AidKind::SeriousIllness,
            status,
            submitted_at: "2026-10-01T09:30:00+08:00".to_owned(),
            updated_at: String::new(),
            approved_fen: None,
        };
        let programs = [
            program("p a", true),
            program("p_b", true),
            program("p_c", true),
            program("p_d", false),
        ];
        let applications = [
            application("aid 1", "p a", AidStatus::MoreInfoNeeded),
            application("aid_2", "p_b", AidStatus::Rejected),
        ];
        assert_eq!(
            aid_markup(&template, "mem_1", "最高", &programs, &applications).unwrap(),
            "<ul><li>Illness &amp; relief|[more_info_needed]|2026-10-01|aid%201</li>\
             <li>Illness &amp; relief|[rejected]|2026-10-01|aid_2</li></ul>\
             <p>&lt;p a&gt;|open|最高 ¥20,000.00|2026-01-01 – 2026-12-31|(r1)(r&amp;2)|(d1)|see:aid%201</p>\
             <p>&lt;p_b&gt;|open|最高 ¥20,000.00|2026-01-01 – 2026-12-31|(r1)(r&amp;2)|(d1)|apply:p_b:mem_1.p_b</p>\
             <p>&lt;p_c&gt;|open|最高 ¥20,000.00|2026-01-01 – 2026-12-31|(r1)(r&amp;2)|(d1)|apply:p_c:mem_1.p_c</p>\
             <p>&lt;p_d&gt;|closed|最高 ¥20,000.00|2026-01-01 – 2026-12-31|(r1)(r&amp;2)|(d1)|</p>"
        );
        assert!(
            aid_markup(&template, "mem_1", "最高", &programs, &[])
                .unwrap()
                .starts_with("none<p>"),
            "no applications: the notice, no list"
        );
    }

    #[test]
    fn offer_ids_are_encoded_as_the_app_encodes_them() {
        assert_eq!(percent_encode_segment("ofr_0001"), "ofr_0001");
        assert_eq!(percent_encode_segment("a b/é"), "a%20b%2F%C3%A9");
    }

    #[test]
    fn text_is_escaped_for_html() {
        assert_eq!(
            escape(r#"<b a="1">&'"#),
            "&lt;b a=&quot;1&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn only_an_api_on_this_origin_has_answers_drawn_here() {
        assert_eq!(same_origin_api_base("/api/"), Some("/api"));
        assert_eq!(same_origin_api_base("https://api.union.example"), None);
        assert_eq!(same_origin_api_base("//api.union.example"), None);
    }
}
