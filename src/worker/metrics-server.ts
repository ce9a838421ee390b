import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Log } from '../shared/log';

/** The metrics text and its content type, made fresh for one scrape. */
export type Scrape = () => Promise<{ contentType: string; body: string }>;

/** Open connections at most; more are refused until some close. */
const MAX_CONNECTIONS = 64;
/** A request must be complete within this time. */
const REQUEST_TIMEOUT_MS = 10_000;

/** Paths served; everything else is a 404. */
export const METRICS_PATH = '/metrics';
export const HEALTH_PATH = '/healthz';

/**
 * The Prometheus endpoint, served from the pinning worker so scrapes never run on the
 * host's event loop. It answers `GET /metrics` and `GET /healthz` only, binds to
 * 127.0.0.1 unless told otherwise, and is unref'd: an open endpoint never keeps a
 * process alive (the worker itself is unref'd by the host as well).
 */
export class MetricsServer {
  readonly #log: Log;
  readonly #scrape: Scrape;
  #server: Server | null = null;
  /** The scrape under way: concurrent requests share it instead of scanning again. */
  #pending: ReturnType<Scrape> | null = null;

  constructor(log: Log, scrape: Scrape) {
    this.#log = log;
    this.#scrape = scrape;
  }

  /** The bound port once listening (useful when started on port 0), else 0. */
  get port(): number {
    const address = this.#server?.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  }

  /** Starts listening; resolves with the port, or 0 when it could not bind (said once). */
  listen(port: number, host: string): Promise<number> {
    this.close();
    const server = createServer((request, response) => this.#handle(request, response));
    this.#server = server;
    server.unref();
    // A flood or a slow client must not pile up sockets in the agent's thread.
    server.maxConnections = MAX_CONNECTIONS;
    server.headersTimeout = REQUEST_TIMEOUT_MS;
    server.requestTimeout = REQUEST_TIMEOUT_MS;
    return new Promise((resolve) => {
      server.once('error', (error) => {
        this.#log.error('metrics endpoint could not listen, metrics are off', {
          host,
          port,
          error,
        });
        if (this.#server === server) this.#server = null;
        resolve(0);
      });
      server.listen(port, host, () => {
        this.#log.info('metrics endpoint listening', {
          url: `http://${host}:${this.port}${METRICS_PATH}`,
        });
        resolve(this.port);
      });
    });
  }

  close(): void {
    const server = this.#server;
    this.#server = null;
    if (server === null) return;
    server.close();
    server.closeAllConnections();
  }

  #sharedScrape(): ReturnType<Scrape> {
    if (this.#pending === null) {
      this.#pending = this.#scrape().finally(() => (this.#pending = null));
    }
    return this.#pending;
  }

  #handle(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '').split('?')[0];
    if (path !== METRICS_PATH && path !== HEALTH_PATH) {
      return reply(response, 404, 'not found: pinwatch serves /metrics and /healthz\n');
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return reply(response, 405, 'method not allowed: use GET\n');
    }
    if (path === HEALTH_PATH) return reply(response, 200, 'ok\n');
    this.#sharedScrape().then(
      ({ contentType, body }) => reply(response, 200, body, contentType),
      (error: unknown) => {
        this.#log.error('metrics scrape failed', { error });
        reply(response, 500, 'scrape failed\n');
      },
    );
  }
}

function reply(response: ServerResponse, status: number, body: string, type = 'text/plain'): void {
  response.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  response.end(response.req.method === 'HEAD' ? undefined : body);
}
