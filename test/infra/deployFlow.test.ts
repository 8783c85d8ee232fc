// deploy.sh and destroy.sh run for real, against stand-ins for the tools that would touch AWS
// (terraform, aws, npm, curl, python3: small scripts that log their arguments and answer what a
// deployment would), in a copy of what the scripts read (variables.tf, scripts/deployRegion.mjs).
// What is checked: the regions and switches each script resolves and hands to Terraform, in
// which workspace, what deploy.sh asks AWS of each region, and the URLs it prints.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A stand-in command: logs "<name> <args>" a line, then runs `body` (sh). */
function standIn(bin: string, name: string, body: string): void {
  const path = join(bin, name);
  writeFileSync(path, `#!/bin/sh\necho "${name} $*" >> "$CALLS"\n${body}\n`);
  chmodSync(path, 0o755);
}

const REGIONAL_URLS = JSON.stringify({
  'ap-northeast-1': { api: 'https://c.execute-api.ap-northeast-1.amazonaws.com', websocket: 'wss://w3', dashboard: 'https://d3' },
  'eu-west-1': { api: 'https://b.execute-api.eu-west-1.amazonaws.com', websocket: 'wss://w2', dashboard: 'https://d2' },
  'us-east-1': { api: 'https://a.execute-api.us-east-1.amazonaws.com', websocket: 'wss://w1', dashboard: 'https://d1' },
});

describe('deploy.sh and destroy.sh, run against stand-ins for terraform and aws', function () {
  this.timeout(30000);

  let dir: string;
  let calls: string;

  function run(script: 'deploy.sh' | 'destroy.sh', args: string[], env: Record<string, string>): { status: number | null; output: string; calls: string[] } {
    writeFileSync(calls, '');
    const result = spawnSync('bash', [join(dir, script), ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: `${join(dir, 'bin')}:${process.env.PATH}`, HOME: dir, CALLS: calls, ...env },
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}`, calls: readFileSync(calls, 'utf8').trim().split('\n') };
  }

  before(function () {
    if (spawnSync('bash', ['--version'], { stdio: 'ignore' }).error) this.skip();
    dir = mkdtempSync(join(tmpdir(), 'deploy-flow-'));
    calls = join(dir, 'calls.log');
    for (const path of ['deploy.sh', 'destroy.sh', 'scripts/deployRegion.mjs', 'infra/terraform/variables.tf']) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      copyFileSync(join(ROOT, path), join(dir, path));
    }
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist/lambda.zip'), '');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    standIn(bin, 'npm', 'exit 0');
    standIn(bin, 'curl', 'exit 0');
    standIn(bin, 'python3', 'exit 1'); // no pytest here: deploy.sh says so and skips it
    // AWS: an account with the usual quota; API Gateway has a logging role in eu-west-1 only.
    standIn(
      bin,
      'aws',
      `case "$*" in
  "sts get-caller-identity"*) echo 123456789012 ;;
  *"lambda get-account-settings"*) echo 1000 ;;
  *"apigateway get-account --region eu-west-1"*) echo arn:aws:iam::123456789012:role/apigw-logs ;;
  *"apigateway get-account"*) echo None ;;
  *) exit 1 ;;
esac`,
    );
    standIn(
      bin,
      'terraform',
      `case "$*" in
  *"output -raw api_url"*) echo "\${FAKE_API_URL:-https://a.execute-api.us-east-1.amazonaws.com}" ;;
  *"output -raw api_profile"*) echo secure ;;
  *"output -raw websocket_url"*) echo wss://w1 ;;
  *"output -raw dashboard_url"*) echo https://d1 ;;
  *"output -json regional_urls"*) echo '${REGIONAL_URLS}' ;;
esac
exit 0`,
    );
  });

  after(function () {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('deploys one region by default: no replica, no domain, the workspace of the region', function () {
    const { status, output, calls } = run('deploy.sh', ['--no-test', '--yes'], { AWS_REGION: 'us-east-1' });

    expect(status, output).to.equal(0);
    expect(output).to.include('No replica regions (from the default of variable replica_regions in infra/terraform/variables.tf): one region');
    const apply = calls.find((c) => c.startsWith('terraform -chdir=infra/terraform apply'))!;
    expect(apply).to.include('-var region=us-east-1 -var replica_regions=[] ');
    expect(apply).to.include('-var apigateway_logging_role_replica_regions=[]');
    expect(apply).to.not.include('domain_name');
    expect(calls).to.include('terraform -chdir=infra/terraform workspace select -or-create us-east-1');
    expect(output, 'one region: no list of regional URLs').to.not.include("Each region's own URLs");
  });

  it('deploys several regions and a domain: asks each region, passes them all, prints every region\'s URLs, waits for each /health', function () {
    const { status, output, calls } = run('deploy.sh', ['--yes'], {
      AWS_REGION: 'us-east-1',
      REPLICA_REGIONS: 'eu-west-1,ap-northeast-1',
      DOMAIN_NAME: 'chat.example.com',
      HOSTED_ZONE_ID: 'Z0123456789ABCDEFGHIJ',
      FAKE_API_URL: 'https://chat.example.com',
    });

    expect(status, output).to.equal(0);
    expect(output).to.include('Replica regions: eu-west-1 ap-northeast-1 (from REPLICA_REGIONS)');
    expect(output).to.include('Custom domain: https://chat.example.com and wss://ws.chat.example.com (hosted zone Z0123456789ABCDEFGHIJ)');
    for (const region of ['us-east-1', 'eu-west-1', 'ap-northeast-1']) {
      expect(calls, `the quota in ${region}`).to.include(`aws lambda get-account-settings --region ${region} --query AccountLimit.ConcurrentExecutions --output text`);
      expect(calls, `the logging role in ${region}`).to.include(`aws apigateway get-account --region ${region} --query cloudwatchRoleArn --output text`);
    }
    const apply = calls.find((c) => c.startsWith('terraform -chdir=infra/terraform apply'))!;
    expect(apply).to.include('-var region=us-east-1 -var replica_regions=["eu-west-1","ap-northeast-1"]');
    expect(apply).to.include('-var domain_name=chat.example.com -var hosted_zone_id=Z0123456789ABCDEFGHIJ');
    expect(apply, 'the role found in eu-west-1 only').to.include('-var apigateway_logging_role_replica_regions=["eu-west-1"]');
    expect(apply, 'none in the primary').to.not.include('apigateway_logging_role_exists=true');
    expect(calls, 'one workspace: the primary region').to.include('terraform -chdir=infra/terraform workspace select -or-create us-east-1');
    expect(output).to.include('API URL:   https://chat.example.com (profile secure, primary region us-east-1)');
    expect(output).to.include('  eu-west-1: API https://b.execute-api.eu-west-1.amazonaws.com  Push wss://w2  Dashboard https://d2');
    expect(output).to.include('  ap-northeast-1: API https://c.execute-api.ap-northeast-1.amazonaws.com  Push wss://w3  Dashboard https://d3');
    for (const url of ['https://a.execute-api.us-east-1.amazonaws.com', 'https://b.execute-api.eu-west-1.amazonaws.com', 'https://chat.example.com']) {
      expect(calls.some((c) => c.startsWith('curl ') && c.endsWith(`${url}/health`)), `waits for ${url}/health`).to.equal(true);
    }
    expect(calls).to.include('npm run test:integration -- --url=https://chat.example.com --profile=secure');
  });

  it('refuses a replica region that is no region code before touching AWS', function () {
    const { status, output, calls } = run('deploy.sh', ['--no-test'], { AWS_REGION: 'us-east-1', REPLICA_REGIONS: 'eu-west-1,Europe' });

    expect(status).to.not.equal(0);
    expect(output).to.include('REPLICA_REGIONS lists "Europe", which is not an AWS region code');
    expect(calls.filter((c) => c.startsWith('aws ') || c.startsWith('terraform '))).to.deep.equal([]);
  });

  it('destroys the whole deployment with the same regions, unprotecting every replica first when asked', function () {
    const { status, output, calls } = run('destroy.sh', ['--yes', '--unprotect-table'], { AWS_REGION: 'us-east-1', REPLICA_REGIONS: 'eu-west-1' });

    expect(status, output).to.equal(0);
    expect(output).to.include('and in its replica regions: eu-west-1 (from REPLICA_REGIONS)');
    expect(calls).to.include('terraform -chdir=infra/terraform workspace select us-east-1');
    expect(calls).to.include(
      'terraform -chdir=infra/terraform apply -auto-approve -var region=us-east-1 -var replica_regions=["eu-west-1"] -var table_deletion_protection=false -target=aws_dynamodb_table.main',
    );
    expect(calls).to.include('terraform -chdir=infra/terraform destroy -auto-approve -var region=us-east-1 -var replica_regions=["eu-west-1"]');
  });
});
