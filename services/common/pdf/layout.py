"""One page layout for every PDF: a frame, text in the right fonts that wraps or shrinks to stay inside
it, tables that continue on the next page, QR codes that keep clear of text, and the 已撤销 stamp.

Nothing is ever cut: a paragraph shrinks down to its smallest size and then takes more lines; a table
row that does not fit starts a new page. Every service that makes a PDF builds it with `Document`.
"""

from __future__ import annotations

import io
from datetime import date

from services.common.pdf.fonts import char_width, check_printable, runs, text_width

MM = 72 / 25.4
RED = (0.7, 0.05, 0.05)


class LayoutError(RuntimeError):
    """A programming error in a document's layout: text drawn over a QR code or outside the paper."""


def wrap(text: str, size: float, width: float) -> list[str]:
    """`text` cut into lines no wider than `width` at `size` (Chinese breaks between any two characters,
    other text at a space where one is near; explicit newlines kept). Widths add up character by character
    (reportlab applies no kerning), so a long citation wraps in linear time."""
    lines: list[str] = []
    for paragraph in (text or "").split("\n"):
        line, used = "", 0.0
        for char in paragraph:
            advance = char_width(char, size)
            if line and used + advance > width:
                cut = line.rfind(" ")
                if char != " " and cut > len(line) * 2 // 3 and not _is_cjk(line[cut + 1:]):
                    lines.append(line[:cut])
                    line = line[cut + 1:]
                else:
                    lines.append(line.rstrip())
                    line = ""
                used = text_width(line, size)
                if char == " ":
                    continue
            line += char
            used += advance
        lines.append(line)
    return lines


def _is_cjk(text: str) -> bool:
    return any(ord(char) >= 0x2E80 for char in text)


class Document:
    """A PDF being drawn: A4 (portrait or landscape) with a frame `margin` points inside the paper.

    Coordinates are reportlab's (points, origin at the bottom left). `left`, `right`, `top`, `bottom`
    are the frame's inner edges; text is always kept between them.
    """

    def __init__(self, title: str, *, landscape: bool = False, margin: float = 15 * MM, border: bool = False):
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.pagesizes import landscape as turn
        from reportlab.pdfgen import canvas

        self.buffer = io.BytesIO()
        self.width, self.height = turn(A4) if landscape else A4
        self.canvas = canvas.Canvas(self.buffer, pagesize=(self.width, self.height))
        self.canvas.setTitle(title)
        self.margin = margin
        self.border = border
        self.left, self.right = margin, self.width - margin
        self.top, self.bottom = self.height - margin, margin
        self.stamp: tuple[str, str] | None = None
        self.pages = 1
        self.text_boxes: list[tuple[float, float, float, float]] = []  # this page's, checked at its end
        self.qr_boxes: list[tuple[float, float, float, float]] = []
        self._qr_forms: dict[tuple[str, float], str] = {}
        self._stamping = False
        self._start_page()

    # --- text ------------------------------------------------------------------------------------------------

    def line(self, text: str, x: float, y: float, size: float, *, align: str = "left",
             color: tuple[float, float, float] = (0, 0, 0)) -> None:
        """One line at baseline y; left-aligned at x, centred on x or right-aligned at x. The caller keeps
        it inside the frame (use `paragraph` for text of unknown length)."""
        check_printable(text)
        width = text_width(text, size)
        start = x - width / 2 if align == "centre" else x - width if align == "right" else x
        if not self._stamping:
            self.text_boxes.append((start, y - size * 0.25, start + width, y + size * 0.9))
        self.canvas.setFillColorRGB(*color)
        drawn = self.canvas.beginText(start, y)
        for name, chars in runs(text):
            drawn.setFont(name, size)
            drawn.textOut(chars)
        self.canvas.drawText(drawn)
        self.canvas.setFillColorRGB(0, 0, 0)

    def paragraph(self, text: str, *, top: float, size: float, min_size: float | None = None,
                  max_lines: int = 1, left: float | None = None, right: float | None = None,
                  align: str = "centre", leading: float = 1.45, floor: float | None = None,
                  color: tuple[float, float, float] = (0, 0, 0)) -> float:
        """Text between `left` and `right` (default: the frame) with its first line's top at `top`: at
        `size` when it fits in `max_lines`, else shrunk step by step to `min_size`, and at that size on as
        many lines as it needs, continuing on a new page below `floor` (default: the frame's bottom; keep
        the space below it for a footer). Returns the y below the last line."""
        left = self.left if left is None else left
        right = self.right if right is None else right
        width = right - left
        min_size = size if min_size is None else min_size
        check_printable(text)
        lines = wrap(text, size, width)
        while len(lines) > max_lines and size > min_size:
            size = max(min_size, size - 0.5)
            lines = wrap(text, size, width)
        y = top
        for line_text in lines:
            y -= size
            if y < (self.bottom if floor is None else floor):
                self.new_page()
                y = self.top - size
            x = (left + right) / 2 if align == "centre" else right if align == "right" else left
            self.line(line_text, x, y, size, align=align, color=color)
            y -= size * (leading - 1)
        return y

    # --- tables ----------------------------------------------------------------------------------------------

    def table(self, headers: list[str], rows: list[list[str]], widths: list[float], *, top: float,
              size: float = 10, row_height: float | None = None) -> float:
        """A ruled table from `top` whose column widths are fractions of the frame (they sum to 1). Cells
        wrap inside their column; a row that does not fit starts a new page, with the header repeated; a
        table whose header and first row do not fit above the bottom starts on a new page (its header cells
        were once drawn one per page, each cell's text continuing below the frame). Returns the y below it."""
        total = self.right - self.left
        columns = [fraction * total for fraction in widths]
        pad = 3

        def height_of(cells: list[str]) -> float:
            tallest = max(len(wrap(str(cell), size, width - 2 * pad))
                          for cell, width in zip(cells, columns, strict=True))
            return max(row_height or 0, tallest * size * 1.3 + 2 * pad)

        def draw_row(cells: list[str], y: float, bold: bool) -> float:
            height = height_of(cells)
            x = self.left
            if bold:
                self.canvas.setFillColorRGB(0.93, 0.93, 0.93)
                self.canvas.rect(self.left, y - height, total, height, stroke=0, fill=1)
                self.canvas.setFillColorRGB(0, 0, 0)
            for cell, width in zip(cells, columns, strict=True):
                self.canvas.rect(x, y - height, width, height)
                self.paragraph(str(cell), top=y - pad, size=size, left=x + pad, right=x + width - pad,
                               align="left", max_lines=99, leading=1.3)
                x += width
            return y - height

        self.canvas.setLineWidth(0.6)
        if top - height_of(headers) - (height_of(rows[0]) if rows else 0) < self.bottom:
            self.new_page()
            top = self.top
        y = draw_row(headers, top, True)
        for row in rows:
            if y - height_of(row) < self.bottom:
                self.new_page()
                y = draw_row(headers, self.top, True)
            y = draw_row(row, y, False)
        return y

    # --- pictures --------------------------------------------------------------------------------------------

    def drawing(self, drawing, *, top: float, width: float | None = None) -> float:
        """A reportlab Drawing (e.g. a chart converted from SVG) scaled to `width` (at most the frame's;
        never enlarged), centred, its top at `top`; on a new page when it does not fit above the bottom.
        Returns the y below it. Its text is the drawing's own (the caller sets its fonts)."""
        from reportlab.graphics import renderPDF

        width = min(width or self.right - self.left, self.right - self.left, drawing.width)
        scale = width / drawing.width
        height = drawing.height * scale
        if top - height < self.bottom:
            self.new_page()
            top = self.top
        self.canvas.saveState()
        self.canvas.translate((self.left + self.right - width) / 2, top - height)
        self.canvas.scale(scale, scale)
        renderPDF.draw(drawing, self.canvas, 0, 0)
        self.canvas.restoreState()
        return top - height

    # --- marks -----------------------------------------------------------------------------------------------

    def qr(self, data: str, x: float, y: float, size: float) -> tuple[float, float, float, float]:
        """A QR code of `data` with its lower-left corner at (x, y); returns its box (x0, y0, x1, y1) so the
        caller keeps text out of it. The same code at the same size is drawn once per document (a form
        XObject) and placed again wherever it recurs (a page of slips all link to one address)."""
        name = self._qr_forms.get((data, size))
        if name is None:
            from reportlab.graphics import renderPDF
            from reportlab.graphics.barcode.qr import QrCodeWidget
            from reportlab.graphics.shapes import Drawing

            name = self._qr_forms[(data, size)] = f"qr{len(self._qr_forms)}"
            widget = QrCodeWidget(data)
            x0, y0, x1, y1 = widget.getBounds()
            drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
            drawing.add(widget)
            self.canvas.beginForm(name, 0, 0, size, size)
            renderPDF.draw(drawing, self.canvas, 0, 0)
            self.canvas.endForm()
        self.canvas.saveState()
        self.canvas.translate(x, y)
        self.canvas.doForm(name)
        self.canvas.restoreState()
        self.qr_boxes.append((x, y, x + size, y + size))
        return x, y, x + size, y + size

    def stamp_revoked(self, label: str, on: date) -> None:
        """Mark every page (drawn last, above the text) with a large red 已撤销 and its date, across
        the middle, so no revoked document looks clean."""
        self.stamp = (label, on.isoformat())

    def _draw_stamp(self) -> None:
        if not self.stamp:
            return
        label, when = self.stamp
        pdf = self.canvas
        self._stamping = True
        pdf.saveState()
        pdf.setStrokeColorRGB(*RED)
        pdf.setLineWidth(4)
        pdf.translate(self.width / 2, self.height / 2)
        pdf.rotate(20)
        box_width = min(self.width, self.height) * 0.75
        pdf.roundRect(-box_width / 2, -55, box_width, 120, 12)
        self.line(label, 0, 12, 48, align="centre", color=RED)
        self.line(when, 0, -38, 26, align="centre", color=RED)
        pdf.restoreState()
        self._stamping = False

    # --- pages -----------------------------------------------------------------------------------------------

    def _start_page(self) -> None:
        if self.border:
            self.canvas.setStrokeColorRGB(*RED)
            self.canvas.setLineWidth(3)
            inset = self.margin / 2
            self.canvas.rect(inset, inset, self.width - 2 * inset, self.height - 2 * inset)
            self.canvas.setStrokeColorRGB(0, 0, 0)
        self.canvas.setLineWidth(0.6)

    def _check_page(self) -> None:
        """Every line of this page is on the paper and clear of every QR code (LayoutError otherwise)."""
        for x0, y0, x1, y1 in self.text_boxes:
            if x0 < 0 or y0 < 0 or x1 > self.width or y1 > self.height:
                raise LayoutError(f"text outside the page at ({x0:.0f}, {y0:.0f})")
            for q0, r0, q1, r1 in self.qr_boxes:
                if x0 < q1 and q0 < x1 and y0 < r1 and r0 < y1:
                    raise LayoutError(f"text over a QR code at ({x0:.0f}, {y0:.0f})")
        self.text_boxes, self.qr_boxes = [], []

    def new_page(self) -> None:
        """Finish this page (with its stamp) and start the next one."""
        self._check_page()
        self._draw_stamp()
        self.canvas.showPage()
        self.pages += 1
        self._start_page()

    def finish(self) -> bytes:
        """The PDF's bytes (the stamp, if any, is drawn last on every page, above the text). Raises
        LayoutError when a line left the paper or covers a QR code: a layout bug, never shown as a PDF."""
        self._check_page()
        self._draw_stamp()
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()
