// One adapter object per region's table, made when first needed (repositories are stateless
// wrappers of a table, so one each is enough for the process).
import type { DynamoDbTable } from '../DynamoDbTable.js';

export class PerTable<T> {
  private readonly made = new Map<DynamoDbTable, T>();

  constructor(private readonly make: (table: DynamoDbTable) => T) {}

  of(table: DynamoDbTable): T {
    let made = this.made.get(table);
    if (made === undefined) {
      made = this.make(table);
      this.made.set(table, made);
    }
    return made;
  }
}
