/**
 * A model card's Markdown as safe HTML: `marked` (GitHub-flavoured: tables, lists, code) with raw HTML
 * written out as text, then DOMPurify over the result (no scripts, no event handlers, no javascript: links),
 * links opening in a new tab without the opener. Browser only (DOMPurify needs a DOM).
 */
import { Marked, type Tokens } from 'marked';
import DOMPurify from 'dompurify';

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const marked = new Marked({
  gfm: true,
  async: false,
  renderer: {
    // Raw HTML in a card is shown as text, never parsed.
    html: (token: Tokens.HTML | Tokens.Tag) => escapeHtml(token.text),
  },
});

let hooked = false;

/** Sanitised HTML of a card's Markdown. */
export function cardHtml(markdown: string): string {
  if (!hooked) {
    DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A' && node.getAttribute('href')) {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
    });
    hooked = true;
  }
  const raw = marked.parse(markdown) as string;
  return DOMPurify.sanitize(raw, { USE_PROFILES: { html: true }, ADD_ATTR: ['target'] });
}
