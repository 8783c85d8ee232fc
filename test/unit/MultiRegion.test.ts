import { expect } from 'chai';
import { loadConfig } from '../../src/adapters/lambda/config.js';
import { CircuitBreaker } from '../../src/adapters/dynamodb/regional/CircuitBreaker.js';
import { fnv1a32, HomeRegions, regionTag } from '../../src/adapters/dynamodb/regional/HomeRegions.js';
import { UlidIdGenerator } from '../../src/adapters/runtime/UlidIdGenerator.js';
import { SettleWindow } from '../../src/core/SettleWindow.js';
import { TYPES } from '../../src/adapters/lambda/TYPES.js';
import { buildContainer, resolve } from '../../src/adapters/lambda/container.js';

describe('Several regions', () => {
  describe('HomeRegions', () => {
    const homes = new HomeRegions(['us-east-1', 'eu-west-1', 'ap-southeast-2'], 'eu-west-1');

    it('homes a tagged id in the region of its tag, anything else in the primary', () => {
      expect(homes.ofId('user-01JD0000000000000000000000euwest1')).to.equal('eu-west-1');
      expect(homes.ofId('group-01JD0000000000000000000000apsoutheast2')).to.equal('ap-southeast-2');
      expect(homes.ofId('user-01JD0000000000000000000000'), 'made before several regions').to.equal('us-east-1');
      expect(homes.ofId('user-01JD0000000000000000000000uswest2'), 'a tag of no region of the deployment').to.equal('us-east-1');
    });

    it('homes a counter key in one region, the same for every process, spread over the regions', () => {
      expect(homes.ofAddress('register:192.0.2.1')).to.equal(new HomeRegions(['eu-west-1', 'ap-southeast-2', 'us-east-1'], 'us-east-1').ofAddress('register:192.0.2.1'));
      const used = new Set(Array.from({ length: 60 }, (_, i) => homes.ofAddress(`register:192.0.2.${i}`)));
      expect(used.size, 'sixty addresses use all three regions').to.equal(3);
      expect(fnv1a32(''), 'FNV-1a offset basis').to.equal(0x811c9dc5);
      expect(fnv1a32('a')).to.equal(0xe40c292c);
    });

    it('tags ids with letters and digits only, as ids must be', () => {
      const ids = new UlidIdGenerator(regionTag('eu-west-1'));
      expect(ids.newUserId()).to.match(/^user-[0-9A-Z]{26}euwest1$/);
      expect(ids.newGroupId()).to.match(/^group-[0-9A-Z]{26}euwest1$/);
      expect(ids.newMessageId(Date.now()), 'message ids are not tagged').to.match(/^msg-[0-9A-Z]{26}$/);
      expect(new UlidIdGenerator().newUserId(), 'one region: as before').to.match(/^user-[0-9A-Z]{26}$/);
    });
  });

  describe('CircuitBreaker', () => {
    it('opens after three failures in a row within the window, then lets one trial through', () => {
      const breaker = new CircuitBreaker({ failures: 3, windowMs: 10_000, openMs: 30_000 });
      breaker.failed(0);
      breaker.failed(1_000);
      expect(breaker.allows(1_500), 'two failures: still closed').to.equal(true);
      breaker.failed(2_000);
      expect(breaker.allows(2_001), 'three: open').to.equal(false);
      expect(breaker.retryAfterSeconds(2_001)).to.equal(30);
      expect(breaker.allows(32_000), 'after openMs, one trial').to.equal(true);
      expect(breaker.allows(32_001), 'and only one').to.equal(false);
      breaker.failed(32_100);
      expect(breaker.allows(32_200), 'a failed trial opens it again').to.equal(false);
      expect(breaker.allows(62_200)).to.equal(true);
      breaker.succeeded();
      expect(breaker.allows(62_300), 'a trial that succeeds closes it').to.equal(true);
    });

    it('does not open on failures spread wider than the window, or broken by a success', () => {
      const breaker = new CircuitBreaker({ failures: 3, windowMs: 10_000, openMs: 30_000 });
      breaker.failed(0);
      breaker.failed(11_000);
      breaker.failed(22_000);
      expect(breaker.allows(22_001)).to.equal(true);
      breaker.failed(23_000);
      breaker.succeeded();
      breaker.failed(24_000);
      expect(breaker.allows(24_001)).to.equal(true);
    });
  });

  describe('configuration', () => {
    const base = { TOKEN_SECRET: 'x'.repeat(32), STORAGE: 'dynamodb', TABLE_NAME: 't', AWS_REGION: 'eu-west-1' };

    it('is off by default and with MULTI_REGION=off, whatever REGIONS says: one region as before', () => {
      expect(loadConfig(base).multiRegion).to.equal(undefined);
      expect(loadConfig({ ...base, MULTI_REGION: 'off', REGIONS: 'us-east-1' }).multiRegion).to.equal(undefined);
    });

    it('reads the regions, the local one, the bound (10 s by default) and local endpoints', () => {
      const config = loadConfig({
        ...base,
        MULTI_REGION: 'on',
        REGIONS: 'us-east-1,eu-west-1',
        DYNAMODB_ENDPOINTS: 'us-east-1=http://127.0.0.1:8001,eu-west-1=http://127.0.0.1:8002',
        WEBSOCKET_CALLBACK_URL: 'http://127.0.0.1:3002/@connections',
      });
      expect(config.multiRegion).to.deep.equal({
        regions: ['us-east-1', 'eu-west-1'],
        localRegion: 'eu-west-1',
        lagBoundMs: 10_000,
        endpoints: { 'us-east-1': 'http://127.0.0.1:8001', 'eu-west-1': 'http://127.0.0.1:8002' },
      });
      expect(config.dynamodb?.endpoint, 'the local region’s replica').to.equal('http://127.0.0.1:8002');
      expect(config.push).to.deep.equal({ via: 'localStream', callbackUrl: 'http://127.0.0.1:3002/@connections', region: 'eu-west-1' });
      const settle = resolve(buildContainer(config), TYPES.SettlePolicy) as SettleWindow;
      expect(settle.windowMs, 'the settle window is 5 s + L').to.equal(15_000);
    });

    it('refuses what cannot work: memory storage, a region list without the local region, a bad bound or endpoint list', () => {
      const on = { ...base, MULTI_REGION: 'on', REGIONS: 'us-east-1,eu-west-1', WEBSOCKET_CALLBACK_URL: 'http://127.0.0.1:1/@connections' };
      expect(() => loadConfig({ ...on, MULTI_REGION: 'yes' })).to.throw(/MULTI_REGION must be one of on, off/);
      expect(() => loadConfig({ ...on, STORAGE: 'memory' })).to.throw(/needs STORAGE=dynamodb/);
      expect(() => loadConfig({ ...on, REGIONS: 'us-east-1' })).to.throw(/must contain AWS_REGION/);
      expect(() => loadConfig({ ...on, REGIONS: '' })).to.throw(/needs REGIONS/);
      expect(() => loadConfig({ ...on, REPLICATION_LAG_BOUND_MS: '999' })).to.throw(/1000 to 300000/);
      expect(() => loadConfig({ ...on, DYNAMODB_ENDPOINTS: 'us-east-1=http://127.0.0.1:1' })).to.throw(/no endpoint for eu-west-1/);
      expect(() => loadConfig({ ...on, DYNAMODB_ENDPOINT: 'http://127.0.0.1:1' })).to.throw(/needs DYNAMODB_ENDPOINTS/);
    });

    it('refuses DYNAMODB_ENDPOINTS on Lambda, and reads what Terraform sets there', () => {
      const lambda = { ...base, AWS_LAMBDA_FUNCTION_NAME: 'send_message', WEBSOCKET_CALLBACK_URL: 'https://x.execute-api.eu-west-1.amazonaws.com/push' };
      expect(() => loadConfig({ ...lambda, MULTI_REGION: 'on', REGIONS: 'us-east-1,eu-west-1', DYNAMODB_ENDPOINTS: 'us-east-1=http://x,eu-west-1=http://y' })).to.throw(
        /DYNAMODB_ENDPOINTS is for the local two-region harness only/,
      );
      const config = loadConfig({ ...lambda, MULTI_REGION: 'on', REGIONS: 'us-east-1,eu-west-1', REPLICATION_LAG_BOUND_MS: '20000' });
      expect(config.multiRegion).to.deep.equal({ regions: ['us-east-1', 'eu-west-1'], localRegion: 'eu-west-1', lagBoundMs: 20_000, endpoints: undefined });
      expect(config.push).to.deep.equal({ via: 'stream', callbackUrl: lambda.WEBSOCKET_CALLBACK_URL, region: 'eu-west-1' });
    });
  });
});
