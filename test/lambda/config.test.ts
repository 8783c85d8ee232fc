import { expect } from 'chai';
import { loadConfig, loadConfigWithSecrets } from '../../src/adapters/lambda/config.js';
import { OWASP_SCRYPT_COST } from '../../src/adapters/runtime/ScryptPasswordHasher.js';

describe('loadConfig', () => {
  it('defaults to the secure profile, in-memory storage and the OWASP scrypt cost', () => {
    const config = loadConfig({ TOKEN_SECRET: 'x'.repeat(32) });

    expect(config).to.include({ profile: 'secure', storage: 'memory', logLevel: 'info', tokenTtlSeconds: 3600 });
    expect(config.scryptCost).to.deep.equal(OWASP_SCRYPT_COST);
    expect(config.warnings).to.be.empty;
  });

  it('warns loudly and uses a random secret when TOKEN_SECRET is absent locally', () => {
    const one = loadConfig({});
    const two = loadConfig({});

    expect(one.warnings.join()).to.contain('TOKEN_SECRET');
    expect(Buffer.from(one.tokenSecret).equals(Buffer.from(two.tokenSecret)), 'random per process').to.equal(false);
  });

  it('refuses to start on Lambda without TOKEN_SECRET, or with one under 32 bytes', () => {
    expect(() => loadConfig({ AWS_LAMBDA_FUNCTION_NAME: 'send_message' })).to.throw(/TOKEN_SECRET_PARAMETER \(or TOKEN_SECRET\) must be set/);
    expect(() => loadConfig({ TOKEN_SECRET: 'short' })).to.throw(/32 bytes/);
  });

  it('refuses test-only configuration on Lambda: the in-memory store and the cheap scrypt cost', () => {
    const lambda = { AWS_LAMBDA_FUNCTION_NAME: 'send_message', TOKEN_SECRET: 'x'.repeat(32) };

    expect(() => loadConfig(lambda), 'memory is the default').to.throw(/STORAGE=memory/);
    expect(() => loadConfig({ ...lambda, STORAGE: 'memory', SCRYPT_COST: 'test' })).to.throw(/STORAGE=memory.*SCRYPT_COST=test/);
    expect(() => loadConfig({ SCRYPT_COST: 'test' }), 'off Lambda, tests may use it').not.to.throw();
  });

  it('reads the per-address limits, 30 a minute by default', () => {
    expect(loadConfig({}).abuseLimits).to.deep.equal({ registerPerMinute: 30, unknownUserChecksPerMinute: 30 });
    expect(loadConfig({ REGISTER_PER_MINUTE: '1000', UNKNOWN_USER_CHECKS_PER_MINUTE: '5' }).abuseLimits).to.deep.equal({
      registerPerMinute: 1000,
      unknownUserChecksPerMinute: 5,
    });
    expect(() => loadConfig({ REGISTER_PER_MINUTE: '0' })).to.throw(/REGISTER_PER_MINUTE/);
  });

  it('refuses unknown values instead of guessing', () => {
    expect(() => loadConfig({ API_PROFILE: 'legacy' })).to.throw(/API_PROFILE/);
    expect(() => loadConfig({ STORAGE: 'postgres' })).to.throw(/STORAGE/);
    expect(() => loadConfig({ SCRYPT_COST: 'cheap' })).to.throw(/SCRYPT_COST/);
    expect(() => loadConfig({ TOKEN_TTL_SECONDS: '10' })).to.throw(/TOKEN_TTL_SECONDS/);
  });

  it('reads the token secret from the parameter TOKEN_SECRET_PARAMETER names, and only then', async () => {
    const asked: string[] = [];
    const reader = async () => async (name: string) => (asked.push(name), 'a-secret-kept-in-ssm-of-32-bytes-or-more');

    const fromParameter = await loadConfigWithSecrets({ TOKEN_SECRET_PARAMETER: '/prefix/token-secret' }, reader);
    const local = await loadConfigWithSecrets({ TOKEN_SECRET: 'a-local-secret-of-32-bytes-or-more!!' }, reader);

    expect(Buffer.from(fromParameter.tokenSecret).toString()).to.equal('a-secret-kept-in-ssm-of-32-bytes-or-more');
    expect(Buffer.from(local.tokenSecret).toString()).to.equal('a-local-secret-of-32-bytes-or-more!!');
    expect(asked, 'SSM asked once, for the named parameter; never without one').to.deep.equal(['/prefix/token-secret']);
    await loadConfigWithSecrets({ TOKEN_SECRET_PARAMETER: '/p', TOKEN_SECRET: 'x'.repeat(32) }, reader).then(
      () => expect.fail('both were accepted'),
      (error: Error) => expect(error.message).to.match(/not both/),
    );
  });

  it('emits metrics on Lambda, and off Lambda only when POWERTOOLS_METRICS_DISABLED=false', () => {
    const lambda = { AWS_LAMBDA_FUNCTION_NAME: 'f', STORAGE: 'dynamodb', TABLE_NAME: 't', AWS_REGION: 'eu-west-1', TOKEN_SECRET: 'x'.repeat(32), WEBSOCKET_CALLBACK_URL: 'https://x' };

    expect(loadConfig(lambda).metrics).to.deep.equal({ enabled: true, namespace: 'MessagingApi', serviceName: 'messaging-api' });
    expect(loadConfig({ ...lambda, POWERTOOLS_METRICS_DISABLED: 'true' }).metrics.enabled).to.equal(false);
    expect(loadConfig({}).metrics.enabled, 'the local server').to.equal(false);
    expect(loadConfig({ POWERTOOLS_METRICS_DISABLED: 'false', POWERTOOLS_SERVICE_NAME: 'mine' }).metrics).to.include({ enabled: true, serviceName: 'mine' });
  });
});
