//! Text of the privacy notice, reached through a method so it travels with the notice's chunk
//! rather than the first load.

/// The notice's paragraphs in one language.
pub type PrivacyText = [&'static str; 4];

pub static ZH_CN: PrivacyText = [
    "我们仅为提供会员服务处理您的个人信息：姓名、身份证号码、手机号、所属工会、会员卡信息，以及您申请帮扶时提交的材料。",
    "身份证号码和手机号在页面上始终部分遮盖；完整号码只保存在工会服务器上，不会发送到您的手机或浏览器。",
    "尚未提交的帮扶申请及其照片、材料保存在本机，提交成功后即删除。退出登录时，本机保存的会员数据会全部清除；语言和大字等显示设置仍保留在本机。",
    "如需查询、更正或删除您的信息，请联系所在工会或拨打 12351。",
];

pub static EN: PrivacyText = [
    "We process your personal data only to provide member services: name, ID number, phone number, union, card details, and what you submit when applying for aid.",
    "ID and phone numbers are always partly masked on screen; full numbers stay on the union's server and are never sent to your phone or browser.",
    "An aid application not yet sent, with its photos and documents, is kept on this device and deleted once it is sent. Signing out removes every member datum kept on this device; display settings such as language and large text stay.",
    "To see, correct or delete your data, contact your union or call 12351.",
];
