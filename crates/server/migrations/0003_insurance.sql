-- Mutual-aid insurance (互助保障): plans, each member's entitlements and their claims.
-- An entitlement's status is not stored: it follows from the card's state and the dates.

CREATE TABLE insurance_plans (
    id TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    sum_insured_fen BIGINT NOT NULL,
    covers_zh TEXT NOT NULL,
    covers_en TEXT NOT NULL,
    exclusions_zh TEXT NOT NULL,
    exclusions_en TEXT NOT NULL,
    -- One document per line.
    documents_zh TEXT NOT NULL,
    documents_en TEXT NOT NULL,
    how_to_claim_zh TEXT NOT NULL,
    how_to_claim_en TEXT NOT NULL,
    hotline TEXT NOT NULL,
    -- 1 for plans given with card activation (激活大礼包).
    activation_gift BIGINT NOT NULL,
    sort_order BIGINT NOT NULL
);

CREATE TABLE insurance_entitlements (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL REFERENCES members (id),
    plan_id TEXT NOT NULL REFERENCES insurance_plans (id),
    sum_insured_fen BIGINT NOT NULL,
    -- NULL until cover starts (the card's activation).
    covered_from TEXT,
    covered_until TEXT
);
CREATE INDEX insurance_entitlements_by_member ON insurance_entitlements (member_id);

CREATE TABLE insurance_claims (
    id TEXT PRIMARY KEY,
    entitlement_id TEXT NOT NULL REFERENCES insurance_entitlements (id),
    member_id TEXT NOT NULL REFERENCES members (id),
    incident_zh TEXT NOT NULL,
    incident_en TEXT NOT NULL,
    incident_on TEXT NOT NULL,
    claimed_fen BIGINT NOT NULL,
    approved_fen BIGINT,
    status TEXT NOT NULL,
    -- The card number paid to, once paid (shown masked).
    paid_to_card TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX insurance_claims_by_entitlement ON insurance_claims (entitlement_id, created_at);

CREATE TABLE insurance_claim_events (
    id TEXT PRIMARY KEY,
    claim_id TEXT NOT NULL REFERENCES insurance_claims (id),
    status TEXT NOT NULL,
    at BIGINT NOT NULL,
    note_zh TEXT,
    note_en TEXT
);
CREATE INDEX insurance_claim_events_by_claim ON insurance_claim_events (claim_id, at);
