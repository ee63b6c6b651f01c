//! Text of the app shell: navigation, page frames and the placeholder pages.

/// The shell's text in one language.
pub struct Shell {
    pub app_name: &'static str,
    pub skip_to_content: &'static str,
    pub main_navigation: &'static str,
    pub loading: &'static str,
    pub tab_home: &'static str,
    pub tab_card: &'static str,
    pub tab_offers: &'static str,
    pub tab_aid: &'static str,
    pub tab_me: &'static str,
    pub login_title: &'static str,
    pub chunk_failed_title: &'static str,
    pub chunk_failed_body: &'static str,
    pub back_home: &'static str,
    pub hotline: &'static str,
    pub language: &'static str,
}

pub static ZH_CN: Shell = Shell {
    app_name: "工会会员服务",
    skip_to_content: "跳到主要内容",
    main_navigation: "主导航",
    loading: "正在加载…",
    tab_home: "首页",
    tab_card: "会员卡",
    tab_offers: "优惠",
    tab_aid: "帮扶",
    tab_me: "我的",
    login_title: "登录",
    chunk_failed_title: "页面没能打开",
    chunk_failed_body: "网络不稳定，这个页面没有加载完成。请检查网络后重试。",
    back_home: "返回首页",
    hotline: "服务热线 12351",
    language: "语言",
};

pub static EN: Shell = Shell {
    app_name: "Union Member Services",
    skip_to_content: "Skip to main content",
    main_navigation: "Main navigation",
    loading: "Loading…",
    tab_home: "Home",
    tab_card: "Card",
    tab_offers: "Offers",
    tab_aid: "Aid",
    tab_me: "Me",
    login_title: "Sign in",
    chunk_failed_title: "This page did not open",
    chunk_failed_body: "The connection dropped before this page finished loading. Check your signal and try again.",
    back_home: "Back to home",
    hotline: "Hotline 12351",
    language: "Language",
};
