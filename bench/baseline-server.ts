// The benchmark's baseline: the least a Node HTTP server can do, answering the same JSON body.
import { createServer } from 'node:http';

const [port, body] = process.argv.slice(2);
createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(body);
}).listen(Number(port), '127.0.0.1', () => process.send?.('ready'));
