//! Text of the service-centre kiosk: the attract screen, card + PIN sign-in with the on-screen
//! keypad, and the idle warning.

/// The kiosk's text in one language.
pub struct Kiosk {
    pub title: &'static str,
    pub intro: &'static str,
    pub card_number: &'static str,
    pub card_number_hint: &'static str,
    pub pin: &'static str,
    pub pin_hint: &'static str,
    pub keypad: &'static str,
    pub delete: &'static str,
    pub clear: &'static str,
    pub sign_in: &'static str,
    pub signing_in: &'static str,
    pub incomplete: &'static str,
    pub idle_title: &'static str,
    /// `{}` is the seconds left.
    pub idle_body: &'static str,
    pub keep_going: &'static str,
}

pub static ZH_CN: Kiosk = Kiosk {
    title: "工会会员服务终端",
    intro: "请刷会员卡或输入卡号，再输入6位密码。离开前请点“退出登录”；无人操作时会自动退出并清除信息。",
    card_number: "会员卡号",
    card_number_hint: "16至19位数字，卡面上的号码",
    pin: "密码",
    pin_hint: "6位数字",
    keypad: "数字键盘",
    delete: "删除",
    clear: "清空",
    sign_in: "登录",
    signing_in: "正在登录…",
    incomplete: "请输入完整的卡号和6位密码。",
    idle_title: "还在使用吗？",
    idle_body: "{}秒后将自动退出登录并清除您的信息。",
    keep_going: "继续使用",
};

pub static EN: Kiosk = Kiosk {
    title: "Union member service kiosk",
    intro: "Swipe your member card or type its number, then your 6-digit PIN. Sign out before you leave; when nobody uses the screen it signs out and clears your data.",
    card_number: "Card number",
    card_number_hint: "16 to 19 digits, as printed on the card",
    pin: "PIN",
    pin_hint: "6 digits",
    keypad: "Number keypad",
    delete: "Delete",
    clear: "Clear",
    sign_in: "Sign in",
    signing_in: "Signing in…",
    incomplete: "Enter the full card number and the 6-digit PIN.",
    idle_title: "Still there?",
    idle_body: "Signing out and clearing your data in {} s.",
    keep_going: "Keep going",
};
