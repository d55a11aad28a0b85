/**
 * lib/report's entry: the PDF report of an explanation (pdf.ts, jsPDF) and text wrapping for fixed
 * boxes shared with the summary PNG (text.ts). No tfjs; runs in the page (and in Node for tests).
 */
export * from './text';
export * from './pdf';
