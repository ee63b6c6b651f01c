//! Text of the "me" page: profile and device settings.

/// The page's text in one language.
pub struct Me {
    pub settings: &'static str,
    pub large_text: &'static str,
    pub large_text_hint: &'static str,
    pub elder_mode: &'static str,
    pub elder_mode_hint: &'static str,
    pub sign_out: &'static str,
    pub profile: &'static str,
    pub name: &'static str,
    pub id_number: &'static str,
    pub phone: &'static str,
    pub union: &'static str,
    pub joined: &'static str,
    pub membership: &'static str,
    pub real_name_verified: &'static str,
    pub real_name_unverified: &'static str,
    /// By `MembershipStatus` in declaration order.
    pub membership_labels: [&'static str; 3],
}

pub static ZH_CN: Me = Me {
    settings: "设置",
    large_text: "大字模式",
    large_text_hint: "放大页面文字，保存在本机。",
    elder_mode: "长辈版",
    elder_mode_hint: "更大的文字和按钮，操作更从容。",
    sign_out: "退出登录",
    profile: "会员资料",
    name: "姓名",
    id_number: "证件号码",
    phone: "手机号",
    union: "所属工会",
    joined: "入会日期",
    membership: "会籍状态",
    real_name_verified: "已实名认证",
    real_name_unverified: "未实名认证",
    membership_labels: ["正常", "会籍失效", "转会中"],
};

pub static EN: Me = Me {
    settings: "Settings",
    large_text: "Large text",
    large_text_hint: "Makes text bigger; saved on this device.",
    elder_mode: "Elder mode",
    elder_mode_hint: "Bigger text and buttons, with more time for each step.",
    sign_out: "Sign out",
    profile: "Member profile",
    name: "Name",
    id_number: "ID number",
    phone: "Phone",
    union: "Union",
    joined: "Joined",
    membership: "Membership",
    real_name_verified: "Real-name verified",
    real_name_unverified: "Not real-name verified",
    membership_labels: ["Active", "Lapsed", "Transferring"],
};
