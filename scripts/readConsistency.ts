// Every DynamoDB read the storage adapter makes, and whether it is strongly consistent: what DAX
// could serve from its cache (DAX caches eventually consistent GetItem, Query and BatchGetItem
// results and passes strongly consistent and transactional reads through to DynamoDB: "DAX
// consistency", docs.aws.amazon.com/amazondynamodb/latest/developerguide/DAX.consistency.html).
// Read from the source text of src/adapters/dynamodb: each `new GetCommand(...)`,
// `new BatchGetCommand(...)`, `new QueryCommand(...)` and each call of DynamoDbTable's `query(...)`
// (which wraps a QueryCommand around its caller's input), with the argument it is given.
// `npm run cost` prints the count (SCALING.md, DAX); test/infra/readConsistency.test.ts checks it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ReadSite {
  readonly file: string;
  readonly line: number;
  /** GetCommand, BatchGetCommand, QueryCommand, or query (DynamoDbTable's). */
  readonly read: string;
  /** `ConsistentRead: true` in its argument. */
  readonly consistent: boolean;
}

export const DYNAMODB_ADAPTER_DIR = new URL('../src/adapters/dynamodb/', import.meta.url);

/** The text of the balanced parentheses that open at `open` (the argument list). */
function argumentText(source: string, open: number): string {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    if (source[i] === '(') depth++;
    else if (source[i] === ')' && --depth === 0) return source.slice(open + 1, i);
  }
  throw new Error('unbalanced parentheses');
}

/**
 * The read sites of some source files. The QueryCommand DynamoDbTable.query builds from its
 * caller's input (`...input`) is not a site of its own: each call of query() is.
 */
export function readSites(files: readonly { file: string; text: string }[]): ReadSite[] {
  const sites: ReadSite[] = [];
  const pattern = /\bnew (GetCommand|BatchGetCommand|QueryCommand)\(|\btable\.(query)\(/g;
  for (const { file, text } of files) {
    for (const match of text.matchAll(pattern)) {
      const read = (match[1] ?? match[2]) as string;
      const open = match.index! + match[0].length - 1;
      const argument = argumentText(text, open);
      if (read === 'QueryCommand' && file.endsWith('/DynamoDbTable.ts') && /^\s*\{\s*\.\.\.input\b/.test(argument)) continue;
      const line = text.slice(0, match.index).split('\n').length;
      sites.push({ file, line, read, consistent: /\bConsistentRead:\s*true\b/.test(argument) });
    }
  }
  return sites;
}

/** The read sites of the adapter as it is. */
export function adapterReadSites(dir: URL = DYNAMODB_ADAPTER_DIR): ReadSite[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.ts'))
    .sort()
    .map((name) => ({ file: `src/adapters/dynamodb/${name}`, text: readFileSync(join(dir.pathname, name), 'utf8') }));
  return readSites(files);
}
