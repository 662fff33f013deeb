/**
 * Whether a file's browser tests can run here: Chromium where the EX rules look for it
 * (chromiumPath). Without it they are skipped with a warning, unless WMPCERT_REQUIRE_BROWSER=1 or
 * CI=true (.ci/run installs Chromium): then they run, and fail on the missing browser.
 */
import { existsSync } from 'node:fs';
import { chromiumPath } from '../../harness/discovery/page-browser.ts';

export interface ChromiumForTests {
  executablePath: string;
  /** describe.skipIf(skip): no browser, and none required. */
  skip: boolean;
  /** Why there is none, for the suite's name and the failure. */
  missing: string;
  /** Throws (in a beforeAll) when the browser is required but missing. */
  require(): void;
}

export function chromiumForTests(file: string): ChromiumForTests {
  const executablePath = chromiumPath();
  const haveBrowser = existsSync(executablePath);
  const requireBrowser = process.env['WMPCERT_REQUIRE_BROWSER'] === '1' || process.env['CI'] === 'true';
  const skip = !haveBrowser && !requireBrowser;
  const missing = `no Chromium at ${executablePath} (install it with \`apt-get install -y chromium\` or set CHROMIUM_PATH)`;
  if (skip) console.warn(`${file} skipped: ${missing}; WMPCERT_REQUIRE_BROWSER=1 makes this a failure.`);
  return {
    executablePath, skip, missing,
    require() {
      if (!haveBrowser) throw new Error(`WMPCERT_REQUIRE_BROWSER=1 (or CI=true) but ${missing}`);
    },
  };
}
