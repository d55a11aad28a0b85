/** Types of app-build.cjs (for e2e/playwright.config.ts). */
export declare const ROOT: string;
export declare const NEXT_BIN: string;
export declare function buildIsStale(distDir: string): boolean;
export declare function chromiumPath(): string | undefined;
export declare function chromiumArgs(): string[];
