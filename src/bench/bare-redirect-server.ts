// The baseline of bench:redirect: bare node:http answering the same 302 with the same headers.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const location =
  'https://market.affnet.test/item/1005000000000.html?aff_click_id=01m8afrhywzmdpqqxwd01t4set';
const cookie =
  'affnet_click=01m8afrhywzmdpqqxwd01t4set; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax';
const server = http.createServer((_req, res) => {
  res.writeHead(302, {
    location,
    'set-cookie': cookie,
    'cache-control': 'no-store',
    'content-length': '0',
  });
  res.end();
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
