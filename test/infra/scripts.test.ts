// The deployment workflow's scripts and image, checked statically: shellcheck on every script
// (installed by .ci/run; Debian's package `shellcheck`), strict mode, the executable bit, and the
// Dockerfile's pinned versions agreeing with what the project requires.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
});
