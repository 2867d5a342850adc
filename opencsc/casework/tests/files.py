"""Small real files of each kind, made in the test (Pillow, zipfile), for the upload checks."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
OLE2_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
RTF = b"{\\rtf1\\ansi Dear parent,\\par}"
TEXT = "Dear parent, thank you for meeting me. — Amara’s worker\n".encode()
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 200

DOCX_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/>'
    "</Types>"
)
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
EXCEL_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"


def image(kind: str, size=(4, 3)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 60)).save(out, format=kind)
    return out.getvalue()


def package(members: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members.items():  # a fixed time: the same bytes whenever they are made
            z.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), content,
                       compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def docx(main: str = WORD_MAIN, part: str = "word/document.xml") -> bytes:
    return package({"[Content_Types].xml": DOCX_TYPES.format(main=main), part: "<w:document/>",
                    "_rels/.rels": "<Relationships/>"})


def odt() -> bytes:
    return package({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office/>"})


def png_bomb(width=40_000, height=40_000) -> bytes:
    """A PNG that says it is 1.6 billion pixels (a decompression bomb), in a few bytes."""
    def chunk(kind, data):
        return struct.pack("!I", len(data)) + kind + data + struct.pack("!I", zlib.crc32(kind + data))

    header = struct.pack("!IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


GOOD = {  # name: (content, detected type)
    "report.pdf": (PDF, "pdf"),
    "letter.doc": (OLE2_DOC, "doc"),
    "plan.docx": (docx(), "docx"),
    "plan.odt": (odt(), "odt"),
    "minutes.rtf": (RTF, "rtf"),
    "note.txt": (TEXT, "txt"),
    "photo.jpg": (image("JPEG"), "jpeg"),
    "photo.JPEG": (image("JPEG"), "jpeg"),
    "drawing.png": (image("PNG"), "png"),
    "photo.heic": (HEIC, "heic"),
}

BAD = {  # what it is: (name, content)
    "a Windows program named .pdf": ("setup.pdf", EXE),
    "a Windows program named .txt": ("setup.txt", EXE),
    "a zip without content types named .docx": ("plan.docx", package({"word/document.xml": "<w:document/>"})),
    "a spreadsheet named .docx": ("plan.docx", docx(main=EXCEL_MAIN, part="xl/workbook.xml")),
    "a package naming a main part it lacks": ("plan.docx", package({"[Content_Types].xml":
                                                                     DOCX_TYPES.format(main=WORD_MAIN)})),
    "a truncated PNG": ("drawing.png", image("PNG", (64, 64))[:60]),
    "a truncated JPEG": ("photo.jpg", image("JPEG", (64, 64))[:200]),
    "a decompression bomb": ("drawing.png", png_bomb()),
    "a GIF": ("photo.jpg", image("GIF")),
    "text with NULs": ("note.txt", b"Dear parent\x00\x00\x00"),
    "text that is not UTF-8": ("note.txt", "Café".encode("utf-16")),
    "not a zip at all named .docx": ("plan.docx", b"PK\x03\x04 broken"),
    "an HTML page named .pdf": ("report.pdf", b"<html><script>alert(1)</script></html>"),
    "an SVG named .png": ("drawing.png", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
}
