/**
 * @module Crawl input: crawlee's CheerioCrawler from start URLs, with robots.txt, depth and page
 * limits, retries and per-host politeness. crawlee pushes pages into a handler; this source turns
 * that into a pulled stream through a small bounded queue, so a slow pipeline slows the crawl
 * instead of buffering pages in memory.
 */
import { CheerioCrawler, Configuration, Log, LogLevel } from '@crawlee/cheerio';
import type { Doc } from '../doc.js';
import { decodeHtml } from './decode-html.js';
import { logSafeUrl } from '../log-safe-url.js';
import { docId, domainOf } from './doc-id.js';
import type { Source } from './source.js';

/** Crawl settings; see `crawlOptionsSchema` in config.ts for defaults. */
export interface CrawlOptions {
  maxPages: number;
  maxDepth: number;
  /** Hosts the crawl may follow links to; empty means the start URL's own host only. */
  allowDomains: string[];
  respectRobotsTxt: boolean;
  maxRetries: number;
  maxConcurrency: number;
  /** Minimum delay between two requests to the same host. */
  sameHostDelayMs: number;
  requestTimeoutMs: number;
}

const QUEUE_CAPACITY = 16;

const SKIP_COUNTERS: Partial<Record<string, string>> = {
  robotsTxt: 'skipped_robots_txt',
  depth: 'skipped_max_depth',
  limit: 'skipped_max_pages',
};

/** Crawls from `startUrl`, yielding each HTML page as a doc with its raw HTML. */
export function createCrawlSource(opts: { startUrl: string; crawl: CrawlOptions; now?: () => Date }): Source {
  const { startUrl, crawl } = opts;
  const now = opts.now ?? (() => new Date());
  return {
    input: startUrl,
    async *scan(ctx) {
      const queue: Doc[] = [];
      let wakeConsumer: (() => void) | undefined;
      let wakeProducer: (() => void) | undefined;
      let finished = false;
      let failure: unknown;
      let offset = 0;
      const allowed = new Set(crawl.allowDomains.map((d) => d.toLowerCase()));

      // In-memory request queue: a crawl writes nothing outside the data home.
      const config = new Configuration({ persistStorage: false, purgeOnStart: true });
      const crawler = new CheerioCrawler(
        {
          maxRequestsPerCrawl: crawl.maxPages,
          maxCrawlDepth: crawl.maxDepth,
          respectRobotsTxtFile: crawl.respectRobotsTxt,
          maxRequestRetries: crawl.maxRetries,
          maxConcurrency: crawl.maxConcurrency,
          sameDomainDelaySecs: crawl.sameHostDelayMs / 1000,
          navigationTimeoutSecs: Math.ceil(crawl.requestTimeoutMs / 1000),
          requestHandlerTimeoutSecs: Math.ceil(crawl.requestTimeoutMs / 1000) + 60,
          log: new Log({ level: LogLevel.OFF }),
          onSkippedRequest({ reason }) {
            // Links crawlee chose not to fetch: counted so the report shows what robots.txt and the limits cost.
            const counter = SKIP_COUNTERS[reason];
            if (counter) ctx.stats.count(counter);
          },
          async requestHandler({ request, body, contentType, enqueueLinks, response }) {
            const url = request.loadedUrl ?? request.url;
            // crawlee hands 4xx pages (other than 401/403/429) to this handler: an error page is not content.
            if (response.statusCode !== undefined && response.statusCode >= 400) {
              ctx.stats.count(`skipped_http_${response.statusCode}`);
              ctx.logger.warn({ input: startUrl, url: logSafeUrl(url), status: response.statusCode }, 'crawl got an HTTP error page');
              return;
            }
            const { html, invalidBytes } =
              typeof body === 'string'
                ? { html: body, invalidBytes: false }
                : decodeHtml(body, contentType.encoding ? `text/html; charset=${contentType.encoding}` : undefined);
            if (invalidBytes) ctx.stats.count('invalid_utf8');
            ctx.stats.count('read');
            ctx.stats.count('bytes', typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
            queue.push({
              id: docId('crawl', 0, url),
              url,
              domain: domainOf(url),
              fetchedAt: now().toISOString(),
              title: '',
              text: '',
              html,
              source: { kind: 'crawl', input: startUrl, offset: offset++ },
            });
            wakeConsumer?.();
            await enqueueLinks(
              allowed.size === 0
                ? { strategy: 'same-hostname' }
                : {
                    strategy: 'all',
                    transformRequestFunction: (req) => (allowed.has(domainOf(req.url)) ? req : false),
                  },
            );
            // Backpressure: hold this handler (and so this crawl slot) until the pipeline has pulled.
            while (queue.length >= QUEUE_CAPACITY) await new Promise<void>((r) => (wakeProducer = r));
          },
          failedRequestHandler({ request }, error) {
            const status = /status code: (\d+)/i.exec(error.message)?.[1];
            ctx.stats.count(status ? `skipped_http_${status}` : 'skipped_fetch_failed');
            // The error's message can repeat the full URL; the log gets its name and the safe URL only.
            ctx.logger.warn({ input: startUrl, url: logSafeUrl(request.url), err: error.name, ...(status ? { status } : {}) }, 'crawl request failed');
          },
        },
        config,
      );
      // An interrupted run stops crawling at once instead of waiting for the next page.
      const stop = () => {
        void crawler.teardown();
        finished = true;
        wakeConsumer?.();
      };
      ctx.signal?.addEventListener('abort', stop, { once: true });
      const run = crawler
        .run([startUrl])
        .catch((err: unknown) => {
          failure = err;
        })
        .finally(() => {
          finished = true;
          wakeConsumer?.();
        });
      try {
        for (;;) {
          const doc = queue.shift();
          if (doc) {
            wakeProducer?.();
            yield doc;
            continue;
          }
          if (finished) break;
          await new Promise<void>((r) => (wakeConsumer = r));
        }
      } finally {
        ctx.signal?.removeEventListener('abort', stop);
        if (!finished) await crawler.teardown();
        await run;
      }
      if (failure) throw failure;
    },
  };
}
