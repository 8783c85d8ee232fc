// npm run db:create: creates the table on an endpoint (DynamoDB Local) from the adapter's own
// table definition. Reads what the server reads (TABLE_NAME, default messaging; DYNAMODB_ENDPOINT,
// default http://localhost:8000; AWS_REGION, default local; AWS credentials when set), through the
// same dynamoDbSettingsFrom, so the table lands in the database the server then signs into.
import { dynamoDbSettingsFrom } from '../src/adapters/dynamodb/dynamoDbSettings.js';
import { ensureTable } from '../src/adapters/dynamodb/ensureTable.js';

const settings = dynamoDbSettingsFrom(process.env, { tableName: 'messaging', endpoint: 'http://localhost:8000' });
const created = await ensureTable(settings);
console.log(`${created ? 'Created' : 'Found'} table ${settings.tableName} on ${settings.endpoint}`);
