/**
 * Chromium driven from a thread of its own, for the CLI's certification. playwright-core loads
 * synchronously (~0.25 s) and runs its side of the DevTools protocol in the thread that drives the
 * browser: in the CLI's thread, that is time taken from the scenarios it plays for a command (--exec)
 * and from the judging of a module's. The page's recording is plain data, and comes back as it is.
 * The CLI launches it early (launchBrowserEarly); the first page of its executable takes it (openBrowser).
 */
import { Worker } from 'node:worker_threads';
import { DiscoveryBrowser, chromiumPath, type BrowserOpening, type PageBrowser, type PageRecording, type RecordOptions } from './page-browser.ts';

const ENTRY = new URL('./browser-thread-entry.js', import.meta.url);

export type ToBrowserThread =
  | { type: 'record'; id: number; html: string | Uint8Array; options: RecordOptions }
  | { type: 'close' };
export type FromBrowserThread =
  | { type: 'opened'; reason?: string }
  | { type: 'recorded'; id: number; recording: PageRecording }
  | { type: 'record-failed'; id: number; message: string }
  | { type: 'closed' };

export class BrowserThread implements PageBrowser {
  private nextId = 0;
  /** What ended the thread, if it failed (a page being played is then told, by the thread's exit). */
  private failure: Error | undefined;

  private constructor(private readonly worker: Worker, readonly executablePath: string) {
    // Always listened to: an unhandled 'error' of a Worker would throw in this thread.
    worker.on('error', (error) => { this.failure = error; });
  }

  /** Chromium in a new thread; when it cannot be had, why (as DiscoveryBrowser.open says it). */
  static open(executablePath: string): Promise<BrowserOpening> {
    const worker = new Worker(ENTRY, { workerData: { executablePath } });
    return new Promise<BrowserOpening>((resolve) => {
      const failed = (reason: string) => {
        void worker.terminate();
        resolve({ ok: false, reason });
      };
      const onError = (error: Error) => failed(`the browser thread failed: ${error.message}`);
      const onExit = (code: number) => failed(`the browser thread exited (code ${code}) before Chromium started`);
      worker.once('message', (message: FromBrowserThread) => {
        worker.off('error', onError).off('exit', onExit);
        if (message.type === 'opened' && message.reason === undefined) resolve({ ok: true, browser: new BrowserThread(worker, executablePath) });
        else failed(message.type === 'opened' && message.reason !== undefined ? message.reason : 'the browser thread did not start');
      });
      worker.once('error', onError).once('exit', onExit);
    });
  }

  record(html: string | Uint8Array, options: RecordOptions = {}): Promise<PageRecording> {
    if (this.worker.threadId === -1) return Promise.reject(new Error('the browser thread has ended (closed, or it crashed)'));
    const id = this.nextId++;
    return new Promise<PageRecording>((resolve, reject) => {
      const settle = (outcome: () => void) => {
        this.worker.off('message', onMessage).off('exit', onExit);
        outcome();
      };
      const onMessage = (message: FromBrowserThread) => {
        if (message.type === 'recorded' && message.id === id) settle(() => resolve(message.recording));
        if (message.type === 'record-failed' && message.id === id) settle(() => reject(new Error(message.message)));
      };
      const onExit = (code: number) => settle(() => reject(new Error(`the browser thread exited (code ${code}) while playing the page${this.failure ? `: ${this.failure.message}` : ''}`)));
      this.worker.on('message', onMessage).on('exit', onExit);
      this.worker.postMessage({ type: 'record', id, html, options } satisfies ToBrowserThread);
    });
  }

  /** Closes Chromium, then ends the thread (at once, if the thread is gone or does not answer). */
  async close(): Promise<void> {
    if (this.worker.threadId === -1) return;
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      const timer = setTimeout(done, 5_000);
      this.worker.once('exit', () => { clearTimeout(timer); done(); });
      this.worker.on('message', (message: FromBrowserThread) => {
        if (message.type === 'closed') { clearTimeout(timer); done(); }
      });
      this.worker.postMessage({ type: 'close' } satisfies ToBrowserThread);
    });
    await this.worker.terminate();
  }
}

/** Chromium launched before a page needed it, for the first page of its executable to take. */
let launchedEarly: { executablePath: string; opening: Promise<BrowserOpening> } | undefined;

/**
 * Launches Chromium now, in its thread, for the next page to take: the CLI starts it while the
 * candidate loads. Returns the way out: it closes the browser if no page took it (a player, a run
 * that fails before its page).
 */
export function launchBrowserEarly(executablePath: string = chromiumPath()): () => Promise<void> {
  const opening = BrowserThread.open(executablePath);
  launchedEarly = { executablePath, opening };
  return async () => {
    if (launchedEarly?.opening !== opening) return; // a page took it, and closes it
    launchedEarly = undefined;
    const opened = await opening;
    if (opened.ok) await opened.browser.close();
  };
}

/** The browser launched early for this executable if there is one, else Chromium driven from this thread. */
export function openBrowser(executablePath: string = chromiumPath()): Promise<BrowserOpening> {
  const early = launchedEarly;
  if (early?.executablePath === executablePath) {
    launchedEarly = undefined;
    return early.opening;
  }
  return DiscoveryBrowser.open(executablePath);
}
