"""PDF building blocks shared by certificates: the CJK font and a QR code.

The font is the TrueType file at config CJK_FONT_PATH (embedded in the PDF); without that file,
reportlab's built-in STSong-Light CID font is used (not embedded; the reader supplies the glyphs).
"""

from __future__ import annotations

from pathlib import Path

from flask import current_app

_registered: dict[str, str] = {}


def cjk_font() -> str:
    """Register (once per font file) and return the name of a font that has Chinese glyphs."""
    from reportlab.pdfbase import pdfmetrics

    path = current_app.config.get("CJK_FONT_PATH") or ""
    if path in _registered:
        return _registered[path]
    if path and Path(path).exists():
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont("JXCJK", path, subfontIndex=0))
        name = "JXCJK"
    else:
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
        name = "STSong-Light"
    _registered[path] = name
    return name


def draw_qr(canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw a QR code of `text` with its lower-left corner at (x, y)."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing

    widget = QrCodeWidget(text)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, x, y)
