// The deployment workflow's scripts and image, checked statically: shellcheck on every script
// (installed by .ci/run; Debian's package `shellcheck`), strict mode, the executable bit, and the
// Dockerfile's pinned versions agreeing with what the project requires.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { environmentRead, passThroughProblems, regionScriptProblems } from './deployScriptChecks.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPTS = ['deploy.sh', 'destroy.sh', 'build_and_run.sh', '.ci/run'];

function shellcheck(file: string): { status: number | null; output: string } {
  const run = spawnSync('shellcheck', ['--external-sources', file], { cwd: ROOT, encoding: 'utf8' });
  if (run.error) {
    throw new Error(
      'shellcheck is not installed, so the deployment scripts cannot be checked: apt-get install shellcheck ' +
        '(.ci/run installs it when it is missing)',
    );
  }
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

/** "1.11.4" -> [1, 11, 4] */
function version(text: string): number[] {
  return text.split('.').map(Number);
}

function atLeast(actual: number[], minimum: number[]): boolean {
  for (let i = 0; i < Math.max(actual.length, minimum.length); i++) {
    const [a, m] = [actual[i] ?? 0, minimum[i] ?? 0];
    if (a !== m) return a > m;
  }
  return true;
}

describe('Deployment scripts and image', function () {
  for (const script of SCRIPTS) {
    it(`${script} passes shellcheck`, function () {
      const { status, output } = shellcheck(script);

      expect(status, `shellcheck ${script}:\n${output}`).to.equal(0);
    });

    it(`${script} runs in strict mode and is executable`, function () {
      const lines = readFileSync(join(ROOT, script), 'utf8').split('\n');
      const firstCommand = lines.slice(1).find((line) => line.trim() !== '' && !line.startsWith('#'));

      expect(lines[0], `${script} shebang`).to.equal('#!/usr/bin/env bash');
      expect(firstCommand, `${script}: the first command`).to.equal('set -euo pipefail');
      expect(statSync(join(ROOT, script)).mode & 0o111, `${script} is executable`).to.not.equal(0);
    });
  }

  it('shellcheck reports a script with an unquoted expansion: the check can fail', function () {
    const dir = mkdtempSync(join(tmpdir(), 'shellcheck-'));
    try {
      const careless = join(dir, 'careless.sh');
      writeFileSync(careless, '#!/usr/bin/env bash\nset -euo pipefail\nrm -rf $1/build\n');

      const { status, output } = shellcheck(careless);

      expect(status, 'shellcheck exit status on a careless script').to.not.equal(0);
      expect(output).to.include('SC2086');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds its image from pinned Node, Terraform and AWS CLI versions that the project accepts', function () {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const args = Object.fromEntries([...dockerfile.matchAll(/^ARG (\w+)=(\S+)$/gm)].map((m) => [m[1], m[2]]));
    const engines = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node as string;
    const terraform = readFileSync(join(ROOT, 'infra/terraform/versions.tf'), 'utf8');
    const [, minimum, below] = /required_version = ">= ([\d.]+), < ([\d.]+)"/.exec(terraform) ?? [];

    for (const name of ['NODE_VERSION', 'TERRAFORM_VERSION', 'AWS_CLI_VERSION']) {
      expect(args[name], `${name} is one exact version`).to.match(/^\d+\.\d+\.\d+$/);
    }
    expect(dockerfile, 'no image by a floating tag').to.not.match(/^FROM \S+:latest/m);
    expect(atLeast(version(args.NODE_VERSION!), version(engines.replace('>=', ''))), `Node ${args.NODE_VERSION} meets ${engines}`).to.equal(true);
    expect(atLeast(version(args.TERRAFORM_VERSION!), version(minimum!)), `Terraform ${args.TERRAFORM_VERSION} >= ${minimum}`).to.equal(true);
    expect(atLeast(version(args.TERRAFORM_VERSION!), version(below!)), `Terraform ${args.TERRAFORM_VERSION} < ${below}`).to.equal(false);
  });

  describe('the toolbox (build_and_run.sh)', function () {
    const read = (name: string) => readFileSync(join(ROOT, name), 'utf8');
    const deployEnvironment = () => environmentRead(['deploy.sh', 'destroy.sh', 'scripts/deployRegion.mjs'].map(read));

    it('passes in every variable deploy.sh and destroy.sh read (REPLICA_REGIONS, DOMAIN_NAME...): without one, a deployment run through it loses its regions or domain', function () {
      expect(deployEnvironment(), 'what the scripts read').to.include.members(['REPLICA_REGIONS', 'DOMAIN_NAME', 'HOSTED_ZONE_ID', 'AWS_REGION', 'TF_VAR_region']);
      expect(passThroughProblems(read('build_and_run.sh'), deployEnvironment())).to.deep.equal([]);
    });

    it('reports a variable it does not pass', function () {
      const old = read('build_and_run.sh').replace(' --env DOMAIN_NAME', '');

      expect(passThroughProblems(old, deployEnvironment())).to.deep.equal(['build_and_run.sh does not pass DOMAIN_NAME, which the deploy scripts read']);
    });
  });

  describe('the region and the state (deploy.sh, destroy.sh)', function () {
    const read = (name: string) => readFileSync(join(ROOT, name), 'utf8');

    it('deploy.sh resolves one region, prints it before applying, keeps a workspace per region, detects the logging role, prints the dashboard', function () {
      expect(regionScriptProblems('deploy.sh', read('deploy.sh'), { deploys: true })).to.deep.equal([]);
    });

    it('destroy.sh resolves the same region and destroys only its workspace', function () {
      expect(regionScriptProblems('destroy.sh', read('destroy.sh'), { deploys: false })).to.deep.equal([]);
    });

    it('reports the scripts as they were: us-east-1 when AWS_REGION is unset, one state for every region', function () {
      const old = read('deploy.sh')
        .replace(/^read -r region region_source .*$/m, 'region="${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}"')
        .replace(/^terraform -chdir="\$tf_dir" workspace select .*$/m, '');

      expect(regionScriptProblems('deploy.sh', old, { deploys: true })).to.deep.equal([
        'deploy.sh names a region of its own: region="${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-1}}"',
        'deploy.sh does not take its region from scripts/deployRegion.mjs',
        'deploy.sh does not keep a state per region (terraform workspace select "$region")',
        'deploy.sh cannot make the workspace of a new region',
      ]);
    });

    it('reports the scripts of one region only: no replica regions, one region asked, no custom domain, no regional URLs', function () {
      const old = read('deploy.sh')
        .replaceAll('node scripts/deployRegion.mjs --replicas', 'echo - []')
        .replace(/-var "replica_regions=\$replicas_json" /, '')
        .replaceAll('--region "$r" ', '')
        .replace(/^if \[\[ -n "\$\{DOMAIN_NAME:-\}" \]\]; then tf_args.*$/m, '')
        .replace('output -json regional_urls', 'output -raw api_url');
      const oldDestroy = read('destroy.sh').replace(' -var "replica_regions=$replicas_json"', '');

      expect(regionScriptProblems('deploy.sh', old, { deploys: true })).to.deep.equal([
        'deploy.sh does not resolve the replica regions with scripts/deployRegion.mjs --replicas',
        'deploy.sh does not give Terraform the replica regions it resolved',
        'deploy.sh does not ask every region of the deployment for its quota and logging role',
        'deploy.sh does not pass DOMAIN_NAME and HOSTED_ZONE_ID',
        "deploy.sh does not print each region's URLs",
      ]);
      expect(regionScriptProblems('destroy.sh', oldDestroy, { deploys: false })).to.deep.equal([
        'destroy.sh does not give Terraform the replica regions it resolved',
      ]);
    });

    it('reports a script that applies before it says where, and one that forgets the logging role and the dashboard', function () {
      const late = read('deploy.sh')
        .replace(/^echo "Deploying to account .*$/m, '')
        .replace(/^(terraform -chdir="\$tf_dir" apply .*)$/m, '$1\necho "Deployed to region $region"')
        .replace(/aws apigateway get-account/g, 'true')
        .replace(/output -raw dashboard_url/g, 'output -raw api_url');

      expect(regionScriptProblems('deploy.sh', late, { deploys: true })).to.deep.equal([
        'deploy.sh does not ask every region of the deployment for its quota and logging role',
        'deploy.sh does not print the region before applying',
        'deploy.sh does not tell Terraform whether API Gateway has a logging role (aws apigateway get-account)',
        'deploy.sh does not print the dashboard URL',
      ]);
    });
  });
});
