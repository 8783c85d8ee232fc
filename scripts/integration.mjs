// The black-box suite, over HTTP only.
//   node scripts/integration.mjs --url=https://abc.execute-api.eu-west-1.amazonaws.com
//     runs it against that deployment;
//   node scripts/integration.mjs
//     builds and starts the local server (in-memory store, cheap test scrypt cost) on a free
//     port, runs the suite against it and stops it.
// Extra arguments after the URL go to mocha (for example --grep).
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const args = process.argv.slice(2);
const urlArg = args.find((a) => a.startsWith('--url='));
const mochaArgs = args.filter((a) => a !== urlArg);
const url = urlArg?.slice('--url='.length) || process.env.API_URL;

const code = url ? await runSuite(url) : await withLocalServer(runSuite);
process.exit(code);

async function runSuite(apiUrl) {
  console.log(`Integration suite against ${apiUrl}`);
  const mocha = spawn('npx', ['mocha', '--config', '.mocharc.integration.json', ...mochaArgs], {
    stdio: 'inherit',
    env: { ...process.env, API_URL: apiUrl },
  });
  const [exitCode] = await once(mocha, 'exit');
  return exitCode ?? 1;
}

async function withLocalServer(run) {
  await runChecked('node', ['scripts/build.mjs']);
  const server = spawn('node', ['dist/server/server.mjs'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PORT: '0', SCRYPT_COST: 'test', LOG_LEVEL: 'silent' },
  });
  try {
    const apiUrl = await listeningUrl(server);
    return await run(apiUrl);
  } finally {
    server.kill('SIGTERM');
    await once(server, 'exit');
  }
}

function listeningUrl(server) {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 15000);
    server.stdout.setEncoding('utf8');
    server.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /https?:\/\/\S+/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    server.once('exit', (c) => reject(new Error(`server exited with ${c}: ${output}`)));
  });
}

async function runChecked(command, commandArgs) {
  const child = spawn(command, commandArgs, { stdio: 'inherit' });
  const [exitCode] = await once(child, 'exit');
  if (exitCode !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed with ${exitCode}`);
}
