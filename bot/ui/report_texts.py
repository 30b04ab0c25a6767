"""Texts of filing a question or report (HTML; people's words escaped). After filing:
`report_thread_texts`."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.utils.i18n import gettext as _

from bot.ui import formats
from bot.ui.texts import esc
from core.reports.schemas import MAX_PHOTOS, CategoryRead, NearbyReport

EXCERPT_CHARS = 160


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    """The first `limit` characters of someone's text, escaped."""
    return esc(text if len(text) <= limit else text[: limit - 1] + "…")


def category_name(category: CategoryRead | None, locale: str, code: str = "") -> str:
    """A category's name in the reader's language (escaped: names are data)."""
    if category is None:
        return esc(code)
    return esc(category.names.get(locale) or category.names.get("en") or category.code)


def status(value: str, reason: str | None = None) -> str:
    """A report's state in words."""
    if value == "closed":
        reasons = {
            "duplicate": _("🔒 Closed: a duplicate"),
            "not_responsible": _("🔒 Closed: referred elsewhere"),
            "rejected": _("🔒 Closed: rejected"),
        }
        return reasons.get(reason or "", _("🔒 Closed"))
    labels = {
        "new": _("🆕 New"),
        "acknowledged": _("👀 Acknowledged"),
        "in_progress": _("🛠 In progress"),
        "resolved": _("✅ Resolved"),
    }
    return labels.get(value, esc(value))


def start() -> str:
    """/report without a project: where is it?"""
    return _(
        "<b>❓ Ask a question or report a problem</b>\n"
        "Where is it? Share the place with the 📍 button below. You can also open a project "
        "card and press “❓ Ask or report”."
    )


def pick_place(has_projects: bool) -> str:
    """After a shared location: one of the projects nearby, or the place itself."""
    if not has_projects:
        return _("No public works are listed right there. Your report will be about the place.")
    return _("Is it about one of these projects? Pick one, or choose the place itself.")


def just_this_place() -> str:
    """The button for a report about the shared place, not a project."""
    return _("📍 Just this place")


def choose_category(project_title: str | None) -> str:
    """Which category?"""
    head = _("What kind of question or problem is it?")
    if project_title is None:
        return head
    about = _("About: {title}").format(title=f"<b>{esc(project_title)}</b>")
    return f"{about}\n{head}"


def ask_text(category: str) -> str:
    """The text of the report."""
    return _(
        "<b>{category}</b>\nDescribe it in your own words, in one message (up to 4,000 "
        "characters). The officials read exactly what you write; the public never learns "
        "who you are."
    ).format(category=category)


def text_too_long(length: int) -> str:
    """More than 4,000 characters."""
    return _(
        "That is {length} characters; a report takes up to 4,000. Please shorten it and send "
        "it again."
    ).format(length=length)


def text_only() -> str:
    """Anything but text while the text is awaited."""
    return _("Please write the text of your question or report as a message.")


def ask_photos() -> str:
    """Photos, or skip."""
    return _(
        "Add up to {n} photos if they help (send them as photos or as image files), or skip."
    ).format(n=MAX_PHOTOS)


def photo_added(count: int) -> str:
    """One more photo taken."""
    return _("📷 Photo {count} of {most} added. Send more, or press Done.").format(
        count=count, most=MAX_PHOTOS
    )


def photo_kept() -> str:
    """A photo without a caption before the text: kept; the text is still awaited."""
    return _(
        "📷 Photo kept. Now describe the problem in words, in one message (up to 4,000 "
        "characters)."
    )


def caption_added() -> str:
    """A photo's caption went into the report's text."""
    return _("📝 Its caption was added to your text.")


def caption_left_out() -> str:
    """A photo's caption would take the text past 4,000 characters."""
    return _("Its caption was left out: your text would pass 4,000 characters.")


def photos_full() -> str:
    """The sixth photo."""
    return _("A report takes up to {n} photos; the extra ones were left out.").format(n=MAX_PHOTOS)


def photo_too_big() -> str:
    """A photo or image file over 10 MB."""
    return _("That file is too big: photos up to 10 MB, please.")


def bad_photo() -> str:
    """A photo that could not be read."""
    return _(
        "One of the photos could not be read, so none were kept. Send them again as photos, "
        "or skip."
    )


def not_a_photo() -> str:
    """Voice, stickers, videos or other files while photos are awaited."""
    return _(
        "Sorry, I can only take photos or image files here, not voice messages, stickers, "
        "videos or other files. Send a photo, or press Done."
    )


def refused_media() -> str:
    """Voice, stickers, videos or files anywhere else in the flow."""
    return _(
        "Sorry, I cannot take voice messages, stickers, videos or files here. Please write it "
        "as text."
    )


def similar(
    items: Sequence[NearbyReport], categories: dict[str, CategoryRead], locale: str
) -> str:
    """ "Is it one of these?" before filing."""
    lines = [
        _("<b>Is it one of these?</b>"),
        _(
            "Open reports of the same kind are already here. Follow one to hear its answers, "
            "or file yours."
        ),
    ]
    for item in items:
        where = formats.distance(item.distance_m, locale) if item.distance_m is not None else ""
        head = f"<b>{esc(item.reference)}</b> · {status(item.status)}"
        lines.append(f"\n{head}{' · ' + where if where else ''}\n{excerpt(item.text)}")
    return "\n".join(lines)


def follow_button(reference: str) -> str:
    """Follow that report instead."""
    return _("🔔 Follow {reference} instead").format(reference=reference)


def file_mine() -> str:
    """None of them: file mine."""
    return _("📝 No, file mine")


def following(reference: str) -> str:
    """Now following."""
    return _(
        "🔔 You now follow {reference}: every answer and status change will come here."
    ).format(reference=f"<b>{esc(reference)}</b>")


def already_following(reference: str) -> str:
    """Following it already (or it is the chat's own)."""
    return _("You already follow {reference}.").format(reference=f"<b>{esc(reference)}</b>")


def filed(reference: str) -> str:
    """Filed, at once."""
    return _(
        "✅ Filed. Your reference is {reference}.\n"
        "The officials in charge have it now; every step will be reported to you here. "
        "/reports lists your reports."
    ).format(reference=f"<b>{esc(reference)}</b>")


def blocked(reason: str) -> str:
    """The chat may not file reports."""
    return _("You can no longer file reports from this chat. The reason given: {reason}").format(
        reason=esc(reason)
    )


def limit_reached() -> str:
    """Five reports in the last hour."""
    return _("You have filed the most reports we take in one hour. Please try again later.")


def project_gone() -> str:
    """The project of the report vanished."""
    return _("That project is no longer listed. Start again with /report.")


def cancelled() -> str:
    """The flow was left."""
    return _("Cancelled; nothing was filed.")
