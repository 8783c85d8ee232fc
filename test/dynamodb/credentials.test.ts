// `npm run db:create` then `STORAGE=dynamodb npm start` must meet in the same database. DynamoDB
// Local without -sharedDb (its default, and its Docker image's) keeps one per access key id and
// region, so a table created signing as `local` is missing for a server signing with the AWS
// credentials most developers have in their environment.
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { startDynamoDbLocal, type RunningDynamoDbLocal } from '../../scripts/dynamoDbLocal.mjs';
import { loadConfig } from '../../src/adapters/lambda/config.js';
import { buildContainer, resolve } from '../../src/adapters/lambda/container.js';
import { TYPES } from '../../src/adapters/lambda/TYPES.js';
import { dynamoDbLocal } from '../support/dynamoDbLocal.js';
import { v2Event } from '../lambda/events.js';

const run = promisify(execFile);

/** This process's environment without any AWS setting, so each case states its own. */
function baseEnvironment(): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && name !== 'DYNAMODB_ENDPOINT' && name !== 'TABLE_NAME');
  return { ...Object.fromEntries(kept), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
}

/** Runs `work` with process.env replaced by `env`, and puts it back. */
async function withEnvironment<T>(env: NodeJS.ProcessEnv, work: () => Promise<T>): Promise<T> {
  const saved = { ...process.env };
  for (const name of Object.keys(process.env)) delete process.env[name];
  Object.assign(process.env, env);
  try {
    return await work();
  } finally {
    for (const name of Object.keys(process.env)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

const WITH_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEDEVELOPER', AWS_SECRET_ACCESS_KEY: 'example-secret-of-a-developer' };

for (const sharedDb of [false, true]) {
  describe(`npm run db:create, then the server, on DynamoDB Local ${sharedDb ? 'with' : 'without'} -sharedDb`, function () {
    this.timeout(60_000);
    let local: Pick<RunningDynamoDbLocal, 'endpoint'>;
    let own: RunningDynamoDbLocal | undefined;
    before(async () => {
      // With -sharedDb: the emulator every suite shares; without: one of its own, as Local's default.
      local = sharedDb ? await dynamoDbLocal() : (own = await startDynamoDbLocal({ sharedDb }));
    });
    after(() => own?.stop());

    for (const [label, credentials] of [
      ['without AWS credentials in the environment', {}],
      ['with AWS credentials in the environment', WITH_CREDENTIALS],
    ] as const) {
      it(`serves requests on the table db:create made, ${label}`, async () => {
        const env = { ...baseEnvironment(), ...credentials, TABLE_NAME: `creds-${randomBytes(4).toString('hex')}`, DYNAMODB_ENDPOINT: local.endpoint };

        const created = await run(process.execPath, ['--import', 'tsx', 'scripts/dbCreate.ts'], { env });
        // The server as `STORAGE=dynamodb npm start` runs it in that shell: this process's
        // environment is the shell's while it is built and while it answers.
        const answer = await withEnvironment({ ...env, STORAGE: 'dynamodb', SCRYPT_COST: 'test', LOG_LEVEL: 'silent' }, () => {
          const api = resolve(buildContainer(loadConfig(process.env)), TYPES.ApiHandler);
          return api.router(v2Event({ path: '/register_user', body: { password: 'a fine password' } }));
        });

        expect(created.stdout).to.match(/^Created table creds-/);
        expect(answer.statusCode, `register_user: ${answer.body}`).to.equal(200);
      });
    }
  });
}
