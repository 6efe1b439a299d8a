"""Content-addressed file store under the data folder, and the content checks.

A file is identified by what it is, not by what the client says: the type comes from the
bytes (filetype's signatures), the size is counted while reading (a Content-Length can lie),
and a video's length is read from its container where mutagen can read it (MP4/MOV)."""

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import filetype

from bihuan.errors import BadInput, DomainError

MAX_BYTES = 50 * 1024 * 1024
MAX_VIDEO_SECONDS = 30.0
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "image/heic",
                         "image/heif"})
VIDEO_TYPES = frozenset({"video/mp4", "video/quicktime", "video/webm", "video/3gpp"})
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Stored:
    sha256: str
    size: int
    content_type: str
    kind: str  # photo | video
    duration_seconds: float | None


class TooLarge(DomainError):
    status_code = 413
    code = "file_too_large"


def _root(data_dir: Path) -> Path:
    return data_dir / "files"


def path_for(data_dir: Path, sha256: str) -> Path:
    return _root(data_dir) / sha256[:2] / sha256


def _sniff(head: bytes) -> str | None:
    kind = filetype.guess(head)
    return kind.mime if kind else None


def _video_seconds(path: Path, content_type: str) -> float | None:
    """The video's length, or None when its container cannot be read here (e.g. WebM)."""
    if content_type not in ("video/mp4", "video/quicktime", "video/3gpp"):
        return None
    from mutagen.mp4 import MP4, MP4StreamInfoError

    try:
        return float(MP4(path).info.length)
    except (MP4StreamInfoError, Exception):  # noqa: BLE001 - an unreadable header is "unknown"
        return None


def save_upload(data_dir: Path, src: BinaryIO, *, allow_video: bool = True) -> Stored:
    """Copy `src` into the store after checking size, type and (for video) length."""
    root = _root(data_dir)
    root.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp_name = tempfile.mkstemp(dir=root, prefix=".up-")
    tmp = Path(tmp_name)
    try:
        head = b""
        with os.fdopen(fd, "wb") as out:
            while chunk := src.read(_CHUNK):
                size += len(chunk)
                if size > MAX_BYTES:
                    raise TooLarge("文件超过 50 MB,请压缩后再传",
                                   "The file is larger than 50 MB; compress it and try again")
                if len(head) < 8192:
                    head += chunk[: 8192 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise BadInput("文件为空", "The file is empty", code="file_empty")
        content_type = _sniff(head)
        allowed = IMAGE_TYPES | (VIDEO_TYPES if allow_video else frozenset())
        if content_type not in allowed:
            raise BadInput("只能上传图片(JPEG/PNG/WebP/HEIC)" + ("或视频(MP4/MOV/WebM)"
                           if allow_video else ""),
                           "Only images (JPEG/PNG/WebP/HEIC)" + (" or videos (MP4/MOV/WebM)"
                           if allow_video else "") + " can be uploaded",
                           code="file_type_not_allowed", details={"detected": content_type})
        kind = "video" if content_type in VIDEO_TYPES else "photo"
        seconds = _video_seconds(tmp, content_type) if kind == "video" else None
        if seconds is not None and seconds > MAX_VIDEO_SECONDS + 0.5:
            raise BadInput(f"视频长 {seconds:.0f} 秒,最长 30 秒",
                           f"The video is {seconds:.0f} s long; at most 30 s",
                           code="video_too_long", details={"seconds": round(seconds, 1)})
        sha = digest.hexdigest()
        final = path_for(data_dir, sha)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp, final)  # same bytes, same name: a repeat upload is harmless
        return Stored(sha, size, content_type, kind, seconds)
    finally:
        tmp.unlink(missing_ok=True)


def save_bytes(data_dir: Path, data: bytes) -> str:
    """Store small generated content (a signature PNG); returns its SHA-256."""
    sha = hashlib.sha256(data).hexdigest()
    final = path_for(data_dir, sha)
    final.parent.mkdir(parents=True, exist_ok=True)
    if not final.exists():
        fd, tmp = tempfile.mkstemp(dir=final.parent, prefix=".up-")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, final)
    return sha
