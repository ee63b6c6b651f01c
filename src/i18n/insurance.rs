//! Text of the mutual-aid insurance screens (互助保障).
use contract::insurance::{ClaimStatus, EntitlementReason, EntitlementStatus};

/// The screens' text in one language.
pub struct InsuranceText {
    pub intro: &'static str,
    pub none: &'static str,
    pub sum_insured: &'static str,
    pub period: &'static str,
    pub period_open: &'static str,
    pub claims_count: &'static str,
    pub details: &'static str,
    pub covers: &'static str,
    pub exclusions: &'static str,
    pub how_to_claim: &'static str,
    pub documents: &'static str,
    pub hotline: &'static str,
    pub claims: &'static str,
    pub no_claims: &'static str,
    pub claimed: &'static str,
    pub approved: &'static str,
    pub paid_to: &'static str,
    pub back: &'static str,
    /// By `EntitlementStatus` in declaration order.
    pub status_labels: [&'static str; 4],
    /// By `EntitlementReason` in declaration order.
    pub reasons: [&'static str; 6],
    /// By `ClaimStatus` in declaration order.
    pub claim_labels: [&'static str; 6],
}

impl InsuranceText {
    pub fn status_label(&self, status: EntitlementStatus) -> &'static str {
        self.status_labels[status as usize]
    }

    pub fn reason(&self, reason: EntitlementReason) -> &'static str {
        self.reasons[reason as usize]
    }

    pub fn claim_label(&self, status: ClaimStatus) -> &'static str {
        self.claim_labels[status as usize]
    }
}

pub static ZH_CN: InsuranceText = InsuranceText {
    intro: "工会会员免费享有的互助保障。保障随会员卡激活生效，出险后按下方指引申请理赔。",
    none: "暂无保障。会员卡激活后，工会为您办理的互助保障会显示在这里。",
    sum_insured: "保障金额",
    period: "保障期间",
    period_open: "会员卡激活后开始",
    claims_count: "理赔记录",
    details: "查看详情",
    covers: "保障内容",
    exclusions: "不保障的情形",
    how_to_claim: "如何申请理赔",
    documents: "需要准备的材料",
    hotline: "理赔咨询电话",
    claims: "我的理赔",
    no_claims: "暂无理赔记录。",
    claimed: "申请金额",
    approved: "核定金额",
    paid_to: "赔款打入",
    back: "返回我的保障",
    status_labels: ["保障中", "待生效", "已暂停", "已到期"],
    reasons: [
        "您还没有会员卡：请联系所在基层工会申领，激活后开始保障。",
        "会员卡正在制作：激活后开始保障。",
        "待生效：请携带身份证到中国银行网点激活会员卡，激活后开始保障。",
        "会籍失效，保障暂停：恢复会籍后自动恢复。",
        "会员卡已注销，保障已终止。",
        "保障期已结束。",
    ],
    claim_labels: [
        "已提交",
        "审核中",
        "需补充材料",
        "已核准",
        "已赔付",
        "未通过",
    ],
};

pub static EN: InsuranceText = InsuranceText {
    intro: "Mutual-aid cover that union members get free. Cover starts when your member card is activated; if something happens, claim as shown below.",
    none: "No cover yet. Once your member card is active, the cover your union arranges appears here.",
    sum_insured: "Sum insured",
    period: "Period of cover",
    period_open: "Starts when your card is activated",
    claims_count: "Claims",
    details: "Details",
    covers: "What is covered",
    exclusions: "What is not covered",
    how_to_claim: "How to claim",
    documents: "Documents you need",
    hotline: "Claims hotline",
    claims: "My claims",
    no_claims: "No claims yet.",
    claimed: "Claimed",
    approved: "Approved",
    paid_to: "Paid to",
    back: "Back to my cover",
    status_labels: ["Covered", "Not started", "Paused", "Ended"],
    reasons: [
        "You have no member card yet: ask your union to apply for one; cover starts when it is activated.",
        "Your member card is being made: cover starts once it is activated.",
        "Pending: take your ID card to a Bank of China branch to activate your member card; cover starts then.",
        "Membership lapsed, cover paused: it resumes when your membership does.",
        "Your member card was cancelled, so the cover has ended.",
        "The period of cover is over.",
    ],
    claim_labels: [
        "Submitted",
        "Under review",
        "More documents needed",
        "Approved",
        "Paid",
        "Not approved",
    ],
};
