// scripts/deployRegion.mjs: the one region deploy.sh and destroy.sh work in. A region set in the
// Terraform wins (as the original exercise has users set it), then the AWS configuration the
// provider itself would read; none is an error, never a silent us-east-1.
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveRegion, resolveReplicaRegions } from '../../scripts/deployRegion.mjs';
import { loadTfvars, TERRAFORM_DIR } from './terraformConfig.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the deployment region (scripts/deployRegion.mjs)', function () {
  let dir: string;
  const none = () => undefined;

  beforeEach(function () {
    dir = mkdtempSync(join(tmpdir(), 'deploy-region-'));
    copyFileSync(join(TERRAFORM_DIR, 'variables.tf'), join(dir, 'variables.tf'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the region set in the Terraform over the environment and the profile', async function () {
    writeFileSync(join(dir, 'terraform.tfvars'), 'region = "eu-central-1"\n');
    const env = { AWS_REGION: 'us-west-2', TF_VAR_region: 'ap-south-1' };

    expect(await resolveRegion({ terraformDir: dir, env, profileRegion: () => 'sa-east-1' })).to.deep.equal({
      region: 'eu-central-1',
      source: join(dir, 'terraform.tfvars'),
    });
  });

  it("follows Terraform's order: an auto.tfvars file over terraform.tfvars over TF_VAR_region over the variable's default", async function () {
    const variables = readFileSync(join(dir, 'variables.tf'), 'utf8');
    writeFileSync(join(dir, 'variables.tf'), variables.replace(/(variable "region" \{[\s\S]*?default\s*=\s*)null/, '$1"ca-central-1"'));

    expect((await resolveRegion({ terraformDir: dir, env: {}, profileRegion: none })).region, 'an edited default').to.equal('ca-central-1');
    expect((await resolveRegion({ terraformDir: dir, env: { TF_VAR_region: 'eu-north-1' }, profileRegion: none })).region).to.equal('eu-north-1');
    writeFileSync(join(dir, 'terraform.tfvars'), 'region = "eu-south-1"\n');
    writeFileSync(join(dir, 'b.auto.tfvars'), 'region = "me-south-1"\n');
    writeFileSync(join(dir, 'a.auto.tfvars'), 'region = "af-south-1"\n');
    expect((await resolveRegion({ terraformDir: dir, env: {}, profileRegion: none })).region, 'the last auto file in lexical order').to.equal('me-south-1');
  });

  it('takes AWS_REGION, then AWS_DEFAULT_REGION, then the profile, when the Terraform sets none', async function () {
    const resolve = (env: Record<string, string>, profile?: string) => resolveRegion({ terraformDir: dir, env, profileRegion: () => profile });

    expect(await resolve({ AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-2' }, 'eu-west-3')).to.deep.equal({ region: 'eu-west-1', source: 'AWS_REGION' });
    expect(await resolve({ AWS_DEFAULT_REGION: 'eu-west-2' }, 'eu-west-3')).to.deep.equal({ region: 'eu-west-2', source: 'AWS_DEFAULT_REGION' });
    expect(await resolve({ AWS_PROFILE: 'sandbox' }, 'eu-west-3')).to.deep.equal({ region: 'eu-west-3', source: 'the region of AWS profile sandbox' });
  });

  it('refuses when no region is set anywhere, and a value that is no region code', async function () {
    const outcome = (env: Record<string, string>) => resolveRegion({ terraformDir: dir, env, profileRegion: none }).then((r) => r.region, (e: Error) => e.message);

    expect(await outcome({})).to.match(/^No AWS region is set/);
    expect(await outcome({ AWS_REGION: 'Europe' })).to.equal('AWS_REGION says region "Europe", which is not an AWS region code');
  });

  it("reads the profile's region with the AWS CLI, as a command deploy.sh runs", function () {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const aws = join(bin, 'aws');
    writeFileSync(aws, '#!/bin/sh\n[ "$1 $2 $3" = "configure get region" ] && [ "$AWS_PROFILE" = "sandbox" ] && echo ap-northeast-2\n');
    chmodSync(aws, 0o755);

    const printed = execFileSync(process.execPath, ['scripts/deployRegion.mjs', dir], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: `${bin}:/usr/bin:/bin`, AWS_PROFILE: 'sandbox' },
    });

    expect(printed).to.equal('ap-northeast-2 the region of AWS profile sandbox\n');
  });

  it('is not overridden by integration.tfvars, which deploy.sh adds to a test deployment', async function () {
    expect(await loadTfvars(join(TERRAFORM_DIR, 'integration.tfvars'))).to.not.have.property('region');
  });

  describe('the replica regions', function () {
    it('are none unless asked: the default of variable replica_regions', async function () {
      expect(await resolveReplicaRegions({ terraformDir: dir, env: {} })).to.deep.equal({
        regions: [],
        source: `the default of variable replica_regions in ${join(dir, 'variables.tf')}`,
      });
    });

    it("take REPLICA_REGIONS (deploy.sh's -var, above every file), then Terraform's order: auto.tfvars, terraform.tfvars, TF_VAR_replica_regions", async function () {
      writeFileSync(join(dir, 'terraform.tfvars'), 'replica_regions = ["eu-west-1"]\n');
      const env = { TF_VAR_replica_regions: '["ap-south-1"]' };

      expect(await resolveReplicaRegions({ terraformDir: dir, env: { ...env, REPLICA_REGIONS: 'us-west-2, eu-north-1' } })).to.deep.equal({
        regions: ['us-west-2', 'eu-north-1'],
        source: 'REPLICA_REGIONS',
      });
      expect((await resolveReplicaRegions({ terraformDir: dir, env })).regions, 'terraform.tfvars over TF_VAR_').to.deep.equal(['eu-west-1']);
      writeFileSync(join(dir, 'z.auto.tfvars'), 'replica_regions = ["sa-east-1"]\n');
      expect((await resolveReplicaRegions({ terraformDir: dir, env })).regions, 'an auto.tfvars file first').to.deep.equal(['sa-east-1']);
      rmSync(join(dir, 'z.auto.tfvars'));
      rmSync(join(dir, 'terraform.tfvars'));
      expect((await resolveReplicaRegions({ terraformDir: dir, env })).regions).to.deep.equal(['ap-south-1']);
    });

    it('are none when REPLICA_REGIONS is set but empty, even if a file lists some (an explicit removal)', async function () {
      writeFileSync(join(dir, 'terraform.tfvars'), 'replica_regions = ["eu-west-1"]\n');

      expect(await resolveReplicaRegions({ terraformDir: dir, env: { REPLICA_REGIONS: '' } })).to.deep.equal({ regions: [], source: 'REPLICA_REGIONS' });
    });

    it('refuses a value that is no region code, a region listed twice, and a TF_VAR_ that is no list', async function () {
      const outcome = (env: Record<string, string>) => resolveReplicaRegions({ terraformDir: dir, env }).then((r) => r.regions.join(), (e: Error) => e.message);

      expect(await outcome({ REPLICA_REGIONS: 'eu-west-1,Ireland' })).to.equal('REPLICA_REGIONS lists "Ireland", which is not an AWS region code');
      expect(await outcome({ REPLICA_REGIONS: 'eu-west-1,eu-west-1' })).to.equal('REPLICA_REGIONS lists a region twice: eu-west-1, eu-west-1');
      expect(await outcome({ TF_VAR_replica_regions: 'eu-west-1' })).to.equal('TF_VAR_replica_regions is eu-west-1, not a list such as ["eu-west-1"]');
    });

    it('print as "<comma list or -> <JSON list> <source>", what deploy.sh and destroy.sh read', function () {
      const printed = (env: Record<string, string>) =>
        execFileSync(process.execPath, ['scripts/deployRegion.mjs', '--replicas', dir], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });

      expect(printed({ REPLICA_REGIONS: 'eu-west-1,ap-northeast-1' })).to.equal('eu-west-1,ap-northeast-1 ["eu-west-1","ap-northeast-1"] REPLICA_REGIONS\n');
      expect(printed({})).to.equal(`- [] the default of variable replica_regions in ${join(dir, 'variables.tf')}\n`);
    });
  });
});
