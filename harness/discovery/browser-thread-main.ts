/** The browser thread's side (browser-thread.ts): launches Chromium, plays the pages it is sent, closes. */
import { parentPort, workerData } from 'node:worker_threads';
import { DiscoveryBrowser } from './page-browser.ts';
import type { FromBrowserThread, ToBrowserThread } from './browser-thread.ts';

const port = parentPort!;
const post = (message: FromBrowserThread) => port.postMessage(message);
const opening = DiscoveryBrowser.open((workerData as { executablePath: string }).executablePath);

const opened = await opening;
post({ type: 'opened', ...(opened.ok ? {} : { reason: opened.reason }) });
if (opened.ok) {
  const browser = opened.browser;
  port.on('message', (message: ToBrowserThread) => {
    if (message.type === 'record') {
      browser.record(message.html, message.options).then(
        (recording) => post({ type: 'recorded', id: message.id, recording }),
        (error: unknown) => post({ type: 'record-failed', id: message.id, message: error instanceof Error ? error.message : String(error) }),
      );
    } else {
      void browser.close().then(() => post({ type: 'closed' }));
    }
  });
}
