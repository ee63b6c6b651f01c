//! Compile-time checked UI text. Every locale is a `Strings` value, so a missing translation is
//! a build error, and switching language is one signal write with no extra download.
pub mod aid;
pub mod auth;
pub mod card;
pub mod common;
pub mod insurance;
pub mod kiosk;
pub mod me;
pub mod offers;
pub mod pages;
pub mod privacy;
pub mod shell;

use leptos::prelude::*;

/// A UI language the portal ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    /// Simplified Chinese, the default.
    #[default]
    ZhCn,
    /// English, the second language.
    En,
}

impl Locale {
    /// Every shipped locale, in the order the language switcher offers them.
    pub const ALL: [Locale; 2] = [Locale::ZhCn, Locale::En];

    /// The BCP 47 tag, used for `<html lang>` and `Accept-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::ZhCn => "zh-CN",
            Locale::En => "en",
        }
    }

    /// Parses a stored or browser-provided tag; anything unknown means the default.
    pub fn from_tag(tag: &str) -> Self {
        if tag.to_ascii_lowercase().starts_with("en") {
            Locale::En
        } else {
            Locale::ZhCn
        }
    }

    /// This locale's text.
    pub fn strings(self) -> &'static Strings {
        match self {
            Locale::ZhCn => &ZH_CN,
            Locale::En => &EN,
        }
    }
}

/// All UI text of one locale, one part per feature so each feature's text lives in its own
/// file with both languages side by side. A missing translation is a build error.
///
/// The shell, sign-in and shared text are fields: the first screen needs them. The text of
/// screens behind sign-in is reached through methods instead, so it is referenced from code,
/// not from this table, and wasm-split moves it into the chunk of the screens that use it
/// rather than into the first load.
pub struct Strings {
    /// The language's own name, shown in the language switcher.
    pub language_name: &'static str,
    pub auth: &'static auth::Auth,
    pub common: &'static common::Common,
    pub shell: &'static shell::Shell,
    locale: Locale,
}

impl Strings {
    pub fn aid(&self) -> &'static aid::AidText {
        self.pick(&aid::ZH_CN, &aid::EN)
    }

    pub fn card(&self) -> &'static card::CardText {
        self.pick(&card::ZH_CN, &card::EN)
    }

    pub fn me(&self) -> &'static me::Me {
        self.pick(&me::ZH_CN, &me::EN)
    }

    pub fn insurance(&self) -> &'static insurance::InsuranceText {
        self.pick(&insurance::ZH_CN, &insurance::EN)
    }

    pub fn offers(&self) -> &'static offers::OffersText {
        self.pick(&offers::ZH_CN, &offers::EN)
    }

    pub fn pages(&self) -> &'static pages::PageText {
        self.pick(&pages::ZH_CN, &pages::EN)
    }

    pub fn privacy(&self) -> &'static privacy::PrivacyText {
        self.pick(&privacy::ZH_CN, &privacy::EN)
    }

    pub fn kiosk(&self) -> &'static kiosk::Kiosk {
        self.pick(&kiosk::ZH_CN, &kiosk::EN)
    }

    fn pick<T>(&self, zh_cn: &'static T, en: &'static T) -> &'static T {
        match self.locale {
            Locale::ZhCn => zh_cn,
            Locale::En => en,
        }
    }
}

static ZH_CN: Strings = Strings {
    language_name: "简体中文",
    auth: &auth::ZH_CN,
    common: &common::ZH_CN,
    shell: &shell::ZH_CN,
    locale: Locale::ZhCn,
};
static EN: Strings = Strings {
    language_name: "English",
    auth: &auth::EN,
    common: &common::EN,
    shell: &shell::EN,
    locale: Locale::En,
};

/// Fills the `{}` in a template such as `resend_in`.
pub fn fill(template: &str, value: impl std::fmt::Display) -> String {
    template.replacen("{}", &value.to_string(), 1)
}

/// Selects one text of a locale, e.g. `|s| s.card.status`.
pub type TextKey = fn(&'static Strings) -> &'static str;

/// The current locale, provided once by the app and read by every view.
#[derive(Clone, Copy)]
pub struct I18n {
    locale: RwSignal<Locale>,
}

impl I18n {
    /// Creates the context value with an initial locale.
    pub fn new(initial: Locale) -> Self {
        Self {
            locale: RwSignal::new(initial),
        }
    }

    /// The current locale (reactive).
    pub fn locale(&self) -> Locale {
        self.locale.get()
    }

    /// Switches the UI language.
    pub fn set_locale(&self, locale: Locale) {
        self.locale.set(locale);
    }

    /// The current locale's text without subscribing: for views, which are rebuilt as a
    /// whole when the language changes.
    pub fn current(&self) -> &'static Strings {
        self.locale.get_untracked().strings()
    }

    /// The current locale's text (reactive: call it inside a closure in views).
    pub fn t(&self) -> &'static Strings {
        self.locale.get().strings()
    }
}

/// The text of one key in the current language, e.g. `tr(|s| s.card.status)`.
///
/// Deliberately not reactive: the app re-renders its whole view tree when the language
/// changes (a rare, deliberate act), so most text can be plain static text nodes. A reactive
/// closure per string cost the first load several KiB per page.
pub fn tr(key: fn(&'static Strings) -> &'static str) -> &'static str {
    key(use_i18n().current())
}

/// Reads the i18n context provided by the app.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_tags_fall_back_to_simplified_chinese() {
        assert_eq!(Locale::from_tag("fr-FR"), Locale::ZhCn);
        assert_eq!(Locale::from_tag("zh-TW"), Locale::ZhCn);
        assert_eq!(Locale::from_tag("en-GB"), Locale::En);
    }

    #[test]
    fn tags_round_trip() {
        for locale in Locale::ALL {
            assert_eq!(Locale::from_tag(locale.tag()), locale);
        }
    }

    /// Asserts that `template` holds each of `texts` in a span of `locale`'s language, as the
    /// first-paint templates carry both languages' words.
    fn assert_spans(template: &str, locale: Locale, texts: &[&str]) {
        for text in texts {
            let span = format!("<span lang=\"{}\">{text}</span>", locale.tag());
            assert!(template.contains(&span), "the first paint lacks {span}");
        }
    }

    /// The server draws the card page's top into a signed-in visit's first paint from this
    /// template; the app then draws the same words where they stand.
    #[test]
    fn the_server_drawn_card_face_says_what_the_card_page_says() {
        let template = include_str!("../public/first-paint/card.html");
        for locale in Locale::ALL {
            let s = locale.strings();
            assert_spans(
                template,
                locale,
                &[s.pages().card, s.card().show_qr, s.card().card_number],
            );
        }
        let label = format!(
            "alt=\"{} · {}\"",
            Locale::ZhCn.strings().card().qr_label,
            Locale::En.strings().card().qr_label
        );
        assert!(template.contains(&label), "the first paint lacks {label}");
    }

    /// The same for home's card, messages and entries.
    #[test]
    fn the_server_drawn_home_says_what_home_says() {
        let template = include_str!("../public/first-paint/home.html");
        for locale in Locale::ALL {
            let (s, c) = (locale.strings(), locale.strings().card());
            let unread = c.unread.replace("{}", "{{count}}");
            let hotline = s
                .common
                .call_hotline
                .replace(contract::service::HOTLINE, "{{hotline}}");
            assert_spans(
                template,
                locale,
                &[
                    s.pages().home,
                    c.ecard,
                    s.shell.app_name,
                    c.status_label(contract::card::CardStatus::Active),
                    c.notifications,
                    &unread,
                    c.no_notifications,
                    c.quick_entries,
                    c.entry_offers,
                    c.entry_insurance,
                    c.entry_aid,
                    c.entry_centres,
                    &hotline,
                ],
            );
        }
    }

    /// The same for the offers page's top and its items (`{{…}}` are filled by the server).
    #[test]
    fn the_server_drawn_offers_say_what_the_offers_page_says() {
        let template = include_str!("../public/first-paint/offers.html");
        for locale in Locale::ALL {
            let (s, o) = (locale.strings(), locale.strings().offers());
            let stock = o.stock_left.replace("{}", "{{count}}");
            assert_spans(
                template,
                locale,
                &[
                    s.pages().offers,
                    o.my_coupons,
                    o.search,
                    o.all,
                    o.district,
                    o.nearby,
                    o.valid_until,
                    &stock,
                    o.sold_out,
                ],
            );
        }
        let (zh, en) = (
            Locale::ZhCn.strings().offers(),
            Locale::En.strings().offers(),
        );
        for either in [
            format!(">{}</option>", zh.all_districts),
            format!("data-en=\"{}\"", en.all_districts),
            format!("aria-label=\"{}\"", zh.category),
            format!("data-en-label=\"{}\"", en.category),
        ] {
            assert!(template.contains(&either), "the first paint lacks {either}");
        }
    }

    /// The same for the insurance page's top and its entitlement cards (in force or ended).
    #[test]
    fn the_server_drawn_cover_says_what_the_insurance_page_says() {
        let template = include_str!("../public/first-paint/insurance.html");
        for locale in Locale::ALL {
            let (s, i) = (locale.strings(), locale.strings().insurance());
            assert_spans(
                template,
                locale,
                &[
                    s.pages().insurance,
                    i.intro,
                    i.status_label(contract::insurance::EntitlementStatus::Active),
                    i.status_label(contract::insurance::EntitlementStatus::Expired),
                    i.reason(contract::insurance::EntitlementReason::PeriodEnded),
                    i.sum_insured,
                    i.period,
                    i.claims_count,
                    i.details,
                ],
            );
        }
    }

    /// The same for the me page's profile.
    #[test]
    fn the_server_drawn_profile_says_what_the_me_page_says() {
        let template = include_str!("../public/first-paint/me.html");
        for locale in Locale::ALL {
            let (s, m) = (locale.strings(), locale.strings().me());
            let active = m.membership_labels[contract::member::MembershipStatus::Active as usize];
            assert_spans(
                template,
                locale,
                &[
                    s.pages().me,
                    m.profile,
                    m.name,
                    m.id_number,
                    m.phone,
                    m.union,
                    m.joined,
                    m.membership,
                    active,
                    m.real_name_verified,
                    m.real_name_unverified,
                ],
            );
        }
    }

    /// The same for the aid page: applications with each status, programmes with each way in.
    #[test]
    fn the_server_drawn_aid_says_what_the_aid_page_says() {
        let template = include_str!("../public/first-paint/aid.html");
        for locale in Locale::ALL {
            let (s, a) = (locale.strings(), locale.strings().aid());
            let statuses = contract::aid::AidStatus::ALL.map(|status| a.status_label(status));
            let words = [
                s.pages().aid,
                a.intro,
                a.mine,
                a.none_yet,
                a.submitted_on,
                a.follow,
                a.programs,
                a.open,
                a.closed,
                a.amounts,
                a.window,
                a.who_can_apply,
                a.documents_needed,
                a.see_existing,
                a.apply,
                a.continue_draft,
            ];
            assert_spans(template, locale, &words);
            assert_spans(template, locale, &statuses);
        }
        // The template's script looks for the draft where the app keeps it.
        let key = crate::state::aid_draft::key("{{member}}", "{{program_id}}");
        let draft = format!("data-draft=\"{key}\"");
        assert!(template.contains(&draft), "the first paint lacks {draft}");
    }

    #[test]
    fn the_default_locale_is_simplified_chinese() {
        assert_eq!(Locale::default().strings().shell.tab_home, "首页");
    }
}
