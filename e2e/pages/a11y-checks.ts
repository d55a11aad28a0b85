import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

/** What the a11y spec checks on every view: axe, sideways page scroll, and the keyboard's tab stops. */
export class A11yChecks {
  constructor(readonly page: Page) {}

  /** Serious and critical axe violations as "rule-id ×nodes: first targets" (empty when there are none). */
  async seriousAxe(): Promise<string[]> {
    // Violations only: axe skips collecting the passing nodes, which is most of its time on a large page.
    const result = await new AxeBuilder({ page: this.page }).options({ resultTypes: ['violations'] }).analyze();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact}) ×${v.nodes.length}: ${v.nodes
            .slice(0, 3)
            .map((n) => n.target.join(' '))
            .join(' | ')}`,
      );
  }

  /** How far the page scrolls sideways (scrollWidth − innerWidth, 0 when it does not), with the widest culprits. */
  async sidewaysScroll(): Promise<{ excess: number; culprits: string[] }> {
    return this.page.evaluate(() => {
      // A full-screen dialog (the presentation) scrolls by itself: it counts as the page.
      const dialog = document.querySelector<HTMLElement>('[role="dialog"][aria-modal="true"]');
      const excess = Math.max(
        (document.scrollingElement?.scrollWidth ?? 0) - window.innerWidth,
        dialog ? dialog.scrollWidth - dialog.clientWidth : 0,
      );
      const culprits: string[] = [];
      if (excess > 0)
        for (const el of document.querySelectorAll<HTMLElement>('body *')) {
          const r = el.getBoundingClientRect();
          if (r.right > window.innerWidth + 1 && r.width > 0)
            culprits.push(
              `${el.tagName.toLowerCase()}[${el.dataset.testid ?? el.className}] right=${Math.round(r.right)}`,
            );
          if (culprits.length >= 5) break;
        }
      return { excess: Math.max(0, excess), culprits };
    });
  }

  async setWidth(width: number) {
    await this.page.setViewportSize({ width, height: width < 600 ? 844 : 900 });
  }

  async scheme(colorScheme: 'light' | 'dark') {
    await this.page.emulateMedia({ colorScheme });
    // Buttons fade their colours (transition-colors): axe must see the settled colours, not a mid-fade blend.
    await this.page.evaluate(async () => {
      await new Promise(requestAnimationFrame);
      await Promise.all(
        document
          .getAnimations()
          .filter((t) => t instanceof CSSTransition)
          .map((t) => t.finished.catch(() => undefined)),
      );
    });
  }

  /** Describes the focused element: test id (else tag and name), whether it is visible and draws a focus ring. */
  focused() {
    return this.page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const r = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      const visible = r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && Number(s.opacity) > 0;
      const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
      const name = el.dataset.testid ?? `${el.tagName.toLowerCase()} “${(el.textContent ?? '').trim().slice(0, 30)}”`;
      // Marks the element, so a walk through the tab stops knows when it has come round again.
      const seen = el.dataset.a11ySeen === '1';
      el.dataset.a11ySeen = '1';
      return { name, visible, ring, seen };
    });
  }

  /** Presses Tab up to `max` times until the focused element's name matches `re`; returns the presses used (or null). */
  async tabUntil(re: RegExp, max: number): Promise<number | null> {
    for (let i = 1; i <= max; i++) {
      await this.page.keyboard.press('Tab');
      const f = await this.focused();
      if (f && re.test(f.name)) return i;
    }
    return null;
  }

  /** Tabs through the first `max` stops from the top and lists those that are invisible or draw no focus ring. */
  async badTabStops(max: number): Promise<{ stops: number; bad: string[] }> {
    await this.page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      for (const el of document.querySelectorAll<HTMLElement>('[data-a11y-seen]')) delete el.dataset.a11ySeen;
    });
    const bad: string[] = [];
    let stops = 0;
    for (let i = 0; i < max; i++) {
      await this.page.keyboard.press('Tab');
      const f = await this.focused();
      if (!f) continue;
      if (f.seen) break; // came round again
      stops++;
      if (!f.visible || !f.ring)
        bad.push(`${f.name}${f.visible ? '' : ' (invisible)'}${f.ring ? '' : ' (no focus ring)'}`);
    }
    return { stops, bad };
  }
}
