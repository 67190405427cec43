// The compliance report as a PDF a manager can mail: title, period, a table of every SLO and a bar of
// budget consumed per SLO (green when met, red when missed), with pdfkit's built-in Helvetica.
import PDFDocument from 'pdfkit';
import type { ComplianceReport, ComplianceRow } from '@opsdeck/common';

const MARGIN = 40;
const ROW = 16;
const MET = '#2e7d32';
const MISSED = '#c62828';
const NO_DATA = '#9e9e9e';
const INK = '#212121';
const RULE = '#bdbdbd';

const percent = (v: number | null, digits: number) => (v === null ? '–' : `${(v * 100).toFixed(digits)}%`);
const count = (v: number | null) => (v === null ? '–' : Math.round(v).toLocaleString('en-US'));
const hours = (seconds: number) => (seconds === 0 ? '–' : `${(seconds / 3600).toFixed(1)} h`);
const status = (r: ComplianceRow) => (r.met === null ? 'no data' : r.met ? 'met' : 'missed');
const colour = (r: ComplianceRow) => (r.met === null ? NO_DATA : r.met ? MET : MISSED);

const COLUMNS: { title: string; width: number; cell: (r: ComplianceRow) => string; align?: 'right' }[] = [
  { title: 'SLO', width: 138, cell: (r) => `${r.name} (${r.service})` },
  { title: 'Objective', width: 50, cell: (r) => percent(r.objective, 2), align: 'right' },
  { title: 'SLI', width: 55, cell: (r) => percent(r.sli, 3), align: 'right' },
  { title: 'Status', width: 45, cell: status, align: 'right' },
  { title: 'Budget used', width: 55, cell: (r) => percent(r.budgetConsumed, 1), align: 'right' },
  { title: 'Events', width: 60, cell: (r) => count(r.events), align: 'right' },
  { title: 'Bad', width: 45, cell: (r) => count(r.badEvents), align: 'right' },
  { title: 'Excluded', width: 47, cell: (r) => hours(r.excludedSeconds), align: 'right' },
  { title: 'Inc.', width: 20, cell: (r) => String(r.incidents.length), align: 'right' },
];

export function complianceTitle(report: ComplianceReport): string {
  return `SLO compliance ${report.period}`;
}

export function compliancePdf(report: ComplianceReport): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: { Title: complianceTitle(report), Author: 'opsdeck', Subject: 'SLO compliance report' },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN - ROW;
  const room = (height: number) => {
    if (doc.y + height > bottom()) doc.addPage();
  };

  doc.fillColor(INK).font('Helvetica-Bold').fontSize(18).text(complianceTitle(report));
  doc.moveDown(0.3).font('Helvetica').fontSize(10);
  const first = report.items[0];
  if (first)
    doc.text(
      `Period ${report.period}: ${first.start.slice(0, 10)} to ${first.end.slice(0, 10)} (UTC; calendar SLOs in their own time zone)`,
    );
  doc.text(
    `Generated ${report.generatedAt}${report.complete ? '' : ' — the period is still running: figures cover its start to now'}`,
  );
  const met = report.items.filter((r) => r.met === true).length;
  doc.text(`${met} of ${report.items.length} SLOs met their objective.`);
  doc.moveDown();

  const row = (cells: string[], font: string) => {
    room(ROW);
    const y = doc.y;
    let x = MARGIN;
    doc.font(font).fontSize(8).fillColor(INK);
    COLUMNS.forEach((c, i) => {
      doc.text(cells[i]!, x + 2, y, {
        width: c.width - 4,
        align: c.align ?? 'left',
        lineBreak: false,
        ellipsis: true,
      });
      x += c.width;
    });
    doc
      .moveTo(MARGIN, y + ROW - 4)
      .lineTo(MARGIN + width, y + ROW - 4)
      .strokeColor(RULE)
      .lineWidth(0.5)
      .stroke();
    doc.x = MARGIN;
    doc.y = y + ROW;
  };
  row(
    COLUMNS.map((c) => c.title),
    'Helvetica-Bold',
  );
  for (const r of report.items)
    row(
      COLUMNS.map((c) => c.cell(r)),
      'Helvetica',
    );

  doc.moveDown();
  room(3 * ROW);
  doc.font('Helvetica-Bold').fontSize(12).fillColor(INK).text('Error budget consumed', MARGIN);
  doc.font('Helvetica').fontSize(8).text('Bars end at 150 %; the line marks the whole budget (100 %).');
  doc.moveDown(0.5);
  const label = 170;
  const bars = width - label - 50;
  const scale = 1.5;
  for (const r of report.items) {
    room(ROW);
    const y = doc.y;
    doc.fillColor(INK).text(r.name, MARGIN, y + 2, { width: label - 6, lineBreak: false, ellipsis: true });
    const used = Math.min(r.budgetConsumed ?? 0, scale);
    doc
      .rect(MARGIN + label, y, bars, ROW - 5)
      .fillColor('#eeeeee')
      .fill();
    if (used > 0)
      doc
        .rect(MARGIN + label, y, (used / scale) * bars, ROW - 5)
        .fillColor(colour(r))
        .fill();
    const whole = MARGIN + label + bars / scale;
    doc
      .moveTo(whole, y - 1)
      .lineTo(whole, y + ROW - 4)
      .strokeColor(INK)
      .lineWidth(0.8)
      .stroke();
    doc
      .fillColor(INK)
      .text(percent(r.budgetConsumed, 1), MARGIN + label + bars + 4, y + 2, { width: 46, lineBreak: false });
    doc.x = MARGIN;
    doc.y = y + ROW;
  }

  const withIncidents = report.items.filter((r) => r.incidents.length > 0);
  if (withIncidents.length > 0) {
    doc.moveDown();
    room(3 * ROW);
    doc.font('Helvetica-Bold').fontSize(12).fillColor(INK).text('Incidents touching the SLOs', MARGIN);
    doc.font('Helvetica').fontSize(8);
    for (const r of withIncidents) {
      room(ROW);
      doc.text(`${r.name}: ${r.incidents.map((i) => `${i.severity} ${i.title}`).join('; ')}`, MARGIN, doc.y, {
        width,
      });
    }
  }
  doc.end();
  return done;
}
