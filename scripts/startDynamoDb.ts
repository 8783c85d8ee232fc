// npm run start:dynamodb: the API on DynamoDB Local, with the data kept under ./.data so it
// survives restarts. Starts DynamoDB Local (PORT of the API as usual; DYNAMODB_LOCAL_PORT, default
// 8000, for the emulator; DYNAMODB_LOCAL_DATA, default ./.data, for its files), creates the table if
// it is not there yet, then runs the same server as `npm start` on it. Ctrl-C stops both. The
// emulator listens on 127.0.0.1 only and serves only this user's processes, and its directory and
// files are this user's alone (dynamoDbLocal.mjs).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { startDynamoDbLocal } from './dynamoDbLocal.mjs';
import { dynamoDbSettingsFrom } from '../src/adapters/dynamodb/dynamoDbSettings.js';
import { ensureTable } from '../src/adapters/dynamodb/ensureTable.js';

const dataDir = resolve(process.env.DYNAMODB_LOCAL_DATA || '.data');
const port = Number(process.env.DYNAMODB_LOCAL_PORT || 8000);
const local = await startDynamoDbLocal({ port, dbPath: dataDir });
// The server's environment; the table is created signing exactly as the server will sign.
const serverEnv = {
  ...process.env,
  STORAGE: 'dynamodb',
  TABLE_NAME: process.env.TABLE_NAME || 'messaging',
  DYNAMODB_ENDPOINT: local.endpoint,
  AWS_REGION: 'local',
};
const settings = dynamoDbSettingsFrom(serverEnv);
const created = await ensureTable(settings);
console.log(`DynamoDB Local on ${local.endpoint}, data in ${dataDir}, table ${settings.tableName} ${created ? 'created' : 'found'}`);

const build = spawn(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
const [built] = await once(build, 'exit');
if (built !== 0) {
  await local.stop();
  process.exit(1);
}
const server = spawn(process.execPath, ['dist/server/server.mjs'], {
  stdio: 'inherit',
  env: serverEnv,
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => server.kill(signal));
const [code] = await once(server, 'exit');
await local.stop();
process.exit(code ?? 0);
