"""The bot's photos, documents and albums: sendPhoto, sendDocument, sendMediaGroup, getFile."""

from __future__ import annotations

import itertools
from typing import Any

from botapi_emulator.files import FileStore, StoredFile
from botapi_emulator.formatting import FormattingError, UnsupportedParseMode, render
from botapi_emulator.params import bad_request

MAX_CAPTION = 1024
_ALBUM_KINDS = frozenset({"photo", "video", "document", "audio"})


def formatted(text: str, parse_mode: Any) -> tuple[str, str]:
    """(plain text, client HTML) of a text with its parse mode; 400 when it does not parse."""
    try:
        return render(text, parse_mode)
    except FormattingError as exc:
        raise bad_request(f"can't parse entities: {exc}") from None
    except UnsupportedParseMode as exc:
        raise bad_request(str(exc)) from None


def caption_content(params: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The caption field of a media message (if any) and its HTML."""
    caption = params.get("caption")
    if not isinstance(caption, str) or not caption:
        return {}, ""
    plain, html = formatted(caption, params.get("parse_mode"))
    if len(plain) > MAX_CAPTION:
        raise bad_request("message caption is too long")
    return {"caption": plain}, html


def media_field(kind: str, stored: StoredFile) -> Any:
    """The message field that shows a file of this kind."""
    if kind == "photo":
        return [stored.photo_size()]
    field: dict[str, Any] = {**stored.ids(), "mime_type": stored.mime_type}
    if kind == "document":
        field["file_name"] = stored.file_name or stored.file_path.rsplit("/", 1)[-1]
    return field


class MediaMethods:
    """Bot API methods that send or fetch files; mixed into the emulator's state."""

    files: FileStore

    def __init__(self) -> None:
        self.files = FileStore()
        self._groups = itertools.count(13000000000000001)

    def _bot_message(self, params: dict[str, Any], html: str, **content: Any) -> dict[str, Any]:
        raise NotImplementedError

    def send_media(self, kind: str, params: dict[str, Any]) -> dict[str, Any]:
        """sendPhoto / sendDocument: upload (multipart) or a file_id the emulator knows."""
        stored = self.files.resolve(params.get(kind), params, kind)
        caption, html = caption_content(params)
        return self._bot_message(params, html, **caption, **{kind: media_field(kind, stored)})

    def send_media_group(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """sendMediaGroup: 2-10 items, one message each, sharing a media_group_id."""
        media = params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise bad_request("wrong number of media files specified: must be 2-10")
        kinds = [item.get("type") if isinstance(item, dict) else None for item in media]
        if any(kind not in _ALBUM_KINDS for kind in kinds):
            raise bad_request("unsupported media type in the album")
        if "document" in kinds and set(kinds) != {"document"}:
            raise bad_request("documents can't be mixed with other media types")
        # Resolve every item first, so that a bad item sends nothing.
        items = [
            (kind, self.files.resolve(item.get("media"), params, str(kind)), item)
            for kind, item in zip(kinds, media, strict=True)
        ]
        group = str(next(self._groups))
        sent = []
        for kind, stored, item in items:
            caption, html = caption_content(item)
            one = {k: v for k, v in params.items() if k not in ("media", "reply_markup")}
            sent.append(
                self._bot_message(
                    one,
                    html,
                    media_group_id=group,
                    **caption,
                    **{str(kind): media_field(str(kind), stored)},
                )
            )
        return sent

    def get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        """getFile: the File object with its download path."""
        return self.files.get_file(params)
