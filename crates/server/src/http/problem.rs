//! Refusals with their own code and wording, for the offers, insurance and aid resources.
//!
//! `ApiError` covers the generic failures; a `Refusal` says precisely why a domain rule said no
//! (`sold_out`, `window_closed`, `unsupported_file_type` …) in both languages, and carries
//! field details worded per field. Both render the contract's error envelope the same way,
//! including the English swap done by `error::localise`.
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use contract::aid::FieldProblem;
use contract::error::{ErrorEnvelope, FieldError};

use crate::error::{ApiError, EnglishEnvelope};
use crate::extract::Lang;

/// A domain rule's "no", in both languages.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub status: StatusCode,
    pub code: &'static str,
    pub zh: String,
    pub en: String,
    pub fields: Vec<FieldProblem>,
}

impl Refusal {
    pub fn new(status: StatusCode, code: &'static str, zh: &str, en: &str) -> Self {
        Self {
            status,
            code,
            zh: zh.to_owned(),
            en: en.to_owned(),
            fields: Vec::new(),
        }
    }

    /// 409: the resource's state does not allow it.
    pub fn conflict(code: &'static str, zh: &str, en: &str) -> Self {
        Self::new(StatusCode::CONFLICT, code, zh, en)
    }

    /// 422 `validation_failed` with field details.
    pub fn invalid(fields: Vec<FieldProblem>) -> Self {
        Self {
            fields,
            ..Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                "填写的内容有误，请按提示修改。",
                "Some fields need correcting.",
            )
        }
    }

    /// 422 for one field.
    pub fn invalid_field(field: &str, code: &'static str) -> Self {
        Self::invalid(vec![FieldProblem {
            field: field.to_owned(),
            code,
        }])
    }

    /// 409 `card_not_active`: the service needs an active member card.
    pub fn card_not_active() -> Self {
        Self::conflict(
            "card_not_active",
            "您的会员服务卡当前不可用（未激活、已挂失、已冻结或已注销），暂时无法办理此项服务。",
            "Your member card is not active (not yet activated, reported lost, frozen or cancelled), so this service is not available.",
        )
    }

    fn envelope(&self, lang: Lang) -> ErrorEnvelope {
        let mut envelope = ErrorEnvelope::new(self.code, lang.pick(&self.zh, &self.en));
        envelope.fields = self
            .fields
            .iter()
            .map(|p| FieldError {
                field: p.field.clone(),
                code: p.code.to_owned(),
                message: field_message(p.code, lang).to_owned(),
            })
            .collect();
        envelope
    }
}

/// The wording of a field problem code.
fn field_message(code: &str, lang: Lang) -> &'static str {
    let (zh, en) = match code {
        "required" => ("此项必填。", "This is required."),
        "too_short" => ("内容太短，请写得详细一些。", "Too short; please say more."),
        "too_long" => ("内容太长。", "Too long."),
        "too_many" => ("数量超过上限。", "Too many entries."),
        "duplicate" => ("与前面的内容重复。", "This repeats an earlier entry."),
        "not_applicable" => (
            "该项目不需要填写此项。",
            "This program does not take this field.",
        ),
        "must_accept" => (
            "请阅读并确认承诺书。",
            "Please read and accept the declaration.",
        ),
        "invalid_amount" => (
            "金额须为不小于零的整数（单位：分）。",
            "An amount must be a whole number of fen, not negative.",
        ),
        "invalid_year" => ("年份不正确。", "The year is not valid."),
        "invalid_id_format" => (
            "身份证号应为18位，最后一位可以是数字或X。",
            "A resident ID number is 17 digits followed by a digit or X.",
        ),
        "invalid_id_birth_date" => (
            "身份证号中的出生日期不正确。",
            "The birth date in the ID number is not a real date.",
        ),
        "invalid_id_check_digit" => (
            "身份证号校验位不符，请检查是否输错。",
            "The ID number's check digit does not match; a digit may be mistyped.",
        ),
        "not_own_id" => (
            "本人一行的身份证号与会员登记的身份证号不一致，请填写申请人本人的身份证号。",
            "The applicant's own row must carry the ID number on the member's record; enter the applicant's own ID number.",
        ),
        "attachment_not_found" => (
            "找不到该附件，请重新上传。",
            "That document was not found; please upload it again.",
        ),
        "unknown_program" => ("找不到该帮扶项目。", "No such aid program."),
        "unknown_category" => ("没有这个分类。", "No such category."),
        "unknown_district" => ("没有这个区。", "No such district."),
        "out_of_range" => ("数值超出允许范围。", "The value is out of range."),
        "not_a_number" => ("应为数字。", "This must be a number."),
        "invalid_cursor" => (
            "分页标记无效，请从第一页重新加载。",
            "The page marker is not valid; load from the first page again.",
        ),
        _ => ("此项有误。", "This field is not valid."),
    };
    lang.pick(zh, en)
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(self.envelope(Lang::Zh))).into_response();
        response
            .extensions_mut()
            .insert(EnglishEnvelope(self.envelope(Lang::En)));
        response
    }
}

/// What the handlers of these resources fail with.
#[derive(Debug)]
pub enum Failure {
    Api(ApiError),
    Refused(Refusal),
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Self {
        Failure::Api(error)
    }
}

impl From<Refusal> for Failure {
    fn from(refusal: Refusal) -> Self {
        Failure::Refused(refusal)
    }
}

impl From<sqlx::Error> for Failure {
    fn from(error: sqlx::Error) -> Self {
        Failure::Api(error.into())
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        match self {
            Failure::Api(error) => error.into_response(),
            Failure::Refused(refusal) => refusal.into_response(),
        }
    }
}

pub type Outcome<T> = Result<T, Failure>;

/// Today's date in China Standard Time, `YYYY-MM-DD`, for comparing with stored dates.
pub fn china_date(unix: i64) -> String {
    let offset = chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset");
    chrono::DateTime::from_timestamp(unix, 0)
        .unwrap_or_default()
        .with_timezone(&offset)
        .format("%Y-%m-%d")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_in_china_standard_time() {
        // 2026-01-01T16:30:00Z is already 2 January in Beijing.
        assert_eq!(china_date(1_767_285_000), "2026-01-02");
    }

    #[test]
    fn field_problems_are_worded_in_both_languages() {
        let refusal = Refusal::invalid_field("hardship", "too_short");
        let zh = refusal.envelope(Lang::Zh);
        let en = refusal.envelope(Lang::En);
        assert_eq!(zh.fields[0].field, "hardship");
        assert_eq!(zh.fields[0].code, "too_short");
        assert_ne!(zh.fields[0].message, en.fields[0].message);
        assert_eq!(en.code, "validation_failed");
    }
}
