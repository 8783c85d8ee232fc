import { startDynamoDbLocal } from '../scripts/dynamoDbLocal.mjs';
import { ensureTable } from '../src/adapters/dynamodb/ensureTable.ts';
import { DynamoDBStreamsClient, ListStreamsCommand, DescribeStreamCommand } from '@aws-sdk/client-dynamodb-streams';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
const local = await startDynamoDbLocal();
await ensureTable({ tableName: 'ttt', region: 'local', endpoint: local.endpoint });
const creds = { accessKeyId: 'local', secretAccessKey: 'local' };
const ddb = new DynamoDBClient({ region: 'local', endpoint: local.endpoint, credentials: creds });
const st = new DynamoDBStreamsClient({ region: 'local', endpoint: local.endpoint, credentials: creds });
const arn = (await st.send(new ListStreamsCommand({ TableName: 'ttt' }))).Streams![0]!.StreamArn!;
for (let i = 0; i < 3000; i++) {
  await ddb.send(new PutItemCommand({ TableName: 'ttt', Item: { PK: { S: 'a' + i }, SK: { S: 'b' } } }));
  if (i % 500 === 0) console.log(i, JSON.stringify((await st.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards));
}
console.log(JSON.stringify((await st.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards));
await local.stop();
