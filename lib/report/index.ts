/**
 * lib/report's entry: text wrapping for fixed boxes and the PDF's character set (text.ts, shared with the
 * summary PNG), a small PNG encoder, and the PDF report of an explanation (pdf.ts, jsPDF), loaded on
 * demand so jsPDF stays out of the page's first download. No tfjs.
 */
export * from './text';
export * from './png';
export type { Report, ReportInput, ReportMethod } from './pdf';

/** The PDF builder (`reportPdf`), fetched the first time a report is made. */
export const loadReportPdf = () => import('./pdf').then((m) => m.reportPdf);
