//! Page titles and the not-found text: reached through a method, so each travels with its
//! page's chunk rather than the first load (sign-in's title stays in the shell).

/// The titles in one language.
pub struct PageText {
    pub home: &'static str,
    pub card: &'static str,
    pub offers: &'static str,
    pub insurance: &'static str,
    pub aid: &'static str,
    pub me: &'static str,
    pub not_found: &'static str,
    pub not_found_intro: &'static str,
    pub privacy: &'static str,
    pub centres: &'static str,
}

pub static ZH_CN: PageText = PageText {
    home: "首页",
    card: "会员卡",
    offers: "普惠优惠",
    insurance: "互助保障",
    aid: "困难帮扶",
    me: "我的",
    not_found: "页面不存在",
    not_found_intro: "您打开的页面不存在或已移动。",
    privacy: "个人信息保护说明",
    centres: "职工服务中心",
};

pub static EN: PageText = PageText {
    home: "Home",
    card: "Member card",
    offers: "Member offers",
    insurance: "Mutual-aid cover",
    aid: "Hardship aid",
    me: "Me",
    not_found: "Page not found",
    not_found_intro: "The page you opened does not exist or has moved.",
    privacy: "Privacy notice",
    centres: "Workers' service centres",
};
