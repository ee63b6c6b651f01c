-- Member offers (普惠优惠): the city's districts, partner merchants, their offers, and the
-- coupons members claim for limited offers. Same portable conventions as 0001: TEXT ids,
-- BIGINT numbers (coordinates in micro-degrees, times in Unix seconds), dates 'YYYY-MM-DD'.

CREATE TABLE offer_districts (
    code TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    sort_order BIGINT NOT NULL
);

CREATE TABLE merchants (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    -- One of the contract's OfferCategory codes (dining, transport, medical, …).
    category TEXT NOT NULL,
    district TEXT NOT NULL REFERENCES offer_districts (code),
    address TEXT NOT NULL,
    phone TEXT NOT NULL,
    lat_e6 BIGINT NOT NULL,
    lng_e6 BIGINT NOT NULL
);
CREATE INDEX merchants_by_category ON merchants (category);
CREATE INDEX merchants_by_district ON merchants (district);

CREATE TABLE offers (
    id TEXT PRIMARY KEY,
    merchant_id TEXT NOT NULL REFERENCES merchants (id),
    discount_zh TEXT NOT NULL,
    discount_en TEXT NOT NULL,
    terms_zh TEXT NOT NULL,
    terms_en TEXT NOT NULL,
    -- show_card, pay_with_card or coupon.
    redemption TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    -- Limited offers only (NULL = unlimited). stock_left never goes below zero: claims take
    -- one with a conditional UPDATE inside the claim's transaction.
    stock_total BIGINT,
    stock_left BIGINT,
    CHECK (stock_left IS NULL OR stock_left >= 0)
);
CREATE INDEX offers_by_merchant ON offers (merchant_id);
CREATE INDEX offers_by_validity ON offers (valid_until);

CREATE TABLE coupons (
    id TEXT PRIMARY KEY,
    offer_id TEXT NOT NULL REFERENCES offers (id),
    member_id TEXT NOT NULL REFERENCES members (id),
    code TEXT NOT NULL UNIQUE,
    claimed_at BIGINT NOT NULL,
    used_at BIGINT,
    -- One coupon per member and offer, whatever the concurrency.
    UNIQUE (offer_id, member_id)
);
CREATE INDEX coupons_by_member ON coupons (member_id, claimed_at);
