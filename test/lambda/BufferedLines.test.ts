import { expect } from 'chai';
import { BufferedLines } from '../../src/adapters/lambda/BufferedLines.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('BufferedLines', () => {
  it('writes the lines of one turn of the event loop in one write, in order, one per line', async () => {
    const writes: string[] = [];
    const lines = new BufferedLines((chunk) => writes.push(chunk));

    lines.write('{"n":1}');
    lines.write('{"n":2}');
    lines.write('{"n":3}');
    expect(writes, 'nothing before the turn ends').to.deep.equal([]);
    await nextTurn();

    expect(writes).to.deep.equal(['{"n":1}\n{"n":2}\n{"n":3}\n']);
  });

  it('starts a new write for the lines of the next turn', async () => {
    const writes: string[] = [];
    const lines = new BufferedLines((chunk) => writes.push(chunk));

    lines.write('a');
    await nextTurn();
    lines.write('b');
    await nextTurn();

    expect(writes).to.deep.equal(['a\n', 'b\n']);
  });

  it('writes at once when a turn queues a thousand lines, so a batch stays bounded', () => {
    const writes: string[] = [];
    const lines = new BufferedLines((chunk) => writes.push(chunk));

    for (let i = 0; i < 1_000; i++) lines.write(`line ${i}`);

    expect(writes).to.have.length(1);
    expect(writes[0]!.split('\n')).to.have.length(1_001);
  });

  it('writes whatever is queued when flushed, as the process does when it exits', () => {
    const writes: string[] = [];
    const lines = new BufferedLines((chunk) => writes.push(chunk));

    lines.write('last words');
    lines.flush();
    lines.flush();

    expect(writes).to.deep.equal(['last words\n']);
  });
});
