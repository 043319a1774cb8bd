"""The yearly report as a PDF (services/report/pdf.py): a background job whose A4 PDF carries every part's
figures with their labels, values and definitions, the charts (pygal SVG through svglib) with their text
in the embedded CJK font, and an enterprise's name drawn as text, never as markup."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from pypdf import PdfReader

from models import db
from models.jobs import Job
from services.report import pdf
from tests.factories_proposals import CampaignFactory, ProposalFactory

MAY = datetime(2026, 5, 10, 2, tzinfo=UTC)


def _text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_has_the_figures_their_values_definitions_and_charts(world):
    campaign = CampaignFactory()
    for status in ("valid", "valid", "submitted"):
        ProposalFactory(campaign=campaign, proposer=world.worker_b, status=status, submitted_at=MAY)
    world.enterprise_b.name = "<b>华彩&纺织</b>"
    db.session.commit()
    steps = []
    name, data = pdf.document(world.admin, {"enterprise_id": world.enterprise_b.id, "first": 2025, "last": 2026},
                              lambda done, total: steps.append((done, total)))
    assert name == "统计报告-b华彩&纺织_b-2025-2026.pdf"  # the scope's name, without what a file name cannot hold
    reader, text = _text(data)
    assert (round(float(reader.pages[0].mediabox.width)), round(float(reader.pages[0].mediabox.height))) == (595, 842)
    assert "<b>华彩&纺织</b>" in text  # the name as typed, not read as markup
    for label in ("五小创新", "技能竞赛", "名师带徒", "工匠荣誉", "征集提案", "有效提案", "举办竞赛", "参赛人次"):
        assert label in text, label
    assert "通过初审的提案数" in text  # a definition
    # each figure's row: its unit, none in 2025, the 2026 value, no change (nothing the year before), the total
    assert re.search(r"征集提案\n当年首次提交的提案数[^项]*\n项 0 3 — 3\n", text), text[:900]
    assert re.search(r"有效提案\n通过初审的提案数[^项]*\n项 0 2 — 2\n", text)
    assert re.search(r"预计年节约（元）\n有效提案的[^元]*\n元 0 240,000 — 240,000\n", text)
    assert steps[-1][0] == steps[-1][1]
    # the charts' text is embedded in the CJK font, not boxes
    assert "■" not in text and "2026年各月征集提案" in text
    assert "2026年各行业参与企业（家）" in text and "2026年各月参训人次" in text  # the newer charts
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("+WenQuanYi" in name for name in fonts), fonts  # embedded (a subset), not the reader's font


def test_the_pdf_is_drawn_in_the_readers_language(world):
    _, data = pdf.document(world.admin, {"first": 2026, "locale": "en"})
    _, text = _text(data)
    assert "Five Small innovations" in text and text.split("\n")[1] == "Whole city · 2026"
    assert "五小创新" not in text and "征集提案" not in text


def test_the_pdf_is_a_job_started_from_the_page(world, client, login):
    ProposalFactory(campaign=CampaignFactory(), proposer=world.worker_b, status="valid", submitted_at=MAY)
    login(client, world.town_b)
    page = client.get("/report/?first=2026").get_data(as_text=True)
    assert 'data-testid="report-pdf"' in page and 'formaction="/report/pdf"' in page
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = client.post("/report/pdf", data={"csrf_token": token, "town": world.enterprise_b.town_id,
                                               "first": 2026, "last": 2026})
    assert answer.status_code == 302 and "/jobs/" in answer.headers["Location"]
    job = db.session.scalars(db.select(Job).order_by(Job.id.desc())).first()
    assert job.kind == pdf.KIND and job.status == "done"
    download = client.get(f"/jobs/{job.id}/download")
    assert download.mimetype == "application/pdf"
    _, text = _text(download.data)
    assert "征集提案" in text and "有效提案" in text
    # another town's report is not this officer's to print
    assert client.post("/report/pdf", data={"csrf_token": token, "town": world.enterprise_a.town_id}).status_code \
        == 404


def test_a_five_year_report_never_wraps_a_number(world, monkeypatch):
    """Five years' columns of seven-digit amounts and big changes: each number stays on one line of its cell
    (the page turned landscape, columns as wide as their widest number), in the figures' and breakdowns'
    tables alike."""
    from decimal import Decimal

    from services.report.figures import Breakdown, Figure, Section

    money = {2021: Decimal("250000"), 2022: Decimal("300000"), 2023: Decimal("1391000"),
             2024: Decimal("12345678.5"), 2025: Decimal("300000"), 2026: Decimal("1149900")}
    counts = {2021: 3, 2022: 12, 2023: 1234567, 2024: 2345678, 2025: 3, 2026: 12}

    def wide(scope, span):
        part = Section("wide", "宽表")
        part.figures.append(Figure("money", "培训经费", "各年支出。", "yuan", money,
                                   sum(money[y] for y in span.years)))
        part.figures.append(Figure("times", "参训人次", "各年人次。", "person_times", counts,
                                   sum(counts[y] for y in span.years)))
        by_source = Breakdown("by", "按来源", "各来源支出。")
        by_source.rows.append((("工会经费",), Figure("union", "工会经费", "", "yuan", money, 0)))
        part.breakdowns.append(by_source)
        return part

    monkeypatch.setattr(pdf, "SECTIONS", [wide])
    _, data = pdf.document(world.admin, {"first": 2022, "last": 2026})
    reader, text = _text(data)
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)  # more than three years: landscape
    lines = text.split("\n")
    for number in ("1,391,000", "12,345,678.5", "15,486,578.5", "2,345,678", "3,580,272", "+283.3%", "+300.0%"):
        assert any(number in line.split(" ") for line in lines), number
    assert re.search(r"元 300,000 1,391,000 12,345,678\.5 300,000 1,149,900 \+283\.3% 15,486,578\.5", text), text[:600]
    _, short = pdf.document(world.admin, {"first": 2024, "last": 2026})
    reader, text = _text(short)
    assert round(float(reader.pages[0].mediabox.width)) == 595  # three years stay portrait, numbers unwrapped
    assert re.search(r"元 12,345,678\.5 300,000 1,149,900 \+283\.3% 13,795,578\.5\n", text), text[:600]
    assert re.search(r"人次 2,345,678 3 12 \+300\.0% 2,345,693\n", text), text[:600]
