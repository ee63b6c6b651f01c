//! Text of the member card, e-card and home page.
use contract::card::{CardStatus, NextStep};

/// Card text in one language.
pub struct CardText {
    pub ecard: &'static str,
    pub status: &'static str,
    pub card_number: &'static str,
    pub bank: &'static str,
    pub history: &'static str,
    pub next_step: &'static str,
    pub show_qr: &'static str,
    pub qr_label: &'static str,
    /// `{}` is seconds.
    pub qr_refresh_in: &'static str,
    pub qr_hint: &'static str,
    pub qr_unavailable: &'static str,
    /// Offline with no device key kept: the member code needs the server.
    pub qr_needs_network: &'static str,
    /// Offline code countdown; `{}` is seconds.
    pub offline_qr_changes_in: &'static str,
    pub offline_qr_hint: &'static str,
    /// Offline: when the remembered card was last updated (`{}` is the time).
    pub offline_as_of: &'static str,
    pub report_loss: &'static str,
    pub report_loss_intro: &'static str,
    pub reason: &'static str,
    pub reason_lost: &'static str,
    pub reason_stolen: &'static str,
    pub reason_damaged: &'static str,
    pub confirm_report: &'static str,
    pub reporting: &'static str,
    pub reported: &'static str,
    pub after_report: &'static str,
    pub activation_guide: &'static str,
    pub activation_steps: [&'static str; 3],
    pub notifications: &'static str,
    /// `{}` is the count.
    pub unread: &'static str,
    pub no_notifications: &'static str,
    pub quick_entries: &'static str,
    pub entry_offers: &'static str,
    pub entry_insurance: &'static str,
    pub entry_aid: &'static str,
    pub entry_centres: &'static str,
    pub greeting: &'static str,
    /// By `CardStatus` in declaration order.
    pub status_labels: [&'static str; 7],
    /// What each status means for the member, by `CardStatus` in declaration order.
    pub status_explanations: [&'static str; 7],
    /// By `NextStep` in declaration order.
    pub next_steps: [&'static str; 6],
    /// History entry names: applied, produced, issued, activated, reported_lost, frozen,
    /// unfrozen, cancelled, and any other.
    pub event_labels: [&'static str; 9],
}

pub static ZH_CN: CardText = CardText {
    ecard: "电子会员卡",
    status: "卡片状态",
    card_number: "卡号",
    bank: "合作银行",
    history: "办理记录",
    next_step: "下一步",
    show_qr: "出示会员码",
    qr_label: "会员码，供合作商户扫码核验",
    qr_refresh_in: "{}秒后自动刷新",
    qr_hint: "请向商户出示此码。截图无效，会员码每分钟更新。",
    qr_unavailable: "会员卡未激活，暂不能出示会员码。",
    qr_needs_network: "本机没有可用的离线会员码，需要联网才能出示。恢复网络后请刷新本页。",
    offline_qr_changes_in: "离线会员码，{}秒后更换",
    offline_qr_hint: "当前无网络，这是离线会员码：每30秒更换，每个码只能核验一次；退出登录或挂失后失效。",
    offline_as_of: "当前无网络，显示的是 {} 更新的会员卡信息。",
    report_loss: "挂失会员卡",
    report_loss_intro: "挂失后，卡内会员权益立即暂停，防止他人冒用。银行账户资金请同时拨打银行客服挂失。",
    reason: "挂失原因",
    reason_lost: "遗失",
    reason_stolen: "被盗",
    reason_damaged: "损坏",
    confirm_report: "确认挂失",
    reporting: "正在挂失…",
    reported: "已挂失",
    after_report: "已为您挂失。请携带本人身份证到中国银行网点补办新卡，补卡后会员权益自动恢复。",
    activation_guide: "激活指引",
    activation_steps: [
        "携带本人身份证原件；",
        "到任一中国银行网点柜台办理面签激活；",
        "激活后约1个工作日，会员权益自动开通。",
    ],
    notifications: "消息",
    unread: "{}条未读",
    no_notifications: "暂无消息",
    quick_entries: "常用服务",
    entry_offers: "普惠优惠",
    entry_insurance: "互助保障",
    entry_aid: "困难帮扶",
    entry_centres: "服务中心",
    greeting: "您好，",
    status_labels: [
        "未申领",
        "制卡中",
        "待激活",
        "正常",
        "已挂失",
        "已冻结",
        "已注销",
    ],
    status_explanations: [
        "您还没有会员服务卡。会员卡由所在基层工会统一申领。",
        "工会已为您申领，银行正在核实信息并制卡。",
        "卡片已制作完成，激活后即可使用会员权益。",
        "会员卡可正常使用，可享受普惠优惠、互助保障和帮扶资金到卡。",
        "会员卡已挂失，会员权益暂停。",
        "会籍失效，会员权益已暂停。恢复会籍后自动解冻。",
        "会员卡已注销。",
    ],
    next_steps: [
        "请联系所在基层工会申领会员卡。",
        "制卡约需15个工作日，完成后会通知您。",
        "请携带身份证到中国银行网点激活。",
        "请携带身份证到中国银行网点补办新卡。",
        "请联系所在工会办理会籍登记，或拨打 12351。",
        "如需重新办卡，请联系所在工会。",
    ],
    event_labels: [
        "工会申领",
        "银行制卡",
        "卡片发放",
        "面签激活",
        "挂失",
        "冻结（会籍失效）",
        "解冻",
        "注销",
        "其他",
    ],
};

pub static EN: CardText = CardText {
    ecard: "E-card",
    status: "Card status",
    card_number: "Card number",
    bank: "Partner bank",
    history: "History",
    next_step: "Next step",
    show_qr: "Show member code",
    qr_label: "Member code for partner merchants to scan",
    qr_refresh_in: "Refreshes in {} s",
    qr_hint: "Show this code to the merchant. Screenshots do not work: it changes every minute.",
    qr_unavailable: "The card is not active, so there is no member code yet.",
    qr_needs_network: "There is no offline member code on this phone, so showing the code needs a connection. Refresh this page when you are back online.",
    offline_qr_changes_in: "Offline member code, changes in {} s",
    offline_qr_hint: "No connection: this is your offline member code. It changes every 30 s, each code verifies once, and it stops working when you sign out or report the card lost.",
    offline_as_of: "No connection: showing your card as last updated at {}.",
    report_loss: "Report card lost",
    report_loss_intro: "Reporting stops the card's member services at once so nobody else can use them. Call your bank too to protect the account's money.",
    reason: "Reason",
    reason_lost: "Lost",
    reason_stolen: "Stolen",
    reason_damaged: "Damaged",
    confirm_report: "Confirm report",
    reporting: "Reporting…",
    reported: "Reported lost",
    after_report: "Your card is reported lost. Take your ID card to a Bank of China branch for a new card; member services return with it.",
    activation_guide: "How to activate",
    activation_steps: [
        "Bring your original ID card.",
        "Sign for the card at any Bank of China branch counter.",
        "Member services start about one working day after activation.",
    ],
    notifications: "Messages",
    unread: "{} unread",
    no_notifications: "No messages",
    quick_entries: "Services",
    entry_offers: "Offers",
    entry_insurance: "Cover",
    entry_aid: "Aid",
    entry_centres: "Centres",
    greeting: "Hello, ",
    status_labels: [
        "Not applied for",
        "Being made",
        "Awaiting activation",
        "Active",
        "Reported lost",
        "Frozen",
        "Cancelled",
    ],
    status_explanations: [
        "You have no member card yet. Your grassroots union applies for cards in batches.",
        "Your union has applied; the bank is checking your details and making the card.",
        "Your card is ready; activate it to start using member services.",
        "Your card works: member offers, mutual-aid cover and aid paid onto the card.",
        "The card is reported lost; member services are suspended.",
        "Your membership lapsed, so member services are suspended until it is renewed.",
        "The card is cancelled.",
    ],
    next_steps: [
        "Ask your grassroots union to apply for your card.",
        "Making a card takes about 15 working days; we will let you know.",
        "Take your ID card to a Bank of China branch to activate it.",
        "Take your ID card to a Bank of China branch for a new card.",
        "Ask your union to renew your membership, or call 12351.",
        "To get a new card, contact your union.",
    ],
    event_labels: [
        "Applied by union",
        "Made by bank",
        "Issued",
        "Activated",
        "Reported lost",
        "Frozen (membership lapsed)",
        "Unfrozen",
        "Cancelled",
        "Other",
    ],
};

const EVENT_KINDS: [&str; 8] = [
    "applied",
    "produced",
    "issued",
    "activated",
    "reported_lost",
    "frozen",
    "unfrozen",
    "cancelled",
];

impl CardText {
    /// The status in a few words.
    pub fn status_label(&self, status: CardStatus) -> &'static str {
        self.status_labels[status as usize]
    }

    /// What the status means for the member, in plain words.
    pub fn status_explained(&self, status: CardStatus) -> &'static str {
        self.status_explanations[status as usize]
    }

    /// The next step in a sentence.
    pub fn next_step_text(&self, step: NextStep) -> &'static str {
        self.next_steps[step as usize]
    }

    /// A history entry's name.
    pub fn event_label(&self, kind: &str) -> &'static str {
        let index = EVENT_KINDS
            .iter()
            .position(|k| *k == kind)
            .unwrap_or(EVENT_KINDS.len());
        self.event_labels[index]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_line_up_with_the_enums() {
        assert_eq!(ZH_CN.status_label(CardStatus::AwaitingActivation), "待激活");
        assert_eq!(EN.status_label(CardStatus::Cancelled), "Cancelled");
        assert_eq!(
            ZH_CN.next_step_text(NextStep::ActivateAtBank),
            "请携带身份证到中国银行网点激活。"
        );
        assert_eq!(EN.event_label("reported_lost"), "Reported lost");
        assert_eq!(ZH_CN.event_label("something-new"), "其他");
    }
}
