// A fake arXiv API and Crossref for the browser tests, on 127.0.0.1 only. It serves the
// project's own fixtures in ./fixtures and answers 404 (Crossref) or an empty feed (arXiv)
// for anything else.
import { createServer } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const port = Number(process.env.FAKE_UPSTREAM_PORT ?? 18081);
const empty = '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>none</title></feed>';

createServer((req, res) => {
  const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
  if (url.pathname === '/health') {
    res.writeHead(200).end('ok');
  } else if (url.pathname === '/api/query') {
    const id = (url.searchParams.get('id_list') ?? '').replace('/', '_');
    const file = join(here, 'fixtures', `arxiv-${id}.xml`);
    res.writeHead(200, { 'content-type': 'application/atom+xml' });
    res.end(existsSync(file) ? readFileSync(file) : empty);
  } else {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Resource not found.');
  }
}).listen(port, '127.0.0.1');
