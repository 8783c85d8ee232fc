// A stand-in for SSM Parameter Store's GetParameter on a loopback port: what the bundle's start-up
// reads the token secret from in tests and in the cold-start measurement (scripts/coldStart.mjs),
// through a real socket and the real SSM client (AWS_ENDPOINT_URL_SSM points the SDK at it).
// It answers GetParameter for the parameters it was given and ParameterNotFound for others, and
// records each request's target and body.
import { createServer } from 'node:http';
import { once } from 'node:events';

/** @param {Record<string, string>} parameters name -> value */
export async function startSsmStub(parameters) {
  /** @type {{ target: string | undefined, body: any }[]} */
  const requests = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      const target = req.headers['x-amz-target'];
      const body = raw ? JSON.parse(raw) : {};
      requests.push({ target: Array.isArray(target) ? target[0] : target, body });
      const value = parameters[body.Name];
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (target !== 'AmazonSSM.GetParameter' || value === undefined) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'ParameterNotFound', message: 'Parameter not found.' }));
        return;
      }
      res.end(
        JSON.stringify({
          Parameter: { Name: body.Name, Type: 'SecureString', Value: value, Version: 1, DataType: 'text', ARN: `arn:aws:ssm:local:000000000000:parameter${body.Name}` },
        }),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}
