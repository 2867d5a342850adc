"""What an uploaded file is, from its bytes, and whether clamd finds a virus in it.

A file's name says nothing about what it holds (a Windows program renamed setup.pdf is still a program),
so each allowed type is recognised from its content: a PDF by its header, JPEG and PNG images by
decoding them with Pillow (refusing decompression bombs), Word documents (.docx) and OpenDocument text
as zip packages whose manifest names the right main part (no part is decompressed but the manifest),
legacy Word (.doc) by its OLE2 header, rich text by its header, plain text as UTF-8 without NULs, and
HEIC photos by their ISO media header (Pillow cannot decode them). The name must end in an extension of
the type found. Nothing here writes anything.

Virus scanning is optional: with OPENCSC_CLAMD_SOCKET (a Unix socket) or OPENCSC_CLAMD_HOST set, every
upload is streamed to clamd (its INSTREAM command) before it is stored; a file clamd cannot check is
refused, as is an infected one.
"""

from __future__ import annotations

import io
import os
import socket
import struct
import warnings
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from django.conf import settings
from PIL import Image


@dataclass(frozen=True)
class FileType:
    code: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


TYPES = {t.code: t for t in [
    FileType("pdf", "PDF", "application/pdf", (".pdf",)),
    FileType("doc", "Word document (.doc)", "application/msword", (".doc",)),
    FileType("docx", "Word document", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             (".docx",)),
    FileType("odt", "OpenDocument text", "application/vnd.oasis.opendocument.text", (".odt",)),
    FileType("rtf", "rich text file", "application/rtf", (".rtf",)),
    FileType("txt", "text file", "text/plain; charset=utf-8", (".txt",)),
    FileType("jpeg", "JPEG image", "image/jpeg", (".jpg", ".jpeg")),
    FileType("png", "PNG image", "image/png", (".png",)),
    FileType("heic", "HEIC image", "image/heic", (".heic",)),
]}
EXTENSIONS = {ext: t for t in TYPES.values() for ext in t.extensions}
CHOICES = [(t.code, t.label) for t in TYPES.values()]

NOT_ALLOWED = ("The selected file must be a PDF, Word document, text file or image. "
               "The file you chose is not one of these.")
INFECTED = "The selected file contains a virus. It has not been uploaded."
UNCHECKED = "The selected file could not be checked for viruses. Try again later."

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
MANIFEST_LIMIT = 1024 * 1024  # bytes of a package's manifest read, at most
PACKAGE_MEMBERS_LIMIT = 10_000


class NotAllowed(Exception):
    """The file is not one of the allowed types, or its name does not match what it is."""


def _read(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-")


def _image(data: bytes) -> str | None:
    """"jpeg" or "png" when Pillow decodes the whole image; None otherwise (a bomb is refused too)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind = image.format
                if kind not in ("JPEG", "PNG"):
                    return None
                image.verify()
            with Image.open(io.BytesIO(data)) as image:  # verify() leaves the image unusable; load it whole
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning, OSError, ValueError, SyntaxError,
            EOFError, struct.error, IndexError, TypeError, MemoryError):
        return None
    return kind.lower()


def _package(data: bytes) -> str | None:
    """"docx" or "odt" for an Office Open XML or OpenDocument package with a word-processing main part."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
            if len(members) > PACKAGE_MEMBERS_LIMIT:
                return None
            names = {m.filename: m for m in members}
            mimetype = names.get("mimetype")
            if mimetype is not None and mimetype.file_size < 200:
                if package.read(mimetype).strip() == TYPES["odt"].content_type.encode():
                    return "odt" if "content.xml" in names else None
                return None
            manifest = names.get("[Content_Types].xml")
            if manifest is None or manifest.file_size > MANIFEST_LIMIT:
                return None
            with package.open(manifest) as handle:
                text = handle.read(MANIFEST_LIMIT + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, RuntimeError,
            NotImplementedError):
        return None
    if len(text) > MANIFEST_LIMIT:
        return None
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return None
    for element in root:
        if element.tag.endswith("Override") and element.get("ContentType") == DOCX_MAIN:
            part = (element.get("PartName") or "").lstrip("/")
            return "docx" if part in names else None
    return None


def _is_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _is_heic(data: bytes) -> bool:
    return len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in HEIC_BRANDS


def detect(data: bytes) -> FileType | None:
    """The allowed type the bytes are, or None."""
    if _is_pdf(data):
        return TYPES["pdf"]
    if data.startswith(OLE2):
        return TYPES["doc"]
    if data.startswith(b"{\\rtf"):
        return TYPES["rtf"]
    if data.startswith(b"PK\x03\x04"):
        code = _package(data)
        return TYPES[code] if code else None
    if _is_heic(data):
        return TYPES["heic"]
    if data.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
        code = _image(data)
        return TYPES[code] if code else None
    if _is_text(data):
        return TYPES["txt"]
    return None


def _a(label: str) -> str:
    return f"an {label}" if label[0].lower() in "aeio" else f"a {label}"


def check(upload) -> FileType:
    """The type of the uploaded file, from its content; NotAllowed (with the message to show) when it is
    none of the allowed types or its name ends in another type's extension."""
    found = detect(_read(upload))
    if found is None:
        raise NotAllowed(NOT_ALLOWED)
    ext = os.path.splitext(upload.name or "")[1].lower()
    if ext not in found.extensions:
        named = EXTENSIONS.get(ext)
        if named is None:
            raise NotAllowed(NOT_ALLOWED)
        raise NotAllowed(f"The selected file is {_a(found.label)}, but its name ends in {ext}. "
                         f"Choose {_a(named.label)} or rename the file.")
    return found


# --- Virus scanning through clamd -------------------------------------------------------------


class VirusFound(Exception):
    def __init__(self, signature: str):
        super().__init__(signature)
        self.signature = signature


class ScanFailed(Exception):
    """clamd is configured but could not check the file."""


def scanning_configured() -> bool:
    return bool(getattr(settings, "OPENCSC_CLAMD_SOCKET", "") or getattr(settings, "OPENCSC_CLAMD_HOST", ""))


def _connect() -> socket.socket:
    timeout = settings.OPENCSC_CLAMD_TIMEOUT
    if settings.OPENCSC_CLAMD_SOCKET:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(settings.OPENCSC_CLAMD_SOCKET)
        return sock
    return socket.create_connection((settings.OPENCSC_CLAMD_HOST, int(settings.OPENCSC_CLAMD_PORT)), timeout=timeout)


CHUNK = 64 * 1024


def scan(upload) -> None:
    """Stream the file to clamd (INSTREAM). Returns when clamd says it is clean; VirusFound when clamd
    finds something; ScanFailed when clamd cannot be reached or answers anything else. Does nothing
    when no clamd is configured."""
    if not scanning_configured():
        return
    data = _read(upload)
    try:
        with _connect() as sock:
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), CHUNK):
                chunk = data[start:start + CHUNK]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            reply = b""
            while not reply.endswith(b"\0") and len(reply) < 4096:
                part = sock.recv(4096)
                if not part:
                    break
                reply += part
    except OSError as error:
        raise ScanFailed(str(error)) from None
    answer = reply.rstrip(b"\0").decode("utf-8", "replace").strip()
    if answer.endswith(" OK"):
        return
    if answer.endswith(" FOUND"):
        signature = answer.removeprefix("stream:").strip().removesuffix(" FOUND").strip()
        raise VirusFound(signature[:200])
    raise ScanFailed(answer[:200] or "no answer")
