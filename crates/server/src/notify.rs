//! Writing notifications, inside the transaction of the change they report.
use sqlx::{Any, Transaction};

use crate::crypto::new_sortable_id;

/// One message for a member, in both languages.
pub struct Message<'a> {
    pub kind: &'a str,
    pub title_zh: &'a str,
    pub title_en: &'a str,
    pub body_zh: &'a str,
    pub body_en: &'a str,
}

pub async fn send(
    tx: &mut Transaction<'_, Any>,
    member_id: &str,
    message: Message<'_>,
    now: i64,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO notifications (id, member_id, kind, title_zh, title_en, body_zh, body_en, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_sortable_id("ntf"))
    .bind(member_id)
    .bind(message.kind)
    .bind(message.title_zh)
    .bind(message.title_en)
    .bind(message.body_zh)
    .bind(message.body_en)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub async fn card_reported_lost(
    tx: &mut Transaction<'_, Any>,
    member_id: &str,
    now: i64,
) -> sqlx::Result<()> {
    let message = Message {
        kind: "card",
        title_zh: "会员卡已挂失",
        title_en: "Card reported lost",
        body_zh: "您的会员服务卡已挂失，卡内会员权益暂停使用。请携带身份证到合作银行网点补办新卡。",
        body_en: "Your member card is reported lost and its member services are suspended. Take your ID card to a partner bank branch for a replacement.",
    };
    send(tx, member_id, message, now).await
}
