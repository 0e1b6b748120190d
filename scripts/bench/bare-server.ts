/**
 * Child process of `npm run bench`: the raw baseline for the cached GETs — a bare node:http server that answers
 * each path with the bytes (and content headers) our server sent for it. Not meant to be run by hand.
 */
import { createServer } from 'node:http';

interface Prepared {
  path: string;
  headers: Record<string, string>;
  body: string;
}

process.once('message', (message: { port: number; responses: Prepared[] }) => {
  const responses = new Map(
    message.responses.map((r) => {
      const body = Buffer.from(r.body, 'base64');
      return [r.path, { body, headers: { ...r.headers, 'content-length': String(body.length) } }];
    }),
  );
  const server = createServer((req, res) => {
    const prepared = responses.get(req.url ?? '');
    if (!prepared) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, prepared.headers).end(prepared.body);
  });
  server.listen(message.port, '127.0.0.1', () => process.send?.({ ready: true }));
  process.on('disconnect', () => process.exit(0));
});
