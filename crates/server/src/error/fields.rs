//! The one wording of field problems: every 422 `validation_failed` says what is wrong with
//! each field through this table, in both languages.
use crate::lang::Lang;

/// The wording of a field problem code.
pub fn field_message(code: &str, lang: Lang) -> &'static str {
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
        "invalid_phone" => (
            "手机号应为以13–19开头的11位数字。",
            "A mainland mobile number is 11 digits starting with 13–19.",
        ),
        "invalid_code" => ("验证码为6位数字。", "The code is 6 digits."),
        "invalid_url" => ("链接地址不正确。", "The address is not valid."),
        "invalid_bind_token" => (
            "微信绑定已失效，请重新进入。",
            "The WeChat binding has expired. Please start again.",
        ),
        _ => ("此项有误。", "This field is not valid."),
    };
    lang.pick(zh, en)
}
