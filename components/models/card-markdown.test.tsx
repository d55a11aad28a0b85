// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { cardHtml } from './card-markdown';

function render(md: string): HTMLDivElement {
  const div = document.createElement('div');
  div.innerHTML = cardHtml(md);
  return div;
}

describe('cardHtml', () => {
  it('renders headings, tables, lists, emphasis and code', () => {
    const div = render('# Card\n\n| Layer | Params |\n|---|---:|\n| conv1 | 320 |\n\n- **bold** item\n- `code`\n');
    expect(div.querySelector('h1')?.textContent).toBe('Card');
    expect(div.querySelectorAll('table td')).toHaveLength(2);
    expect(div.querySelector('td')?.textContent).toBe('conv1');
    expect(div.querySelector('li strong')?.textContent).toBe('bold');
    expect(div.querySelector('li code')?.textContent).toBe('code');
  });

  it('keeps scripts, event handlers and javascript: links inert', () => {
    const div = render(
      'Hello <script>window.__pwned = 1</script>\n\n<img src=x onerror="window.__pwned = 2">\n\n' +
        '[click](javascript:alert(1)) <a href="https://example.org" onclick="x()">ok</a>\n\n<iframe src="https://example.org"></iframe>',
    );
    expect(div.querySelector('script, iframe, img, [onerror], [onclick]')).toBeNull();
    expect(div.innerHTML).not.toMatch(/javascript:/i);
    // Raw HTML is shown as text, not dropped silently.
    expect(div.textContent).toContain('<script>');
    expect(div.textContent).toContain('onerror');
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it('opens links in a new tab without the opener', () => {
    const a = render('[paper](https://arxiv.org/abs/1610.02391)').querySelector('a');
    expect(a?.getAttribute('href')).toBe('https://arxiv.org/abs/1610.02391');
    expect(a?.getAttribute('target')).toBe('_blank');
    expect(a?.getAttribute('rel')).toBe('noopener noreferrer');
  });

  it('renders a bundled card (every heading and table of it)', async () => {
    const { readFile } = await import('node:fs/promises');
    const md = await readFile(`${process.cwd()}/models/fashion-finetuned/card.md`, 'utf8');
    const div = render(md);
    expect(div.querySelectorAll('h2').length).toBe((md.match(/^## /gm) ?? []).length);
    expect(div.querySelectorAll('table').length).toBeGreaterThanOrEqual(2);
    expect(div.textContent).not.toContain('|---');
  });
});
