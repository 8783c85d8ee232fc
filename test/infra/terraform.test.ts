// infra/terraform, checked statically against the code it deploys: the route table, the built
// bundle's exports, the DynamoDB table definition and the adapter's IAM actions. No terraform
// binary and no AWS account needed. Each check also runs on a copy broken on purpose, so a check
// that stopped looking would fail here.
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { LAMBDA_MODULE, LAMBDA_ZIP, type BuiltLambda } from '../../scripts/buildLambda.mjs';
import { DYNAMODB_ACTIONS, PUSH_DYNAMODB_ACTIONS } from '../../src/adapters/dynamodb/permissions.js';
import { inboxPartition } from '../../src/adapters/dynamodb/keys.js';
import { TTL_ATTRIBUTE, tableDefinition } from '../../src/adapters/dynamodb/tableDefinition.js';
import { STREAM_HANDLER, WEBSOCKET_ROUTES } from '../../src/adapters/lambda/pushRoutes.js';
import { ROUTES } from '../../src/adapters/lambda/routes.js';
import { builtLambda } from '../support/builtLambda.js';
import {
  TERRAFORM_DIR,
  block,
  copyOf,
  instances,
  loadRegionModule,
  loadTerraform,
  loadTfvars,
  locals,
  resolve,
  routeMap,
  stackOf,
  type Body,
  type TerraformConfig,
} from './terraformConfig.js';
import {
  dependencyCycleProblems,
  documentationProblems,
  environmentProblems,
  permissionProblems,
  providerPinProblems,
  pushPermissionProblems,
  routeProblems,
  streamConsumerProblems,
  tableProblems,
  webSocketRouteProblems,
  STREAM_CONSUMER,
  type DynamoDbGrant,
  type FunctionsBySide,
} from './terraformChecks.js';

const TABLE = tableDefinition('any-name');
/** What every inbox partition key starts with (keys.ts): the stream filter's prefix. */
const INBOX_PREFIX = inboxPartition('');
const ENVIRONMENT = [
  'STORAGE',
  'TABLE_NAME',
  'API_PROFILE',
  'TOKEN_SECRET_PARAMETER',
  'LOG_LEVEL',
  'REGISTER_PER_MINUTE',
  'UNKNOWN_USER_CHECKS_PER_MINUTE',
  'NODE_OPTIONS',
  'WEBSOCKET_CALLBACK_URL',
  'POWERTOOLS_SERVICE_NAME',
  'POWERTOOLS_METRICS_NAMESPACE',
  'TRACING',
  'MULTI_REGION',
  'REGIONS',
  'REPLICATION_LAG_BOUND_MS',
];
const FUNCTIONS: FunctionsBySide = {
  http: ['aws_lambda_function.route'],
  push: ['aws_lambda_function.websocket', STREAM_CONSUMER],
  streamConsumer: STREAM_CONSUMER,
};
/** Which functions' role gets which of permissions.ts's lists. */
const GRANTS: readonly DynamoDbGrant[] = [
  { functions: ['aws_lambda_function.route'], actions: DYNAMODB_ACTIONS, name: 'DYNAMODB_ACTIONS' },
  { functions: FUNCTIONS.push, actions: PUSH_DYNAMODB_ACTIONS, name: 'PUSH_DYNAMODB_ACTIONS' },
];

describe('infra/terraform', function () {
  this.timeout(20000);

  // The root (table, keys, token secret, the module calls) and the regional stack as module.primary
  // instantiates it (functions, APIs, roles, the stream consumer): every region has the same.
  let root: TerraformConfig;
  let config: TerraformConfig;
  let built: BuiltLambda;
  const routes = (c: TerraformConfig) =>
    routeProblems(c, ROUTES, built.exports, { zip: LAMBDA_ZIP, module: LAMBDA_MODULE });
  const webSocketRoutes = (c: TerraformConfig) =>
    webSocketRouteProblems(c, WEBSOCKET_ROUTES, built.exports, { zip: LAMBDA_ZIP, module: LAMBDA_MODULE });
  const streamConsumer = (c: TerraformConfig) =>
    streamConsumerProblems(c, STREAM_HANDLER, INBOX_PREFIX, built.exports, { zip: LAMBDA_ZIP, module: LAMBDA_MODULE });
  const permissions = (c: TerraformConfig) => permissionProblems(c, GRANTS, TABLE);
  const pushPermissions = (c: TerraformConfig) => pushPermissionProblems(c, FUNCTIONS);
  const pushStatements = (c: TerraformConfig) => block(c, 'data.aws_iam_policy_document.push').statement as Body[];
  const httpStatements = (c: TerraformConfig) => block(c, 'data.aws_iam_policy_document.function').statement as Body[];
  const table = (c: TerraformConfig) => tableProblems(c, TABLE, TTL_ATTRIBUTE);
  const tableStatement = (c: TerraformConfig): Body =>
    (block(c, 'data.aws_iam_policy_document.function').statement as Body[]).find((s) => s.sid === 'Table')!;

  before(async function () {
    let module: TerraformConfig;
    [root, module, built] = await Promise.all([loadTerraform(), loadRegionModule(), builtLambda()]);
    config = stackOf(root, module);
  });

  describe('routes', function () {
    it('gives every route of ROUTES its API route, function and bundle export, from one map, and nothing else but the $default catch-all', function () {
      expect(routes(config)).to.deep.equal([]);
    });

    it('reports a route missing from the map', function () {
      const broken = copyOf(config);
      delete routeMap(broken).send_message;

      expect(routes(broken)).to.include('route send_message (POST /send_message) has no entry in local.routes');
    });

    it('reports an entry that is no route, and a handler the bundle does not export', function () {
      const broken = copyOf(config);
      routeMap(broken).admin = { route_key: 'POST /admin', handler: 'admin' };

      expect(routes(broken)).to.include.members([
        'local.routes.admin (POST /admin) is not a route of ROUTES',
        'local.routes.admin.handler "admin" is not exported by the bundle',
      ]);
    });

    it("reports a route key or handler that is not the route's", function () {
      const broken = copyOf(config);
      routeMap(broken).register_user!.route_key = 'GET /register_user';
      routeMap(broken).login!.handler = 'registerUser';

      expect(routes(broken)).to.include.members([
        'local.routes.register_user.route_key is "GET /register_user", not "POST /register_user"',
        'local.routes.login.handler is "registerUser", not the route\'s handler "login"',
      ]);
    });

    it('reports a per-route resource written out by hand instead of generated from the map', function () {
      const broken = copyOf(config);
      broken.resource!.aws_apigatewayv2_route!.health = [{ route_key: 'GET /health' }];

      expect(routes(broken)).to.include(
        'aws_apigatewayv2_route.health is written out by hand: every aws_apigatewayv2_route is generated from a route map',
      );
    });
  });

  describe('push: the WebSocket API', function () {
    it('gives every route of WEBSOCKET_ROUTES its route and function with its handler export, and nothing else', function () {
      expect(webSocketRoutes(config)).to.deep.equal([]);
    });

    it('reports a route missing, a route that is not in WEBSOCKET_ROUTES, and a handler that is not the route\'s', function () {
      const broken = copyOf(config);
      const map = locals(broken).websocket_routes as Record<string, Body>;
      delete map.ws_disconnect;
      map.ws_broadcast = { route_key: 'broadcast', handler: 'wsBroadcast' };
      map.ws_message!.handler = 'wsConnect';

      expect(webSocketRoutes(broken)).to.include.members([
        'WebSocket route $disconnect has 0 entries in local.websocket_routes, not one',
        'local.websocket_routes.ws_broadcast (broadcast) is not a route of WEBSOCKET_ROUTES',
        'local.websocket_routes.ws_broadcast.handler "wsBroadcast" is not exported by the bundle',
        'local.websocket_routes.ws_message.handler is "wsConnect", not the route\'s handler "wsMessage"',
      ]);
    });

    it('reports a route on the HTTP API, and a function invokable by any route of any stage', function () {
      const broken = copyOf(config);
      block(broken, 'aws_apigatewayv2_route.websocket').api_id = '${aws_apigatewayv2_api.main.id}';
      block(broken, 'aws_lambda_permission.websocket').source_arn = '${aws_apigatewayv2_api.websocket.execution_arn}/*';

      expect(webSocketRoutes(broken)).to.include.members([
        'aws_apigatewayv2_route.websocket.api_id is ${aws_apigatewayv2_api.main.id}, not ${aws_apigatewayv2_api.websocket.id}',
        'aws_lambda_permission.websocket.source_arn is ${aws_apigatewayv2_api.websocket.execution_arn}/*, ' +
          'not ${aws_apigatewayv2_api.websocket.execution_arn}/${local.websocket_stage}/${each.value.route_key}',
      ]);
    });

    it('reports a stage without throttling', function () {
      const broken = copyOf(config);
      delete block(broken, 'aws_apigatewayv2_stage.websocket').default_route_settings;

      expect(webSocketRoutes(broken)).to.deep.equal(['aws_apigatewayv2_stage.websocket sets no throttling rate and burst limit']);
    });
  });

  describe('push: the stream consumer', function () {
    it('runs STREAM_HANDLER, fed by one mapping from the table\'s stream: LATEST, inserts of inbox items, bounded retries, bisection', function () {
      expect(streamConsumer(config)).to.deep.equal([]);
    });

    it('reports another handler, a filter that lets other records through, and retries without end', function () {
      const broken = copyOf(config);
      block(broken, 'aws_lambda_function.push_from_stream').handler = 'handlers.wsMessage';
      (locals(broken).push_stream_filter as Body).eventName = ['INSERT', 'MODIFY'];
      block(broken, 'aws_lambda_event_source_mapping.push_from_stream').maximum_retry_attempts = -1;

      expect(streamConsumer(broken)).to.include.members([
        'aws_lambda_function.push_from_stream.handler is "handlers.wsMessage", not "handlers.pushFromStream"',
        'aws_lambda_event_source_mapping.push_from_stream filters by ' +
          '{"dynamodb":{"NewImage":{"PK":{"S":[{"prefix":"INBOX#"}]}}},"eventName":["INSERT","MODIFY"]}, ' +
          'not {"dynamodb":{"NewImage":{"PK":{"S":[{"prefix":"INBOX#"}]}}},"eventName":["INSERT"]}',
        'aws_lambda_event_source_mapping.push_from_stream.maximum_retry_attempts is -1: retries must be bounded (0 to 10,000)',
      ]);
    });

    it('reports a mapping from elsewhere, and the consumer fed by none', function () {
      const broken = copyOf(config);
      const mapping = block(broken, 'aws_lambda_event_source_mapping.push_from_stream');
      mapping.function_name = '${aws_lambda_function.route["send_message"].arn}';

      expect(streamConsumer(broken)).to.include.members([
        'aws_lambda_event_source_mapping.push_from_stream feeds ${aws_lambda_function.route["send_message"].arn}, not the stream consumer',
        'aws_lambda_function.push_from_stream is fed by 0 event source mappings, not one',
      ]);
    });
  });

  describe('permissions', function () {
    it('grants the HTTP functions exactly DYNAMODB_ACTIONS, the push functions PUSH_DYNAMODB_ACTIONS, on the table alone; no wildcard', function () {
      expect(permissions(config)).to.deep.equal([]);
    });

    it('reports an action of DYNAMODB_ACTIONS left out and one granted beyond it', function () {
      const broken = copyOf(config);
      const statement = tableStatement(broken);
      statement.actions = [...statement.actions.filter((a: string) => a !== 'dynamodb:Query'), 'dynamodb:Scan'];

      expect(permissions(broken)).to.include.members([
        'aws_iam_role.function is not granted dynamodb:Query',
        'aws_iam_role.function is granted dynamodb:Scan, which is not in DYNAMODB_ACTIONS',
      ]);
    });

    it("reports the push role granted the HTTP side's actions, or sharing the HTTP role", function () {
      const broken = copyOf(config);
      const statements = block(broken, 'data.aws_iam_policy_document.push').statement as Body[];
      statements.find((s) => s.sid === 'ConnectionRecords')!.actions = [...DYNAMODB_ACTIONS];
      const shared = copyOf(config);
      block(shared, 'aws_lambda_function.push_from_stream').role = '${aws_iam_role.function.arn}';

      expect(permissions(broken)).to.include('aws_iam_role.push is granted dynamodb:BatchWriteItem, which is not in PUSH_DYNAMODB_ACTIONS');
      expect(permissions(shared)).to.include('aws_iam_role.function serves functions of DYNAMODB_ACTIONS and of PUSH_DYNAMODB_ACTIONS');
    });

    it('reports a function in no list of DynamoDB actions', function () {
      const broken = copyOf(config);
      broken.resource!.aws_lambda_function!.admin = [{ role: '${aws_iam_role.function.arn}' }];

      expect(permissions(broken)).to.include('aws_lambda_function.admin is in no list of DynamoDB actions');
    });

    it('reports DynamoDB actions on another resource, and wildcard actions or resources', function () {
      const broken = copyOf(config);
      tableStatement(broken).resources = ['${aws_dynamodb_table.main.arn}', '*'];
      const key = (block(broken, 'data.aws_iam_policy_document.function').statement as Body[]).find((s) => s.sid === 'DecryptWithTheKey')!;
      key.actions = ['kms:*'];

      expect(permissions(broken)).to.include.members([
        'data.aws_iam_policy_document.function statement Table grants DynamoDB actions on *, not only the table',
        'data.aws_iam_policy_document.function statement Table has the wildcard resource *',
        'data.aws_iam_policy_document.function statement DecryptWithTheKey has the wildcard action kms:*',
      ]);
    });
  });

  describe('push permissions', function () {
    it("grants ManageConnections on this WebSocket API's connections and the stream reads to the push role only", function () {
      expect(pushPermissions(config)).to.deep.equal([]);
    });

    it('reports the HTTP functions given ManageConnections or the stream', function () {
      const broken = copyOf(config);
      const push = pushStatements(broken);
      httpStatements(broken).push(
        push.find((s) => s.sid === 'PostToAndCloseConnectionsOfThisApi')!,
        { ...push.find((s) => s.sid === 'ReadTheTableStream')!, sid: 'Stream' },
      );

      expect(pushPermissions(broken)).to.include.members([
        "data.aws_iam_policy_document.function statement PostToAndCloseConnectionsOfThisApi grants execute-api:ManageConnections to aws_iam_role.function, which is not the push functions' role",
        "data.aws_iam_policy_document.function statement Stream grants dynamodb:GetRecords to aws_iam_role.function, which is not the push functions' role",
      ]);
    });

    it('reports ManageConnections on any API, or on every stage, and the connections of this one no longer granted', function () {
      const broken = copyOf(config);
      pushStatements(broken).find((s) => s.sid === 'PostToAndCloseConnectionsOfThisApi')!.resources = [
        'arn:${local.partition}:execute-api:${local.region}:${local.account_id}:*/*/POST/@connections/*',
        '${aws_apigatewayv2_api.websocket.execution_arn}/*/DELETE/@connections/*',
      ];

      const problems = pushPermissions(broken);

      expect(problems).to.include.members([
        'data.aws_iam_policy_document.push statement PostToAndCloseConnectionsOfThisApi grants execute-api:ManageConnections on ' +
          "arn:${local.partition}:execute-api:${local.region}:${local.account_id}:*/*/POST/@connections/*, not only this WebSocket API's connections",
        'data.aws_iam_policy_document.push statement PostToAndCloseConnectionsOfThisApi grants execute-api:ManageConnections on ' +
          "${aws_apigatewayv2_api.websocket.execution_arn}/*/DELETE/@connections/*, not only this WebSocket API's connections",
        'no push role may call execute-api:ManageConnections on ${aws_apigatewayv2_api.websocket.execution_arn}/${local.websocket_stage}/POST/@connections/*',
        "aws_iam_role.push, the stream consumer's, may not post to connections " +
          '(${aws_apigatewayv2_api.websocket.execution_arn}/${local.websocket_stage}/POST/@connections/*)',
      ]);
      expect(permissions(broken), 'the wildcard rule agrees').to.include(
        'data.aws_iam_policy_document.push statement PostToAndCloseConnectionsOfThisApi has the wildcard resource ' +
          '${aws_apigatewayv2_api.websocket.execution_arn}/*/DELETE/@connections/*',
      );
    });

    it('reports the stream consumer unable to read the stream, and push sharing the HTTP role', function () {
      const broken = copyOf(config);
      pushStatements(broken).find((s) => s.sid === 'ReadTheTableStream')!.actions = ['dynamodb:DescribeStream'];
      const shared = copyOf(config);
      block(shared, 'aws_lambda_function.websocket').role = '${aws_iam_role.function.arn}';

      expect(pushPermissions(broken)).to.include.members([
        "aws_iam_role.push, the stream consumer's, is not granted dynamodb:GetRecords",
        "aws_iam_role.push, the stream consumer's, is not granted dynamodb:GetShardIterator",
        "aws_iam_role.push, the stream consumer's, is not granted dynamodb:ListStreams",
      ]);
      expect(pushPermissions(shared)).to.include('aws_iam_role.function runs both HTTP API and push functions');
    });

    it('reports stream reads on the table instead of its stream', function () {
      const broken = copyOf(config);
      pushStatements(broken).find((s) => s.sid === 'ReadTheTableStream')!.resources = ['${aws_dynamodb_table.main.arn}/stream/*'];

      expect(permissions(broken)).to.include.members([
        'data.aws_iam_policy_document.push statement ReadTheTableStream grants DynamoDB actions on ${aws_dynamodb_table.main.arn}/stream/*, not only the stream',
        'data.aws_iam_policy_document.push statement ReadTheTableStream has the wildcard resource ${aws_dynamodb_table.main.arn}/stream/*',
      ]);
    });
  });

  describe('table', function () {
    it('has the keys, attribute types, billing mode and TTL attribute of tableDefinition()', function () {
      expect(table(root)).to.deep.equal([]);
    });

    it('reports a changed key, attribute type, billing mode or TTL attribute', function () {
      const broken = copyOf(root);
      const body = block(broken, 'aws_dynamodb_table.main');
      body.range_key = 'SortKey';
      body.attribute[1].type = 'N';
      body.billing_mode = 'PROVISIONED';
      body.ttl[0].attribute_name = 'expires_at';

      const problems = table(broken);

      expect(problems).to.include('aws_dynamodb_table.main.range_key is SortKey, not SK');
      expect(problems).to.include('aws_dynamodb_table.main attributes are PK:S, SK:N, not PK:S, SK:S');
      expect(problems).to.include('aws_dynamodb_table.main.billing_mode is PROVISIONED, not PAY_PER_REQUEST');
      expect(problems.some((p) => p.includes('does not expire items by the "ttl" attribute'))).to.equal(true);
    });

    it('streams what tableDefinition() says (NEW_IMAGE), and reports a stream turned off or carrying other images', function () {
      const off = copyOf(root);
      delete block(off, 'aws_dynamodb_table.main').stream_enabled;
      const keysOnly = copyOf(root);
      block(keysOnly, 'aws_dynamodb_table.main').stream_view_type = 'KEYS_ONLY';

      expect(TABLE.StreamSpecification, 'the definition streams new images').to.deep.equal({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
      expect(table(off)).to.deep.equal(['aws_dynamodb_table.main.stream_enabled is undefined, not true']);
      expect(table(keysOnly)).to.deep.equal(['aws_dynamodb_table.main.stream_view_type is KEYS_ONLY, not NEW_IMAGE']);
    });
  });

  describe('dependencies', function () {
    it('has no cycle (WEBSOCKET_CALLBACK_URL is written from the API, not read from the stage its functions are deployed to)', function () {
      expect(dependencyCycleProblems(config), 'the regional module').to.deep.equal([]);
      expect(dependencyCycleProblems(root), 'the root').to.deep.equal([]);
    });

    it('reports the cycle of a callback URL read from the WebSocket stage', function () {
      const broken = copyOf(config);
      const withUrl = broken.locals!.find((l) => l.websocket_callback_url !== undefined)!;
      withUrl.websocket_callback_url = '${replace(aws_apigatewayv2_stage.websocket.invoke_url, "wss://", "https://")}';

      expect(dependencyCycleProblems(broken)).to.deep.equal([
        'these depend on each other in a cycle: aws_apigatewayv2_deployment.websocket, aws_apigatewayv2_integration.websocket, ' +
          'aws_apigatewayv2_route.websocket, aws_apigatewayv2_stage.websocket, aws_lambda_function.websocket, local.environment, ' +
          'local.websocket_callback_url',
      ]);
    });
  });

  describe('variables, outputs and providers', function () {
    it('gives every variable a type and a description, and every output a description, in the root and the regional module', function () {
      expect(documentationProblems(root), 'the root').to.deep.equal([]);
      expect(documentationProblems(config), 'the regional module').to.deep.equal([]);
    });

    it('reports a variable without type or description and an output without description', function () {
      const broken = copyOf(root);
      delete broken.variable!.region![0]!.type;
      delete broken.output!.api_url![0]!.description;

      expect(documentationProblems(broken)).to.deep.equal(['variable region has no type', 'output api_url has no description']);
    });

    it('pins the aws and random providers to exact versions', function () {
      expect(providerPinProblems(root, ['aws', 'random'])).to.deep.equal([]);
    });

    it('reports a provider pinned to a range', function () {
      const broken = copyOf(root);
      broken.terraform![0]!.required_providers[0].aws.version = '~> 6.0';

      expect(providerPinProblems(broken, ['aws', 'random'])).to.deep.equal([
        'provider aws is not pinned to one version (version = "~> 6.0")',
      ]);
    });

    it('has an api_url output: the URL the integration suite is pointed at, the custom domain when there is one, else the primary region\'s', function () {
      expect(root.output?.api_url?.[0]?.value).to.equal('${var.domain_name == null ? module.primary.api_url : "https://${var.domain_name}"}');
      expect(config.output?.api_url?.[0]?.value, "the module's").to.equal('${aws_apigatewayv2_stage.default.invoke_url}');
    });

    it('sets in integration.tfvars only variables it declares', async function () {
      const tfvars = await loadTfvars(join(TERRAFORM_DIR, 'integration.tfvars'));
      const undeclared = (values: Record<string, unknown>) => Object.keys(values).filter((name) => !root.variable?.[name]);

      expect(Object.keys(tfvars), 'integration.tfvars sets something').to.not.be.empty;
      expect(undeclared(tfvars)).to.deep.equal([]);
      expect(undeclared({ ...tfvars, registr_per_minute: 1 }), 'a misspelt name').to.deep.equal(['registr_per_minute']);
    });
  });

  describe('functions', function () {
    it("get the app's configuration for AWS, the token secret's parameter (not the secret), encrypted by the customer-managed key", function () {
      expect(environmentProblems(config, ENVIRONMENT)).to.deep.equal([]);
    });

    it('reports a test-only setting, the token secret itself in the environment, and another parameter', function () {
      const broken = copyOf(config);
      const environment = {
        ...(resolve(broken, '${local.environment}') as Body),
        SCRYPT_COST: 'test',
        TOKEN_SECRET: '${ephemeral.random_password.token_secret.result}',
        TOKEN_SECRET_PARAMETER: '/elsewhere/secret',
      };
      block(broken, 'aws_lambda_function.route').environment[0].variables = environment;

      const problems = environmentProblems(broken, ENVIRONMENT);

      expect(problems).to.include(
        "aws_lambda_function.route TOKEN_SECRET_PARAMETER is not the name of the token secret's parameter (${var.token_secret_parameter_name})",
      );
      expect(problems.some((p) => p.includes('environment is') && p.includes('SCRYPT_COST') && p.includes('TOKEN_SECRET,'))).to.equal(true);
    });

    it("reports a WEBSOCKET_CALLBACK_URL that is not this WebSocket API's stage", function () {
      const broken = copyOf(config);
      const environment = {
        ...(resolve(broken, '${local.environment}') as Body),
        WEBSOCKET_CALLBACK_URL: 'https://${aws_apigatewayv2_api.websocket.id}.execute-api.${local.region}.${local.dns_suffix}/production',
      };
      block(broken, 'aws_lambda_function.push_from_stream').environment[0].variables = environment;

      expect(environmentProblems(broken, ENVIRONMENT)).to.deep.equal([
        'aws_lambda_function.push_from_stream WEBSOCKET_CALLBACK_URL is ' +
          'https://${aws_apigatewayv2_api.websocket.id}.execute-api.${local.region}.${local.dns_suffix}/production, not ' +
          "https://${aws_apigatewayv2_api.websocket.id}.execute-api.${local.region}.${local.dns_suffix}/${local.websocket_stage} (this WebSocket API's stage)",
      ]);
    });

    it("reports MULTI_REGION on in one region too, REGIONS in another order, and REPLICATION_LAG_BOUND_MS that is not the variable's", function () {
      const broken = copyOf(config);
      const environment = {
        ...(resolve(broken, '${local.environment}') as Body),
        MULTI_REGION: 'on',
        REGIONS: '${join(",", reverse(var.settings.regions))}',
        REPLICATION_LAG_BOUND_MS: '10000',
      };
      block(broken, 'aws_lambda_function.websocket').environment[0].variables = environment;

      expect(environmentProblems(broken, ENVIRONMENT)).to.deep.equal([
        'aws_lambda_function.websocket MULTI_REGION is on, not ${local.multi_region ? "on" : "off"}',
        'aws_lambda_function.websocket REGIONS is ${join(",", reverse(var.settings.regions))}, not ${join(",", var.settings.regions)}',
        'aws_lambda_function.websocket REPLICATION_LAG_BOUND_MS is 10000, not ${tostring(var.settings.replication_lag_bound_ms)}',
      ]);
    });

    it('run on arm64, with more memory where every request hashes a password', function () {
      const functions = instances(config, 'aws_lambda_function');
      const memory = Object.fromEntries(functions.map((f) => [f.address, resolve(config, f.body.memory_size, f.each)]));
      const hashing = ['aws_lambda_function.route["register_user"]', 'aws_lambda_function.route["login"]'];

      for (const f of functions) expect(f.body.architectures, f.address).to.deep.equal(['arm64']);
      for (const address of hashing) expect(memory[address], `${address} memory`).to.equal(1769);
      for (const address of Object.keys(memory).filter((a) => !hashing.includes(a))) {
        expect(memory[address], `${address} memory`).to.be.below(1769);
      }
    });
  });

  it('is formatted as `terraform fmt` writes it (checked where terraform is installed)', function () {
    if (spawnSync('terraform', ['version'], { stdio: 'ignore' }).error) this.skip();

    const unformatted = execFileSync('terraform', ['fmt', '-check', '-list=true', '-recursive', TERRAFORM_DIR], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });

    expect(unformatted.trim(), 'files terraform fmt would change').to.equal('');
  });
});
