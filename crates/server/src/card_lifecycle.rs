//! The card's life as the bank and the union system report it: which event moves a card from
//! which status to which, recorded with its history entry and a notification in one transaction.
use contract::card::CardStatus;

use crate::AppState;
use crate::crypto::new_sortable_id;
use crate::notify::{self, Message};

/// Something that happens to a card outside the portal (at the bank, in the union system).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum CardEventKind {
    /// The grassroots union applied for the card in a batch.
    Applied,
    /// The bank issued the card; it waits for face-to-face activation.
    Issued,
    /// Activated at the bank with the member's signature.
    Activated,
    /// Reported lost at the bank.
    ReportedLost,
    /// Membership lapsed: member functions are restricted.
    Frozen,
    /// Membership restored.
    Unfrozen,
    /// Cancelled at the bank.
    Cancelled,
    /// A replacement for a lost or cancelled card is being made.
    Replaced,
}

impl CardEventKind {
    /// The history entry's kind, as the contract documents it.
    pub fn as_str(self) -> &'static str {
        match self {
            CardEventKind::Applied => "applied",
            CardEventKind::Issued => "issued",
            CardEventKind::Activated => "activated",
            CardEventKind::ReportedLost => "reported_lost",
            CardEventKind::Frozen => "frozen",
            CardEventKind::Unfrozen => "unfrozen",
            CardEventKind::Cancelled => "cancelled",
            CardEventKind::Replaced => "replaced",
        }
    }

    /// A lost or cancelled card ends every session of its member.
    pub fn ends_sessions(self) -> bool {
        matches!(self, CardEventKind::ReportedLost | CardEventKind::Cancelled)
    }

    /// The status after this event, or `None` when the event makes no sense in `from`.
    pub fn transition(self, from: CardStatus) -> Option<CardStatus> {
        use CardStatus::*;
        match (self, from) {
            (CardEventKind::Applied, NotApplied) => Some(InProduction),
            (CardEventKind::Issued, InProduction) => Some(AwaitingActivation),
            (CardEventKind::Activated, AwaitingActivation) => Some(Active),
            (CardEventKind::ReportedLost, s) if s.can_report_loss() => Some(ReportedLost),
            (CardEventKind::Frozen, Active) => Some(Frozen),
            (CardEventKind::Unfrozen, Frozen) => Some(Active),
            (CardEventKind::Cancelled, InProduction | AwaitingActivation | Active)
            | (CardEventKind::Cancelled, ReportedLost | Frozen) => Some(Cancelled),
            (CardEventKind::Replaced, ReportedLost | Cancelled) => Some(InProduction),
            _ => None,
        }
    }

    fn message(self) -> Message<'static> {
        let (title_zh, title_en, body_zh, body_en) = match self {
            CardEventKind::Applied => (
                "会员卡申领已提交",
                "Card application submitted",
                "您所在工会已为您申领会员服务卡，银行正在制卡，请耐心等待。",
                "Your union has applied for your member card; the bank is making it.",
            ),
            CardEventKind::Issued => (
                "会员卡已制作完成",
                "Your member card is ready",
                "请携带本人身份证到合作银行网点面签激活，激活后即可享受会员权益。",
                "Take your ID card to a partner bank branch to sign for and activate it.",
            ),
            CardEventKind::Activated => (
                "会员卡已激活",
                "Card activated",
                "您的会员服务卡已激活，现在可以使用电子会员卡、领取普惠优惠和享受互助保障。",
                "Your member card is active: use the e-card, claim offers and enjoy mutual-aid cover.",
            ),
            CardEventKind::ReportedLost => (
                "会员卡已挂失",
                "Card reported lost",
                "您的会员服务卡已挂失，卡内会员权益暂停使用。请携带身份证到合作银行网点补办新卡。",
                "Your member card is reported lost and its member services are suspended. Take your ID card to a partner bank branch for a replacement.",
            ),
            CardEventKind::Frozen => (
                "会员卡会员功能已冻结",
                "Card member functions frozen",
                "您的会籍已失效，会员卡的会员功能暂停使用。请联系所在工会办理会籍续转。",
                "Your membership has lapsed, so the card's member functions are paused. Contact your union to renew it.",
            ),
            CardEventKind::Unfrozen => (
                "会员卡已恢复使用",
                "Card restored",
                "您的会籍已恢复，会员卡的会员功能可以正常使用了。",
                "Your membership is restored and the card's member functions work again.",
            ),
            CardEventKind::Cancelled => (
                "会员卡已注销",
                "Card cancelled",
                "您的会员服务卡已注销。如需重新办卡，请联系所在工会。",
                "Your member card is cancelled. Contact your union to apply for a new one.",
            ),
            CardEventKind::Replaced => (
                "补办新卡制作中",
                "Replacement card in production",
                "银行正在为您制作新的会员服务卡，制作完成后会通知您。",
                "The bank is making your replacement card; you will be told when it is ready.",
            ),
        };
        Message {
            kind: "card",
            title_zh,
            title_en,
            body_zh,
            body_en,
        }
    }
}

/// Why an event could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    #[error("no member card found for that member")]
    NoCard,
    #[error("a card that is {from} cannot be {event}")]
    NotAllowed {
        from: &'static str,
        event: &'static str,
    },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Applies `event` to the card of `member_id`; returns the new status. The status condition in
/// the update makes a concurrent second event a refused no-op, never a double transition.
/// The card as a transition reads it.
#[derive(sqlx::FromRow)]
struct CardRow {
    id: String,
    status: String,
    number: Option<String>,
}

pub async fn apply(
    state: &AppState,
    member_id: &str,
    event: CardEventKind,
    detail: Option<&str>,
) -> Result<CardStatus, LifecycleError> {
    let row: Option<CardRow> =
        sqlx::query_as("SELECT id, status, number FROM cards WHERE member_id = $1")
            .bind(member_id)
            .fetch_optional(&state.db)
            .await?;
    let CardRow {
        id: card_id,
        status,
        number,
    } = row.ok_or(LifecycleError::NoCard)?;
    let from = CardStatus::parse(&status).unwrap_or(CardStatus::Cancelled);
    let not_allowed = || LifecycleError::NotAllowed {
        from: from.as_str(),
        event: event.as_str(),
    };
    let to = event.transition(from).ok_or_else(not_allowed)?;
    let now = state.clock.now();
    let today = crate::clock::china_date(now);
    let number = match event {
        CardEventKind::Issued if number.is_none() => Some(new_card_number()),
        CardEventKind::Replaced => None,
        _ => number,
    };
    let mut tx = state.db.begin().await?;
    let changed = sqlx::query(
        "UPDATE cards SET status = $1, number = $2,
             applied_on = CASE WHEN $3 = 'applied' THEN $4 ELSE applied_on END,
             issued_on = CASE WHEN $3 = 'issued' THEN $4 ELSE issued_on END,
             activated_on = CASE WHEN $3 = 'activated' THEN $4 ELSE activated_on END
         WHERE id = $5 AND status = $6",
    )
    .bind(to.as_str())
    .bind(&number)
    .bind(event.as_str())
    .bind(&today)
    .bind(&card_id)
    .bind(from.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(not_allowed());
    }
    sqlx::query(
        "INSERT INTO card_events (id, card_id, kind, at, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(new_sortable_id("cev"))
    .bind(&card_id)
    .bind(event.as_str())
    .bind(now)
    .bind(detail)
    .execute(&mut *tx)
    .await?;
    let membership = match event {
        CardEventKind::Frozen => Some("lapsed"),
        CardEventKind::Unfrozen => Some("active"),
        _ => None,
    };
    if let Some(membership) = membership {
        sqlx::query("UPDATE members SET membership_status = $1 WHERE id = $2")
            .bind(membership)
            .bind(member_id)
            .execute(&mut *tx)
            .await?;
    }
    if event.ends_sessions() {
        // Whoever holds the card and PIN, or a session left open somewhere, loses access now.
        crate::sessions::end_all_of_member(&mut tx, member_id, None).await?;
    }
    notify::send(&mut tx, member_id, event.message(), now).await?;
    tx.commit().await?;
    Ok(to)
}

/// A UnionPay-style 16-digit number under the partner bank's `6217` prefix.
fn new_card_number() -> String {
    use rand::Rng;
    let rest: u64 = rand::rngs::OsRng.gen_range(0..1_000_000_000_000);
    format!("6217{rest:012}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bank_path_leads_from_application_to_an_active_card() {
        let mut status = CardStatus::NotApplied;
        for event in [
            CardEventKind::Applied,
            CardEventKind::Issued,
            CardEventKind::Activated,
        ] {
            status = event.transition(status).expect("allowed");
        }
        assert_eq!(status, CardStatus::Active);
    }

    #[test]
    fn events_out_of_order_are_refused() {
        assert_eq!(
            CardEventKind::Activated.transition(CardStatus::NotApplied),
            None
        );
        assert_eq!(
            CardEventKind::ReportedLost.transition(CardStatus::NotApplied),
            None
        );
        assert_eq!(CardEventKind::Unfrozen.transition(CardStatus::Active), None);
        assert_eq!(
            CardEventKind::Cancelled.transition(CardStatus::Cancelled),
            None
        );
    }

    #[test]
    fn a_lost_card_can_be_replaced() {
        assert_eq!(
            CardEventKind::Replaced.transition(CardStatus::ReportedLost),
            Some(CardStatus::InProduction)
        );
    }
}
