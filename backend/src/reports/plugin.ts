// GET /api/v1/reports/slos?period=…&format=json|csv|pdf: SLO compliance over a calendar month, quarter
// or ISO week, for every SLO (or one service's), as JSON, a spreadsheet-safe CSV or a mailable PDF.
import type { FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ComplianceReport,
  complianceCsv,
  ErrorBody,
  parseReportPeriod,
  REPORT_PERIOD_FORMAT,
  reportPeriodRange,
  ServiceName,
} from '@opsdeck/common';
import '../decorations';
import { badRequest } from '../errors';
import { errorResponses } from '../http/crud';
import { compliancePdf } from './compliance-pdf';
import { buildComplianceReport } from './compliance-report';

const ReportQuery = z.strictObject({
  period: z.string().max(20).describe(`${REPORT_PERIOD_FORMAT}; not in the future`),
  format: z.enum(['json', 'csv', 'pdf']).default('json'),
  service: ServiceName.optional(),
});

export const reportsPlugin = fp(
  async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/api/v1/reports/slos',
      {
        schema: {
          tags: ['reports'],
          summary: 'SLO compliance over a calendar period (JSON, CSV or PDF)',
          querystring: ReportQuery,
          response: {
            200: ComplianceReport.describe('format=json; csv and pdf answer text/csv and application/pdf'),
            ...errorResponses,
            422: ErrorBody,
            503: ErrorBody.describe('Prometheus is unreachable or failing'),
          },
        },
      },
      async (request, reply) => {
        const q = request.query;
        const period = parseReportPeriod(q.period);
        if (typeof period === 'string') throw badRequest('query.period', period);
        const now = app.clock.now();
        if (reportPeriodRange(period, 'UTC').start.getTime() > now.getTime()) {
          throw badRequest(
            'query.period',
            `${period.label} has not begun yet; ask for a period up to the current one`,
          );
        }
        const slos = (await app.repos.slos.all()).filter((s) => !q.service || s.service === q.service);
        const report = await buildComplianceReport(app, period, slos);
        const file = `slo-compliance-${period.label}`;
        // CSV and PDF bodies are not the JSON the schema describes: sent through the untyped reply
        const raw = reply as FastifyReply;
        if (q.format === 'csv') {
          return raw
            .type('text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="${file}.csv"`)
            .send(complianceCsv(report.items));
        }
        if (q.format === 'pdf') {
          return raw
            .type('application/pdf')
            .header('content-disposition', `attachment; filename="${file}.pdf"`)
            .send(await compliancePdf(report));
        }
        return report;
      },
    );
  },
  { name: 'opsdeck-reports', dependencies: ['opsdeck-slo-status'] },
);
