// What deploy.sh and destroy.sh must do about the region and the state, read from their text:
// resolve the region once (scripts/deployRegion.mjs) with no default of their own, pass it to
// Terraform, keep a workspace per region, and (deploy.sh) print it before applying, ask API
// Gateway whether a logging role is set, and print the dashboard next to the API URL. With
// several regions: resolve the replica regions the same way and pass them, and (deploy.sh) ask
// each region, pass the custom domain, and print every region's URLs. build_and_run.sh passes
// into the toolbox what they read. deployFlow.test.ts runs both scripts against stand-ins for
// terraform and aws.

/** The lines that run commands (comments and blank lines left out). */
function commands(script: string): string[] {
  return script.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
}

export function regionScriptProblems(name: string, script: string, options: { deploys: boolean }): string[] {
  const problems: string[] = [];
  const lines = commands(script);
  const text = lines.join('\n');
  for (const line of lines) {
    if (/\b[a-z]{2}-[a-z]+-\d\b/.test(line)) problems.push(`${name} names a region of its own: ${line.trim()}`);
  }
  const resolves = lines.findIndex((l) => /node scripts\/deployRegion\.mjs/.test(l) && /\bregion\b/.test(l));
  if (resolves < 0) problems.push(`${name} does not take its region from scripts/deployRegion.mjs`);
  if (!/-var "region=\$region"/.test(text)) problems.push(`${name} does not give Terraform the region it resolved (-var "region=$region")`);
  const workspace = lines.findIndex((l) => /terraform .*workspace select .*"\$region"/.test(l));
  if (workspace < 0) problems.push(`${name} does not keep a state per region (terraform workspace select "$region")`);
  const firstChange = lines.findIndex((l) => /terraform .*(apply|destroy)\b/.test(l));
  if (workspace >= 0 && firstChange >= 0 && workspace > firstChange) problems.push(`${name} selects the region's workspace after changing anything`);
  if (!/node scripts\/deployRegion\.mjs --replicas/.test(text)) problems.push(`${name} does not resolve the replica regions with scripts/deployRegion.mjs --replicas`);
  if (!/-var "replica_regions=\$replicas_json"/.test(text)) problems.push(`${name} does not give Terraform the replica regions it resolved`);
  if (options.deploys) {
    if (!/for r in "\$\{regions\[@\]\}"/.test(text) || !/aws apigateway get-account --region "\$r"/.test(text) || !/aws lambda get-account-settings --region "\$r"/.test(text)) {
      problems.push(`${name} does not ask every region of the deployment for its quota and logging role`);
    }
    if (!/-var "domain_name=\$DOMAIN_NAME"/.test(text) || !/-var "hosted_zone_id=\$HOSTED_ZONE_ID"/.test(text)) problems.push(`${name} does not pass DOMAIN_NAME and HOSTED_ZONE_ID`);
    if (!/output -json regional_urls/.test(text)) problems.push(`${name} does not print each region's URLs`);
    const printed = lines.findIndex((l) => /echo .*region \$region/.test(l));
    if (printed < 0 || (firstChange >= 0 && printed > firstChange)) problems.push(`${name} does not print the region before applying`);
    if (!/workspace select -or-create "\$region"/.test(text)) problems.push(`${name} cannot make the workspace of a new region`);
    if (!/aws apigateway get-account/.test(text) || !/apigateway_logging_role_exists=true/.test(text)) {
      problems.push(`${name} does not tell Terraform whether API Gateway has a logging role (aws apigateway get-account)`);
    }
    if (!/output -raw dashboard_url/.test(text)) problems.push(`${name} does not print the dashboard URL`);
  }
  return problems;
}

/**
 * The environment the scripts read, by name: `${NAME...}` in a script, `env.NAME` in a Node script
 * it runs (scripts/deployRegion.mjs). Upper-case names only: the scripts' own variables are lower case.
 */
export function environmentRead(scripts: readonly string[]): string[] {
  const names = scripts.flatMap((text) => [...text.matchAll(/\$\{([A-Z][A-Za-z0-9_]*)[:}]|\benv\.([A-Z][A-Za-z0-9_]*)/g)].map((m) => (m[1] ?? m[2]) as string));
  return [...new Set(names)].sort();
}

/**
 * What build_and_run.sh does not pass into the toolbox of what the scripts run in it read: each
 * name as `--env NAME` (passed when set, left unset otherwise), TF_VAR_* all at once.
 */
export function passThroughProblems(wrapper: string, read: readonly string[]): string[] {
  const passesTfVars = /compgen -e \| grep '\^TF_VAR_'/.test(wrapper);
  return read
    .filter((name) => !(name.startsWith('TF_VAR_') && passesTfVars) && !new RegExp(`--env ${name}\\b`).test(wrapper))
    .map((name) => `build_and_run.sh does not pass ${name}, which the deploy scripts read`);
}
