"""Files the emulator keeps: what users send and what the bot uploads, `getFile` and downloads.

Kept in memory with their bytes. Telegram re-encodes photos and makes smaller sizes; the emulator
does not resample, so every size of a photo carries the bytes as sent.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from typing import Any

from botapi_emulator.images import image_size, sniff_mime
from botapi_emulator.params import UploadedFile, bad_request

MAX_DOWNLOAD = 20 * 1024 * 1024  # getFile refuses bigger files for bots
MAX_PHOTO_UPLOAD = 10 * 1024 * 1024
MAX_UPLOAD = 50 * 1024 * 1024

_EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "audio/ogg": "oga",
    "application/pdf": "pdf",
}
_FOLDERS = {"photo": "photos", "document": "documents", "voice": "voice", "sticker": "stickers"}


@dataclass(frozen=True, slots=True)
class StoredFile:
    """One file: its ids, its path for downloads, its bytes and type."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes
    mime_type: str
    file_name: str = ""
    kind: str = "document"

    @property
    def size(self) -> int:
        """Its size in bytes."""
        return len(self.data)

    def ids(self) -> dict[str, Any]:
        """The fields every file object of the Bot API carries."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.size,
        }

    def photo_size(self) -> dict[str, Any]:
        """A PhotoSize for this file (dimensions read from its header when it has one)."""
        width, height = image_size(self.data) or (1280, 960)
        return {**self.ids(), "width": width, "height": height}


class FileStore:
    """Files by file_id and by download path."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._numbers = itertools.count(1)

    def add(self, data: bytes, kind: str, mime_type: str = "", file_name: str = "") -> StoredFile:
        """Keep a file; the same bytes get the same file_unique_id, as on Telegram."""
        n = next(self._numbers)
        mime_type = mime_type or sniff_mime(data)
        unique = hashlib.sha256(data).hexdigest()[:16]
        ext = _EXTENSIONS.get(mime_type, "bin")
        stored = StoredFile(
            file_id=f"{kind}-{n}-{unique[:6]}",
            file_unique_id=f"u{unique}",
            file_path=f"{_FOLDERS.get(kind, kind + 's')}/file_{n}.{ext}",
            data=data,
            mime_type=mime_type,
            file_name=file_name,
            kind=kind,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        """A file by its file_id."""
        return self._by_id.get(file_id)

    def by_path(self, path: str) -> StoredFile | None:
        """A file by the path getFile gave for it."""
        return self._by_path.get(path)

    def get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        """getFile: a File object with the path to download it from."""
        stored = self.get(str(params.get("file_id") or ""))
        if stored is None:
            raise bad_request("invalid file_id")
        if stored.size > MAX_DOWNLOAD:
            raise bad_request("file is too big")
        return {**stored.ids(), "file_path": stored.file_path}

    def resolve(self, value: Any, params: dict[str, Any], kind: str) -> StoredFile:
        """An InputFile as the bot sent it: an upload (``attach://name``) or a known file_id."""
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.get(value.removeprefix("attach://"))
        if isinstance(value, UploadedFile):
            limit = MAX_PHOTO_UPLOAD if kind == "photo" else MAX_UPLOAD
            if not value.data:
                raise bad_request("file must be non-empty")
            if len(value.data) > limit:
                raise bad_request("file is too big")
            if kind == "photo" and image_size(value.data) is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
            return self.add(value.data, kind, value.content_type or "", value.filename)
        if isinstance(value, str) and value:
            stored = self.get(value)
            if stored is not None and kind == "photo" and stored.kind != "photo":
                raise bad_request(f"can't use file of type {stored.kind.title()} as Photo")
            if stored is not None:
                return stored
            if value.startswith(("http://", "https://")):
                # Telegram would fetch the URL; the emulator is offline and says so.
                raise bad_request("failed to get HTTP URL content")
        raise bad_request("wrong file identifier/HTTP URL specified")
