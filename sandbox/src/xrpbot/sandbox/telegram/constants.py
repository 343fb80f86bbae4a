"""The Bot API names and limits the stand-in checks (tdlib/telegram-bot-api `Client.cpp`, Bot API 10.0)."""

from __future__ import annotations

from typing import Final

DEFAULT_TOKEN: Final = "123456789:sandbox-local-token"  # noqa: S105  public sandbox test token
"""The token the stand-in knows unless told otherwise."""

TEXT_LENGTH_MAX: Final = 4096
"""sendMessage: "Text of the message to be sent, 1-4096 characters after entities parsing"."""
CAPTION_LENGTH_MAX: Final = 1024
"""sendPhoto: "Photo caption ... 0-1024 characters after entities parsing"."""
CALLBACK_DATA_MAX_BYTES: Final = 64
"""InlineKeyboardButton.callback_data: "Data to be sent in a callback query ..., 1-64 bytes"."""
RAW_TEXT_MAX_BYTES: Final = 1 << 15
"""Client::get_formatted_text: longer raw text is refused with "Text is too long"."""
LONG_POLL_MAX_TIMEOUT: Final = 50
"""Client.h LONG_POLL_MAX_TIMEOUT: getUpdates' timeout is clamped to 0..50."""
WEBHOOK_MAX_RESEND_TIMEOUT: Final = 60
"""WebhookActor.h: the retry delay doubles up to a random value in [60, 120] seconds."""

NOT_MODIFIED: Final = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
GETUPDATES_CONFLICT: Final = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


def words(text: str) -> tuple[str, ...]:
    """The whitespace-separated words of `text`."""
    return tuple(text.split())


# Client::init_methods (tdlib/telegram-bot-api, Bot API 10.0): every method name the real server
# knows. A name outside this set is answered 404 "Not Found"; a real method this stand-in does not
# implement gets a 500 that says so, rather than a misleading "Not Found".
KNOWN_METHODS: Final = frozenset(
    words(
        """getme getmycommands setmycommands deletemycommands getmydefaultadministratorrights
    setmydefaultadministratorrights getmyname setmyname setmyprofilephoto removemyprofilephoto
    getmydescription setmydescription getmyshortdescription setmyshortdescription
    getchatmenubutton setchatmenubutton getuserprofilephotos getuserprofileaudios sendmessage
    sendanimation sendaudio senddice senddocument sendlivephoto sendphoto sendsticker sendvideo
    sendvideonote sendvoice sendpaidmedia sendgame sendinvoice sendlocation sendvenue sendcontact
    sendpoll stoppoll sendchecklist copymessage copymessages forwardmessage forwardmessages
    sendmediagroup sendchataction sendmessagedraft setmessagereaction editmessagetext
    editmessagelivelocation stopmessagelivelocation editmessagemedia editmessagecaption
    editmessagechecklist editmessagereplymarkup deletemessage deletemessages
    deletemessagereaction deleteallmessagereactions poststory repoststory editstory deletestory
    createinvoicelink getmystarbalance getstartransactions refundstarpayment
    edituserstarsubscription getavailablegifts sendgift giftpremiumsubscription
    getmanagedbottoken getmanagedbotaccesssettings setmanagedbotaccesssettings
    replacemanagedbottoken verifyuser verifychat removeuserverification removechatverification
    setgamescore getgamehighscores answerwebappquery answerguestquery answerinlinequery
    savepreparedinlinemessage savepreparedkeyboardbutton answercallbackquery answershippingquery
    answerprecheckoutquery exportchatinvitelink createchatinvitelink
    createchatsubscriptioninvitelink editchatinvitelink editchatsubscriptioninvitelink
    revokechatinvitelink getbusinessconnection readbusinessmessage deletebusinessmessages
    setbusinessaccountname setbusinessaccountusername setbusinessaccountbio
    setbusinessaccountprofilephoto removebusinessaccountprofilephoto
    setbusinessaccountgiftsettings getbusinessaccountstarbalance transferbusinessaccountstars
    getbusinessaccountgifts getusergifts getchatgifts convertgifttostars upgradegift transfergift
    setuseremojistatus getchat getuserpersonalchatmessages setchatphoto deletechatphoto
    setchattitle setchatpermissions setchatdescription pinchatmessage unpinchatmessage
    unpinallchatmessages approvesuggestedpost declinesuggestedpost setchatstickerset
    deletechatstickerset getforumtopiciconstickers createforumtopic editforumtopic
    closeforumtopic reopenforumtopic deleteforumtopic unpinallforumtopicmessages
    editgeneralforumtopic closegeneralforumtopic reopengeneralforumtopic hidegeneralforumtopic
    unhidegeneralforumtopic unpinallgeneralforumtopicmessages getchatmember
    getchatadministrators getchatmembercount getchatmemberscount leavechat promotechatmember
    setchatadministratorcustomtitle setchatmembertag banchatmember kickchatmember
    restrictchatmember unbanchatmember banchatsenderchat unbanchatsenderchat
    approvechatjoinrequest declinechatjoinrequest getuserchatboosts getstickerset
    getcustomemojistickers uploadstickerfile createnewstickerset addstickertoset
    replacestickerinset setstickersettitle setstickersetthumb setstickersetthumbnail
    setcustomemojistickersetthumbnail deletestickerset setstickerpositioninset
    deletestickerfromset setstickeremojilist setstickerkeywords setstickermaskposition
    setpassportdataerrors sendcustomrequest answercustomquery getupdates setwebhook
    deletewebhook getwebhookinfo getfile logout close"""
    )
)

# Client::get_update_type_name, in bit order; JsonUpdateTypes lists allowed_updates in this order.
UPDATE_TYPES: Final = words(
    "message edited_message channel_post edited_channel_post inline_query chosen_inline_result "
    "callback_query shipping_query pre_checkout_query poll poll_answer my_chat_member "
    "chat_member chat_join_request chat_boost removed_chat_boost message_reaction "
    "message_reaction_count business_connection business_message edited_business_message "
    "deleted_business_messages purchased_paid_media managed_bot guest_message"
)
# "Specify an empty list to receive all update types except chat_member, message_reaction, and
# message_reaction_count (default)" (getUpdates, allowed_updates).
DEFAULT_UPDATE_TYPES: Final = frozenset(UPDATE_TYPES) - {
    "chat_member",
    "message_reaction",
    "message_reaction_count",
}

# Client::get_chat_action
CHAT_ACTIONS: Final = frozenset(
    words(
        "cancel typing record_video upload_video record_audio record_voice upload_audio upload_voice "
        "upload_photo upload_document choose_sticker pick_up_location find_location "
        "record_video_note upload_video_note"
    )
)
