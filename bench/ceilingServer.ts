// The ceiling of `npm run bench`: a bare node:http server that reads and parses a JSON body and
// answers a fixed JSON object with the API's standard headers, and does nothing else. Whatever
// the API does on top of this is what its rows' ratio to this one measures.
//   node --import tsx bench/ceilingServer.ts        (PORT, default 0: a free port)
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { STANDARD_HEADERS } from '../src/adapters/lambda/responses.js';

const ANSWER = JSON.stringify({ messages: [], next_cursor: 'eyJ2IjoxLCJ0IjowLCJpIjoiIiwicyI6W119', has_more: false });

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch {
      res.writeHead(400, STANDARD_HEADERS).end('{"error":"invalid_json"}');
      return;
    }
    res.writeHead(200, STANDARD_HEADERS).end(ANSWER);
  });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(`Ceiling server listening on http://localhost:${port}`);
});
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
