//! Text of the partner discounts screens (普惠优惠).
use contract::offers::{CouponStatus, OfferCategory, Redemption};

/// The screens' text in one language.
pub struct OffersText {
    pub all: &'static str,
    pub search: &'static str,
    pub category: &'static str,
    pub district: &'static str,
    pub all_districts: &'static str,
    pub none: &'static str,
    pub load_more: &'static str,
    pub valid_until: &'static str,
    pub stock_left: &'static str,
    pub sold_out: &'static str,
    pub terms: &'static str,
    pub how_to_redeem: &'static str,
    pub address: &'static str,
    pub open_map: &'static str,
    pub call: &'static str,
    pub claim: &'static str,
    pub claiming: &'static str,
    pub claimed: &'static str,
    /// The claim section's title once the member holds the coupon.
    pub your_coupon: &'static str,
    /// Announced when a claim succeeds.
    pub claim_succeeded: &'static str,
    /// `{}` is the card's status, e.g. `未申领`.
    pub card_cannot_claim: &'static str,
    pub see_card: &'static str,
    pub coupon_code: &'static str,
    pub my_coupons: &'static str,
    pub no_coupons: &'static str,
    pub back: &'static str,
    pub nearby: &'static str,
    pub nearby_hint: &'static str,
    pub locating: &'static str,
    pub location_denied: &'static str,
    pub location_unavailable: &'static str,
    /// `{}米` / `{} m`.
    pub metres: &'static str,
    /// `{}公里` / `{} km`.
    pub kilometres: &'static str,
    pub distance: &'static str,
    /// By `Redemption` in declaration order.
    pub redemption: [&'static str; 3],
    /// By `CouponStatus` in declaration order.
    pub coupon_status: [&'static str; 3],
    /// Whether category names are the Chinese or the English of `OfferCategory::labels`.
    pub chinese_categories: bool,
}

impl OffersText {
    pub fn category_name(&self, category: OfferCategory) -> &'static str {
        let (zh, en) = category.labels();
        if self.chinese_categories { zh } else { en }
    }

    pub fn redemption_text(&self, redemption: Redemption) -> &'static str {
        self.redemption[redemption as usize]
    }

    pub fn coupon_status_text(&self, status: CouponStatus) -> &'static str {
        self.coupon_status[status as usize]
    }
}

pub static ZH_CN: OffersText = OffersText {
    all: "全部",
    search: "搜索商户或优惠",
    category: "类别",
    district: "区域",
    all_districts: "全部区域",
    none: "没有符合条件的优惠，换个类别或区域试试。",
    load_more: "加载更多",
    valid_until: "有效期至",
    stock_left: "剩余{}份",
    sold_out: "已领完",
    terms: "使用说明",
    how_to_redeem: "使用方式",
    address: "地址",
    open_map: "在地图中查看",
    call: "拨打商户电话",
    claim: "领取优惠券",
    claiming: "正在领取…",
    claimed: "已领取",
    your_coupon: "我的优惠券",
    claim_succeeded: "领取成功！结账时向收银员出示下方券码或二维码即可使用。",
    card_cannot_claim: "会员卡{}，暂时不能领取优惠券",
    see_card: "查看我的会员卡",
    coupon_code: "券码",
    my_coupons: "我的优惠券",
    no_coupons: "还没有领取优惠券。",
    back: "返回优惠列表",
    nearby: "离我最近",
    nearby_hint: "点“离我最近”并允许定位，按距离排序。位置只用于这次排序，不会保存到服务器。",
    locating: "正在获取您的位置…",
    location_denied: "没有定位权限，无法按距离排序。可以在微信或浏览器设置中允许定位，或按区域查找。",
    location_unavailable: "暂时无法获取您的位置，请稍后再试，或按区域查找。",
    metres: "{}米",
    kilometres: "{}公里",
    distance: "距离",
    redemption: [
        "结账时出示电子会员卡即可享受。",
        "使用工会会员卡支付即可享受。",
        "领取优惠券后，结账时出示券码。",
    ],
    coupon_status: ["未使用", "已使用", "已过期"],
    chinese_categories: true,
};

pub static EN: OffersText = OffersText {
    all: "All",
    search: "Search merchants or offers",
    category: "Category",
    district: "District",
    all_districts: "All districts",
    none: "No offers match. Try another category or district.",
    load_more: "Load more",
    valid_until: "Valid until",
    stock_left: "{} left",
    sold_out: "Sold out",
    terms: "Terms",
    how_to_redeem: "How to redeem",
    address: "Address",
    open_map: "Open in a map",
    call: "Call the merchant",
    claim: "Claim coupon",
    claiming: "Claiming…",
    claimed: "Claimed",
    your_coupon: "Your coupon",
    claim_succeeded: "Claimed! Show the code or QR code below to the cashier when you pay.",
    card_cannot_claim: "Member card: {}. You cannot claim coupons yet",
    see_card: "See my member card",
    coupon_code: "Coupon code",
    my_coupons: "My coupons",
    no_coupons: "No coupons claimed yet.",
    back: "Back to offers",
    nearby: "Nearest first",
    nearby_hint: "Tap \"Nearest first\" and allow location to sort by distance. Your location is used only for this sorting and never stored on the server.",
    locating: "Finding your location…",
    location_denied: "No permission to use your location, so offers cannot be sorted by distance. Allow location in WeChat or browser settings, or choose a district.",
    location_unavailable: "Your location is not available right now. Try again later, or choose a district.",
    metres: "{} m",
    kilometres: "{} km",
    distance: "Distance",
    redemption: [
        "Show your member e-card when you pay.",
        "Pay with your union member card.",
        "Claim the coupon, then show its code when you pay.",
    ],
    coupon_status: ["Unused", "Used", "Expired"],
    chinese_categories: false,
};
