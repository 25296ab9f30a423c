import type { ServerResponse } from 'node:http';

/** Sends a whole response with its length; `type` null sends no content type (a bare redirect). */
export function send(
  res: ServerResponse,
  status: number,
  type: string | null,
  body: string | Buffer,
  headers: Record<string, string | string[]> = {},
): void {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, {
    ...(type ? { 'content-type': type } : {}),
    'content-length': buf.length,
    server: 'nginx',
    ...headers,
  });
  res.end(buf);
}
