"""The fonts of every PDF the platform makes, with per-character fallback.

The font files are config PDF_FONT_PATHS, in order of preference (config.py): wqy-microhei for common
text, then fonts-hanazono's HanaMinA / HanaMinB for the CJK Extensions A and B that real names use
(许𠮷䶮: 𠮷 U+20BB7, 䶮 U+4DAE). Each run of text is drawn in the first registered font that has a glyph
for its characters (`runs`). reportlab does no fallback of its own and cannot load Noto CJK (CFF outlines).

A file that is missing is skipped and logged once, naming it and the Debian package that ships it. With no
file at all, reportlab's built-in STSong-Light CID font is used (not embedded) for the common range only.
A character that no font has is never printed as a blank or a box: `check_printable` refuses it with a
message naming the character (an official document must not carry a silently wrong name).

reportlab writes a wrong ToUnicode entry for characters beyond U+FFFF (`<20BB7>` instead of the
UTF-16 pair `<D842DFB7>`), so copying or searching 𠮷 in the PDF fails; `_to_unicode_cmap` replaces it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app

from core.l10n import lazy_gettext as _l
from services.errors import RuleViolation

log = logging.getLogger(__name__)

PACKAGE_OF = {"wqy-microhei.ttc": "fonts-wqy-microhei", "HanaMinA.ttf": "fonts-hanazono",
              "HanaMinB.ttf": "fonts-hanazono"}
# What the built-in STSong-Light covers here (used only when no font file exists at all).
_CID_RANGES = ((0x20, 0x7E), (0xA0, 0x2FFF), (0x3000, 0x303F), (0x4E00, 0x9FFF), (0xFF00, 0xFFEF))


@dataclass
class FontSet:
    """The registered fonts, in order: (reportlab name, the code points it has or None for the CID font)."""

    fonts: list[tuple[str, frozenset[int] | None]] = field(default_factory=list)
    missing_files: list[str] = field(default_factory=list)

    def font_for(self, char: str) -> str | None:
        """The first font with a glyph for `char` (white space: the first font), else None."""
        code = ord(char)
        for name, codes in self.fonts:
            if codes is None:
                if char.isspace() or any(low <= code <= high for low, high in _CID_RANGES):
                    return name
            elif code in codes or char.isspace():
                return name
        return None


_cache: dict[tuple[str, ...], FontSet] = {}
_lock = threading.Lock()


def _to_unicode_cmap(fontname, subset):
    """reportlab's makeToUnicodeCMap, with characters beyond the BMP as UTF-16 surrogate pairs."""
    def utf16(code: int) -> str:
        if code <= 0xFFFF:
            return f"{code:04X}"
        return f"{0xD800 + ((code - 0x10000) >> 10):04X}{0xDC00 + (code & 0x3FF):04X}"

    lines = ["/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
             f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
             f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
             f"<00> <{len(subset) - 1:02X}>", "endcodespacerange", f"{len(subset)} beginbfchar"]
    lines += [f"<{index:02X}> <{utf16(code)}>" for index, code in enumerate(subset)]
    lines += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def _register(paths: tuple[str, ...]) -> FontSet:
    from reportlab.pdfbase import pdfmetrics, ttfonts

    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    fonts = FontSet()
    for index, path in enumerate(paths):
        if not Path(path).is_file():
            fonts.missing_files.append(path)
            continue
        name = f"JX{index}-{Path(path).stem}"
        font = ttfonts.TTFont(name, path, subfontIndex=0) if path.endswith(".ttc") else ttfonts.TTFont(name, path)
        pdfmetrics.registerFont(font)
        fonts.fonts.append((name, frozenset(font.face.charToGlyph)))
    if fonts.missing_files:
        log.warning("PDF fonts missing: %s (Debian: apt-get install %s); characters only they have are refused",
                    ", ".join(fonts.missing_files),
                    " ".join(sorted({PACKAGE_OF.get(Path(p).name, Path(p).name) for p in fonts.missing_files})))
    if not fonts.fonts:
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        fonts.fonts.append(("STSong-Light", None))
    return fonts


def font_set() -> FontSet:
    """The fonts of config PDF_FONT_PATHS, registered once per process (per list of paths)."""
    paths = tuple(current_app.config.get("PDF_FONT_PATHS") or ())
    with _lock:
        if paths not in _cache:
            _cache[paths] = _register(paths)
        return _cache[paths]


def unprintable(text: str) -> list[str]:
    """The characters of `text` that no registered font has, each once, in order."""
    fonts = font_set()
    found: list[str] = []
    for char in text or "":
        if char not in found and fonts.font_for(char) is None:
            found.append(char)
    return found


def check_printable(*texts: str) -> None:
    """Refuse text with a character that no font of the platform can print (RuleViolation naming it and
    its code point), so that no document carries a blank or a wrong character in a name."""
    for text in texts:
        missing = unprintable(text)
        if missing:
            raise RuleViolation(_l(
                "“%(char)s”（U+%(code)s）无法印在文件上：系统字体里没有这个字。请联系管理员安装字体。",
                char=missing[0], code=f"{ord(missing[0]):04X}"))


def runs(text: str) -> list[tuple[str, str]]:
    """`text` cut into runs of (font name, characters) by the first font that has each character.
    Call check_printable first: a character no font has is given the first font."""
    fonts = font_set()
    result: list[tuple[str, str]] = []
    for char in text:
        name = fonts.font_for(char) or fonts.fonts[0][0]
        if result and result[-1][0] == name:
            result[-1] = (name, result[-1][1] + char)
        else:
            result.append((name, char))
    return result


def text_width(text: str, size: float) -> float:
    """The width of `text` in points at font size `size`, with each character in its own font."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return sum(stringWidth(chars, name, size) for name, chars in runs(text))


def char_width(char: str, size: float) -> float:
    """The advance of one character at `size` in the font that draws it."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    fonts = font_set()
    return stringWidth(char, fonts.font_for(char) or fonts.fonts[0][0], size)
