// The conformance suite sends no header of its own: this forwards
// http://127.0.0.1:PORT (printed on its first line) to TARGET, adding
// `Authorization: Bearer $C1_MCP_TOKEN`, so that the suite meets the
// server as an agent with its token does.
import http from 'node:http';

const target = new URL(process.argv[2]);
const token = process.env.C1_MCP_TOKEN;
const proxy = http.createServer((request, response) => {
  const headers = { ...request.headers, authorization: `Bearer ${token}` };
  const options = {
    host: target.hostname,
    port: target.port,
    path: request.url,
    method: request.method,
    headers,
  };
  const upstream = http.request(options, (answer) => {
    response.writeHead(answer.statusCode, answer.headers);
    answer.pipe(response);
  });
  upstream.on('error', () => {
    response.writeHead(502);
    response.end();
  });
  request.pipe(upstream);
});
proxy.listen(0, '127.0.0.1', () => {
  console.log(proxy.address().port);
});
