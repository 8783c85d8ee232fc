// npm run db:create: creates the table on an endpoint (DynamoDB Local) from the adapter's own
// table definition. Reads TABLE_NAME (default messaging), DYNAMODB_ENDPOINT (default
// http://localhost:8000) and AWS_REGION (default local).
import { ensureTable } from '../src/adapters/dynamodb/ensureTable.js';

const settings = {
  tableName: process.env.TABLE_NAME || 'messaging',
  endpoint: process.env.DYNAMODB_ENDPOINT || 'http://localhost:8000',
  region: process.env.AWS_REGION || 'local',
};
const created = await ensureTable(settings);
console.log(`${created ? 'Created' : 'Found'} table ${settings.tableName} on ${settings.endpoint}`);
