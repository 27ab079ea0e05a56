"""The letter to the GP practice as an A4 PDF, laid out with reportlab (pure Python, BSD).

Values in, bytes out: it lays out the `Letter` that `bot.letter.content` words, and adds no words
of its own beyond the page footer. Everything written by people (the person's words, what the
link worker recorded) goes through `_text`, which escapes reportlab's paragraph markup, so
"<script>" or "&" prints as typed and never breaks the layout.

The font is DejaVu Sans where the system has it (Debian's fonts-dejavu: Welsh, Polish and most
European letters), else Bitstream Vera, which reportlab ships (Latin-1); both are embedded, so
the PDF reads the same on any machine. The output is invariant: the same letter gives the same bytes.
"""

from __future__ import annotations

import functools
import io
import threading
from pathlib import Path
from xml.sax.saxutils import escape

import reportlab
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from bot.letter.content import Letter

NHS_BLUE = colors.HexColor("#005eb8")
GREY = colors.HexColor("#4c6272")
RULE = colors.HexColor("#d8dde0")
MARGIN = 18 * mm
_ONE_AT_A_TIME = threading.Lock()
"""reportlab's font registry and the fonts' embedded subsets are module state: one letter at a time."""
_FONT_CHOICES = (
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ),
    (Path(reportlab.__file__).parent / "fonts" / "Vera.ttf", Path(reportlab.__file__).parent / "fonts" / "VeraBd.ttf"),
)


@functools.cache
def _fonts() -> tuple[str, str]:
    """Register the first font pair found (regular, bold) once, and return their names."""
    for regular, bold in _FONT_CHOICES:
        if regular.is_file() and bold.is_file():
            pdfmetrics.registerFont(TTFont("LetterSans", str(regular)))
            pdfmetrics.registerFont(TTFont("LetterSans-Bold", str(bold)))
            return "LetterSans", "LetterSans-Bold"
    return "Helvetica", "Helvetica-Bold"  # reportlab without its fonts folder: Latin-1 only


@functools.cache
def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=10, leading=13.5, spaceAfter=3)
    return {
        "body": body,
        "head": ParagraphStyle("head", body, fontName=bold, textColor=NHS_BLUE, fontSize=9, spaceAfter=2),
        "title": ParagraphStyle("title", body, fontName=bold, fontSize=15, leading=19, spaceAfter=6),
        "heading": ParagraphStyle(
            "heading", body, fontName=bold, fontSize=11.5, leading=15, spaceBefore=7, spaceAfter=2
        ),
        "label": ParagraphStyle("label", body, fontName=bold, spaceAfter=0),
        "cell": ParagraphStyle("cell", body, spaceAfter=0),
        "quote": ParagraphStyle("quote", body, fontName=bold, spaceAfter=0),
        "small": ParagraphStyle("small", body, fontSize=8.5, leading=11, textColor=GREY),
    }


def _text(words: str, style: str) -> Paragraph:
    """People's words as a paragraph: markup escaped, their line breaks kept."""
    return Paragraph(escape(words).replace("\n", "<br/>"), _styles()[style])


def _table(rows: list[list[Flowable]], widths: list[float], *commands: tuple[object, ...]) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    padding = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]
    padding += [("TOPPADDING", (0, 0), (-1, -1), 1.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
    table.setStyle(TableStyle([*padding, *commands]))
    return table


def _story(letter: Letter, width: float) -> list[Flowable]:
    story: list[Flowable] = [
        _text(letter.letterhead, "head"),
        _text(letter.title, "title"),
        _table(
            [[_text(label, "label"), _text(value, "cell")] for label, value in letter.details],
            [38 * mm, width - 38 * mm],
        ),
        Spacer(1, 5),
        _text(letter.opening, "body"),
    ]
    for section in letter.sections:
        part: list[Flowable] = [_text(section.heading, "heading")]
        if section.quote:
            quote = _table(
                [[_text(f"\u201c{section.quote}\u201d", "quote")]],
                [width],
                ("LINEBEFORE", (0, 0), (0, 0), 3, NHS_BLUE),
                ("LEFTPADDING", (0, 0), (-1, -1), 7),
            )
            part += [quote, Spacer(1, 3)]
        part += [_text(line, "body") for line in section.lines]
        story.append(KeepTogether(part))
    columns = len(letter.score_columns)
    rows = [[_text(cell, "label") for cell in letter.score_columns]]
    for score in letter.scores:
        rows.append([_text(cell, "cell") for cell in (score.measure, score.before, score.after)[:columns]])
    rest = (width - 95 * mm) / (columns - 1)
    scores = _table(rows, [95 * mm] + [rest] * (columns - 1), ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE))
    heading = _text(letter.scores_heading, "heading")
    story.append(KeepTogether([heading, scores, Spacer(1, 3), _text(letter.scores_note, "small")]))
    story += [Spacer(1, 6), _text(letter.record_line, "label"), Spacer(1, 6), _text(letter.sign_off, "body")]
    return story


def render_pdf(letter: Letter) -> bytes:
    """The letter on A4, one page for most letters (two when the recorded words are long).

    Safe to call from several threads (the web app lays letters out off its event loop).
    """
    with _ONE_AT_A_TIME:
        return _render(letter)


def _render(letter: Letter) -> bytes:
    buffer = io.BytesIO()
    regular, _ = _fonts()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"Letter to the GP practice, {letter.reference}",
        author="What Matters",
        subject=letter.title,
        invariant=True,
    )

    def footer(canvas: Canvas, _: object) -> None:
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, 10 * mm, f"Confidential: about one person. Reference {letter.reference}.")
        canvas.drawRightString(A4[0] - MARGIN, 10 * mm, f"Page {canvas.getPageNumber()}")
        canvas.restoreState()

    document.build(_story(letter, A4[0] - 2 * MARGIN), onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
