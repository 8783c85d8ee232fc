// The rules of the IaC scanners (checkov, and with it tfsec and trivy, which check the same things
// under other ids) that apply to the resource types in infra/terraform, encoded as functions over
// the parsed configuration, each under its checkov id and name. The scanners cannot be installed
// where this project is built and tested; these stand in for them.
//
// A rule answers the addresses (`aws_lambda_function.route["login"]`) that do not meet it. Rules
// the configuration meets also carry `violate`, which breaks a copy so that the rule must fail.
// The IAM rules about unconstrained actions (CKV_AWS_107 to 111) follow checkov's cloudsplaining
// analysis in spirit: a statement on Resource "*" allowing one of the category's actions. The
// categories list the actions of the services this configuration touches, not AWS's whole catalogue.
import { blocks, instances, list, nested, resolve, type Body, type TerraformConfig } from './terraformConfig.js';
import { allows, documentOf, keyPolicyDocuments, policyStatements, type Statement } from './terraformChecks.js';

export interface ScannerRule {
  readonly id: string;
  /** The rule's name in checkov. */
  readonly title: string;
  failing(config: TerraformConfig): string[];
  /** Breaks a copy of the configuration for this rule (rules the configuration meets). */
  violate?(config: TerraformConfig): void;
}

function functionsWhere(config: TerraformConfig, fails: (body: Body, each?: { key: string; value: Body }) => boolean): string[] {
  return instances(config, 'aws_lambda_function')
    .filter((f) => fails(f.body, f.each))
    .map((f) => f.address);
}

function where(config: TerraformConfig, type: string, fails: (body: Body) => boolean): string[] {
  return instances(config, type)
    .filter((b) => fails(b.body))
    .map((b) => b.address);
}

const onlyFunction = (config: TerraformConfig): Body => blocks(config, 'aws_lambda_function')[0]!.body;
const onlyBlock = (config: TerraformConfig, type: string): Body => blocks(config, type)[0]!.body;

function addStatement(config: TerraformConfig, statement: Body): void {
  const doc = config.data!.aws_iam_policy_document!.function![0]!;
  doc.statement = [...list(doc.statement), statement];
}

/** The policy documents (their addresses) with a statement for which `fails` holds. */
function documentsWith(config: TerraformConfig, fails: (statement: Statement) => boolean): string[] {
  const failing = policyStatements(config).filter(fails);
  return [...new Set(failing.map(documentOf))];
}

/** Documents allowing one of `category`'s actions on Resource "*" (that is, without constraint). */
function unconstrained(config: TerraformConfig, category: readonly string[], skipKeyPolicies = false): string[] {
  const keyPolicies = keyPolicyDocuments(config);
  return documentsWith(
    config,
    (s) =>
      s.resources.includes('*') &&
      (s.body.effect ?? 'Allow') === 'Allow' &&
      s.actions.some((pattern) => category.some((action) => allows(pattern, action))) &&
      !(skipKeyPolicies && keyPolicies.some((doc) => s.where.startsWith(`${doc} `))),
  );
}

// cloudsplaining's lists (checkov's engine for these rules), for the services used here and the usual suspects.
const CREDENTIALS_EXPOSURE = [
  'chime:CreateApiKey', 'codepipeline:PollForJobs', 'cognito-identity:GetOpenIdToken',
  'cognito-identity:GetOpenIdTokenForDeveloperIdentity', 'cognito-identity:GetCredentialsForIdentity',
  'connect:GetFederationToken', 'ec2:GetPasswordData', 'ecr:GetAuthorizationToken',
  'gamelift:RequestUploadCredentials', 'iam:CreateAccessKey', 'iam:CreateLoginProfile',
  'iam:CreateServiceSpecificCredential', 'iam:ResetServiceSpecificCredential', 'iam:UpdateAccessKey',
  'lightsail:GetInstanceAccessDetails', 'lightsail:GetRelationalDatabaseMasterUserPassword', 'rds-db:Connect',
  'redshift:GetClusterCredentials', 'sso:GetRoleCredentials', 'sts:AssumeRole', 'sts:AssumeRoleWithSAML',
  'sts:AssumeRoleWithWebIdentity', 'sts:GetFederationToken', 'sts:GetSessionToken',
];
const DATA_EXFILTRATION = [
  's3:GetObject', 'ssm:GetParameter', 'ssm:GetParameters', 'ssm:GetParametersByPath', 'secretsmanager:GetSecretValue',
];
const PRIVILEGE_ESCALATION = [
  'iam:AddUserToGroup', 'iam:AttachGroupPolicy', 'iam:AttachRolePolicy', 'iam:AttachUserPolicy', 'iam:CreateAccessKey',
  'iam:CreateLoginProfile', 'iam:CreatePolicyVersion', 'iam:PassRole', 'iam:PutGroupPolicy', 'iam:PutRolePolicy',
  'iam:PutUserPolicy', 'iam:SetDefaultPolicyVersion', 'iam:UpdateAssumeRolePolicy', 'iam:UpdateLoginProfile',
  'lambda:CreateFunction', 'lambda:UpdateFunctionCode', 'lambda:InvokeFunction', 'ec2:RunInstances',
  'cloudformation:CreateStack', 'glue:UpdateDevEndpoint',
];
const PERMISSIONS_MANAGEMENT = [
  'iam:AttachRolePolicy', 'iam:CreatePolicy', 'iam:CreateRole', 'iam:DeleteRolePolicy', 'iam:PassRole',
  'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy', 'kms:CreateGrant', 'kms:PutKeyPolicy', 'kms:RetireGrant',
  'kms:RevokeGrant', 'lambda:AddPermission', 'lambda:RemovePermission', 'logs:PutResourcePolicy',
  'logs:DeleteResourcePolicy', 'dynamodb:PutResourcePolicy', 'dynamodb:DeleteResourcePolicy', 's3:PutBucketPolicy',
  's3:PutBucketAcl',
];
const WRITE = [
  'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:CreateTable',
  'dynamodb:DeleteTable', 'dynamodb:UpdateTable', 'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents',
  'logs:DeleteLogGroup', 'kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'lambda:UpdateFunctionCode',
  'lambda:UpdateFunctionConfiguration', 'lambda:DeleteFunction', 's3:PutObject', 's3:DeleteObject', 'sqs:SendMessage',
  'sns:Publish',
];

// Lambda runtimes AWS has deprecated (no more security patches).
const DEPRECATED_RUNTIMES = [
  'nodejs', 'nodejs4.3', 'nodejs4.3-edge', 'nodejs6.10', 'nodejs8.10', 'nodejs10.x', 'nodejs12.x', 'nodejs14.x',
  'nodejs16.x', 'nodejs18.x', 'python2.7', 'python3.6', 'python3.7', 'python3.8', 'dotnetcore1.0', 'dotnetcore2.0',
  'dotnetcore2.1', 'dotnetcore3.1', 'dotnet5.0', 'dotnet6', 'ruby2.5', 'ruby2.7', 'java8', 'go1.x', 'provided',
];

// A literal (not a reference) that looks like a credential, or a secret-named variable with a literal value.
function hardCodedSecrets(env: Body): string[] {
  return Object.entries(env)
    .filter(([, value]) => typeof value === 'string' && !value.startsWith('${'))
    .filter(([name, value]) => /SECRET|PASSWORD|PRIVATE_KEY|ACCESS_KEY|API_KEY/i.test(name) || /AKIA[0-9A-Z]{16}/.test(String(value)))
    .map(([name]) => name);
}

export const SCANNER_RULES: readonly ScannerRule[] = [
  // ---- Lambda
  {
    id: 'CKV_AWS_45',
    title: 'Ensure no hard-coded secrets exist in lambda environment',
    failing: (c) => functionsWhere(c, (f) => hardCodedSecrets((resolve(c, nested(f, 'environment')?.variables) ?? {}) as Body).length > 0),
    violate: (c) => (onlyFunction(c).environment = [{ variables: { TOKEN_SECRET: 'a-secret-written-into-the-code-0123456789' } }]),
  },
  {
    id: 'CKV_AWS_50',
    title: 'X-Ray tracing is enabled for Lambda',
    failing: (c) => functionsWhere(c, (f) => !['Active', 'PassThrough'].includes(nested(f, 'tracing_config')?.mode)),
  },
  {
    id: 'CKV_AWS_115',
    title: 'Ensure that AWS Lambda function is configured for function-level concurrent execution limit',
    failing: (c) =>
      functionsWhere(c, (f, each) => {
        const reserved = resolve(c, f.reserved_concurrent_executions, each);
        return reserved === undefined || reserved === null || reserved === -1;
      }),
  },
  {
    id: 'CKV_AWS_116',
    title: 'Ensure that AWS Lambda function is configured for a Dead Letter Queue(DLQ)',
    failing: (c) => functionsWhere(c, (f) => !nested(f, 'dead_letter_config')?.target_arn),
  },
  {
    id: 'CKV_AWS_117',
    title: 'Ensure that AWS Lambda function is configured inside a VPC',
    failing: (c) => functionsWhere(c, (f) => !nested(f, 'vpc_config')),
  },
  {
    id: 'CKV_AWS_173',
    title: 'Check encryption settings for Lambda environmental variable',
    failing: (c) => functionsWhere(c, (f) => nested(f, 'environment') !== undefined && !f.kms_key_arn),
    violate: (c) => delete onlyFunction(c).kms_key_arn,
  },
  {
    id: 'CKV_AWS_272',
    title: 'Ensure AWS Lambda function is configured to validate code-signing',
    failing: (c) => functionsWhere(c, (f) => !f.code_signing_config_arn),
  },
  {
    id: 'CKV_AWS_363',
    title: 'Ensure Lambda Runtime is not deprecated',
    failing: (c) => functionsWhere(c, (f) => DEPRECATED_RUNTIMES.includes(f.runtime)),
    violate: (c) => (onlyFunction(c).runtime = 'nodejs18.x'),
  },
  {
    id: 'CKV_AWS_301',
    title: 'Ensure that AWS Lambda function is not publicly accessible',
    failing: (c) => where(c, 'aws_lambda_permission', (p) => p.principal === '*'),
    violate: (c) => (onlyBlock(c, 'aws_lambda_permission').principal = '*'),
  },
  {
    id: 'CKV_AWS_364',
    title: 'Ensure that AWS Lambda function permissions delegated to AWS services are limited by SourceArn or SourceAccount',
    failing: (c) =>
      where(c, 'aws_lambda_permission', (p) => String(p.principal).endsWith('.amazonaws.com') && !p.source_arn && !p.source_account),
    violate: (c) => delete onlyBlock(c, 'aws_lambda_permission').source_arn,
  },

  // ---- API Gateway v2 (the HTTP API and the push WebSocket API: their stages, routes and
  // integrations alike). checkov checks Terraform's aws_apigatewayv2_stage under CKV_AWS_76;
  // CKV_AWS_95 is the same rule's id for CloudFormation templates. The REST-only rules (X-Ray
  // CKV_AWS_73, WAF CKV2_AWS_29, caching CKV_AWS_120, create-before-destroy of a deployment
  // CKV_AWS_217) do not look at v2 resources. No checkov rule checks aws_apigatewayv2_api,
  // aws_apigatewayv2_deployment or aws_api_gateway_account (the region's logging role, whose
  // policy document the IAM rules below check like every other).
  {
    id: 'CKV_AWS_76',
    title: 'Ensure API Gateway has Access Logging enabled',
    failing: (c) => where(c, 'aws_apigatewayv2_stage', (s) => !nested(s, 'access_log_settings')?.destination_arn),
    violate: (c) => delete onlyBlock(c, 'aws_apigatewayv2_stage').access_log_settings,
  },
  {
    id: 'CKV_AWS_309',
    title: 'Ensure API GatewayV2 routes specify an authorization type',
    failing: (c) => where(c, 'aws_apigatewayv2_route', (r) => !['AWS_IAM', 'CUSTOM', 'JWT'].includes(r.authorization_type)),
  },
  {
    // A graph rule: a v2 stage passes when it has a client certificate or its API is not a WebSocket API.
    id: 'CKV2_AWS_51',
    title: 'Ensure AWS API Gateway endpoints uses client certificate authentication',
    failing: (c) => [
      ...where(c, 'aws_api_gateway_stage', (s) => !s.client_certificate_id),
      ...where(c, 'aws_apigatewayv2_stage', (s) => {
        const api = blocks(c, 'aws_apigatewayv2_api').find((a) => s.api_id === `\${${a.address}.id}`);
        return !s.client_certificate_id && api?.body.protocol_type === 'WEBSOCKET';
      }),
    ],
  },
  {
    id: 'CKV_AWS_396',
    title: 'Ensure API Gateway V2 private integrations use HTTPS via tls_config',
    failing: (c) =>
      where(c, 'aws_apigatewayv2_integration', (i) => i.connection_type === 'VPC_LINK' && !nested(i, 'tls_config')?.server_name_to_verify),
    violate: (c) => (onlyBlock(c, 'aws_apigatewayv2_integration').connection_type = 'VPC_LINK'),
  },

  // ---- DynamoDB. Its stream (stream_enabled, stream_view_type) has no rule of its own: the stream is
  // encrypted with the table's key, which CKV_AWS_119 checks. Nor has the stream's consumer,
  // aws_lambda_event_source_mapping: checkov has no rule for event source mappings (their bounded
  // retries and filter are checked by test/infra/terraformChecks.ts instead), and the function it
  // invokes falls under the Lambda rules above. (aws-samples/serverless-rules, another linter, asks
  // for an on-failure destination, ES1001: the mapping has one, an encrypted SQS queue, checked by
  // test/infra/monitoring.test.ts.)
  {
    id: 'CKV_AWS_28',
    title: 'Ensure Dynamodb point in time recovery (backup) is enabled',
    failing: (c) => where(c, 'aws_dynamodb_table', (t) => nested(t, 'point_in_time_recovery')?.enabled !== true),
    violate: (c) => (onlyBlock(c, 'aws_dynamodb_table').point_in_time_recovery = [{ enabled: false }]),
  },
  {
    id: 'CKV_AWS_119',
    title: 'Ensure DynamoDB Tables are encrypted using a KMS Customer Managed CMK',
    failing: (c) =>
      where(c, 'aws_dynamodb_table', (t) => nested(t, 'server_side_encryption')?.enabled !== true || !nested(t, 'server_side_encryption')?.kms_key_arn),
    violate: (c) => (onlyBlock(c, 'aws_dynamodb_table').server_side_encryption = [{ enabled: true }]),
  },
  {
    id: 'CKV2_AWS_16',
    title: 'Ensure that Auto Scaling is enabled on your DynamoDB tables',
    failing: (c) =>
      where(c, 'aws_dynamodb_table', (t) => t.billing_mode !== 'PAY_PER_REQUEST' && blocks(c, 'aws_appautoscaling_target').length === 0),
    violate: (c) => (onlyBlock(c, 'aws_dynamodb_table').billing_mode = 'PROVISIONED'),
  },

  // ---- SNS, SQS, SSM (the alarm topic, the failed stream records' queue, the token secret)
  {
    id: 'CKV_AWS_26',
    title: 'Ensure all data stored in the SNS topic is encrypted',
    failing: (c) => where(c, 'aws_sns_topic', (t) => !t.kms_master_key_id),
    violate: (c) => delete onlyBlock(c, 'aws_sns_topic').kms_master_key_id,
  },
  {
    id: 'CKV_AWS_27',
    title: 'Ensure all data stored in the SQS queue is encrypted',
    failing: (c) => where(c, 'aws_sqs_queue', (q) => !q.kms_master_key_id && q.sqs_managed_sse_enabled !== true),
    violate: (c) => delete onlyBlock(c, 'aws_sqs_queue').kms_master_key_id,
  },
  {
    id: 'CKV_AWS_337',
    title: 'Ensure SSM parameters are using KMS CMK',
    failing: (c) => where(c, 'aws_ssm_parameter', (p) => p.type === 'SecureString' && !p.key_id),
    violate: (c) => delete onlyBlock(c, 'aws_ssm_parameter').key_id,
  },
  {
    id: 'CKV2_AWS_34',
    title: 'AWS SSM Parameter should be Encrypted',
    failing: (c) => where(c, 'aws_ssm_parameter', (p) => p.type !== 'SecureString'),
    violate: (c) => (onlyBlock(c, 'aws_ssm_parameter').type = 'String'),
  },

  // ---- KMS
  {
    id: 'CKV_AWS_7',
    title: 'Ensure rotation for customer created CMKs is enabled',
    failing: (c) => where(c, 'aws_kms_key', (k) => k.enable_key_rotation !== true),
    violate: (c) => (onlyBlock(c, 'aws_kms_key').enable_key_rotation = false),
  },
  {
    id: 'CKV_AWS_33',
    title: 'Ensure KMS key policy does not contain wildcard (*) principal',
    failing: (c) =>
      keyPolicyDocuments(c).filter((doc) =>
        policyStatements(c)
          .filter((s) => s.where.startsWith(`${doc} `))
          .some((s) => (list(s.body.principals) as Body[]).some((p) => list(p.identifiers).includes('*'))),
      ),
    violate: (c) => (c.data!.aws_iam_policy_document!.key![0]!.statement[0].principals = [{ type: 'AWS', identifiers: ['*'] }]),
  },
  {
    id: 'CKV_AWS_227',
    title: 'Ensure KMS key is enabled',
    failing: (c) => where(c, 'aws_kms_key', (k) => k.is_enabled === false),
    violate: (c) => (onlyBlock(c, 'aws_kms_key').is_enabled = false),
  },
  {
    id: 'CKV2_AWS_64',
    title: 'Ensure KMS key Policy is defined',
    // A key of one block (`${aws_kms_key.main.id}`), or each key of a for_each block its own policy
    // of the same for_each (`${aws_kms_key.replica[each.key].id}`).
    failing: (c) =>
      blocks(c, 'aws_kms_key')
        .filter(
          ({ address, body }) =>
            !blocks(c, 'aws_kms_key_policy').some(
              (p) =>
                p.body.key_id === `\${${address}.id}` ||
                (body.for_each !== undefined && p.body.for_each === body.for_each && p.body.key_id === `\${${address}[each.key].id}`),
            ),
        )
        .map((k) => k.address),
    violate: (c) => delete c.resource!.aws_kms_key_policy,
  },

  // ---- CloudWatch Logs
  {
    id: 'CKV_AWS_66',
    title: 'Ensure that CloudWatch Log Group specifies retention days',
    failing: (c) => where(c, 'aws_cloudwatch_log_group', (g) => g.retention_in_days === undefined),
    violate: (c) => delete onlyBlock(c, 'aws_cloudwatch_log_group').retention_in_days,
  },
  {
    id: 'CKV_AWS_158',
    title: 'Ensure that CloudWatch Log Group is encrypted by KMS',
    failing: (c) => where(c, 'aws_cloudwatch_log_group', (g) => !g.kms_key_id),
    violate: (c) => delete onlyBlock(c, 'aws_cloudwatch_log_group').kms_key_id,
  },
  {
    id: 'CKV_AWS_338',
    title: 'Ensure CloudWatch log groups retains logs for at least 1 year',
    failing: (c) =>
      instances(c, 'aws_cloudwatch_log_group')
        .filter((g) => {
          const days = Number(resolve(c, g.body.retention_in_days, g.each));
          return !(days === 0 || days >= 365);
        })
        .map((g) => g.address),
  },

  // ---- IAM
  {
    id: 'CKV_AWS_60',
    title: 'Ensure IAM role allows only specific services or principals to assume it',
    failing: (c) =>
      where(c, 'aws_iam_role', (role) => {
        const doc = /^\$\{(data\.aws_iam_policy_document\.[a-z_]+)\.json\}$/.exec(String(role.assume_role_policy))?.[1];
        if (!doc) return true;
        return policyStatements(c)
          .filter((s) => s.where.startsWith(`${doc} `))
          .some((s) => (list(s.body.principals) as Body[]).some((p) => list(p.identifiers).includes('*')));
      }),
    violate: (c) =>
      (c.data!.aws_iam_policy_document!.lambda_assume_role![0]!.statement[0].principals = [{ type: 'AWS', identifiers: ['*'] }]),
  },
  {
    id: 'CKV_AWS_274',
    title: 'Disallow IAM roles, users, and groups from using the AWS AdministratorAccess policy',
    failing: (c) => [
      ...where(c, 'aws_iam_role', (r) => list(r.managed_policy_arns).some((arn) => String(arn).endsWith('/AdministratorAccess'))),
      ...where(c, 'aws_iam_role_policy_attachment', (a) => String(a.policy_arn).endsWith('/AdministratorAccess')),
    ],
    violate: (c) => {
      c.resource!.aws_iam_role_policy_attachment = {
        admin: [{ role: '${aws_iam_role.function.name}', policy_arn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
      };
    },
  },
  {
    id: 'CKV_AWS_1',
    title: 'Ensure IAM policies that allow full "*-*" administrative privileges are not created',
    failing: (c) => documentsWith(c, (s) => s.actions.includes('*') && s.resources.includes('*')),
    violate: (c) => addStatement(c, { actions: ['*'], resources: ['*'] }),
  },
  {
    id: 'CKV_AWS_49',
    title: 'Ensure no IAM policies documents allow "*" as a statement\'s actions',
    failing: (c) => documentsWith(c, (s) => s.actions.includes('*')),
    violate: (c) => addStatement(c, { actions: ['*'], resources: ['${aws_dynamodb_table.main.arn}'] }),
  },
  {
    id: 'CKV_AWS_107',
    title: 'Ensure IAM policies does not allow credentials exposure',
    failing: (c) => unconstrained(c, CREDENTIALS_EXPOSURE),
    violate: (c) => addStatement(c, { actions: ['sts:GetSessionToken'], resources: ['*'] }),
  },
  {
    id: 'CKV_AWS_108',
    title: 'Ensure IAM policies does not allow data exfiltration',
    failing: (c) => unconstrained(c, DATA_EXFILTRATION),
    violate: (c) => addStatement(c, { actions: ['ssm:GetParameter'], resources: ['*'] }),
  },
  {
    id: 'CKV_AWS_109',
    title: 'Ensure IAM policies does not allow permissions management / resource exposure without constraints',
    failing: (c) => unconstrained(c, PERMISSIONS_MANAGEMENT),
    violate: (c) => addStatement(c, { actions: ['lambda:AddPermission'], resources: ['*'] }),
  },
  {
    id: 'CKV_AWS_110',
    title: 'Ensure IAM policies does not allow privilege escalation',
    failing: (c) => unconstrained(c, PRIVILEGE_ESCALATION),
    violate: (c) => addStatement(c, { actions: ['iam:PassRole'], resources: ['*'] }),
  },
  {
    id: 'CKV_AWS_111',
    title: 'Ensure IAM policies does not allow write access without constraints',
    failing: (c) => unconstrained(c, WRITE),
    violate: (c) => addStatement(c, { actions: ['dynamodb:PutItem'], resources: ['*'] }),
  },
  {
    id: 'CKV_AWS_356',
    title: 'Ensure no IAM policies documents allow "*" as a statement\'s resource for restrictable actions',
    // Like checkov, which passes key policies: there "*" is the key itself.
    failing: (c) => unconstrained(c, [...WRITE, ...PERMISSIONS_MANAGEMENT, ...DATA_EXFILTRATION, 'dynamodb:GetItem', 'dynamodb:Query'], true),
    violate: (c) => addStatement(c, { actions: ['dynamodb:Query'], resources: ['*'] }),
  },

  // ---- Provider
  {
    id: 'CKV_AWS_41',
    title: 'Ensure no hard coded AWS access key and secret key exists in provider',
    failing: (c) =>
      Object.entries(c.provider ?? {})
        .filter(([name, bodies]) => name === 'aws' && bodies.some((p) => p.access_key !== undefined || p.secret_key !== undefined))
        .map(([name]) => `provider.${name}`),
    violate: (c) => (c.provider!.aws![0]!.access_key = 'AKIAIOSFODNN7EXAMPLE'),
  },
];
