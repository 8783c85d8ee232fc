import { expect } from 'chai';
import { decodeCursor, encodeCursor, MAX_CURSOR_CHARS } from '../../src/adapters/lambda/CursorCodec.js';
import { endOf, type InboxCursor } from '../../src/core/InboxCursor.js';
import { Limits } from '../../src/core/Limits.js';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('CursorCodec', () => {
  it('round-trips a cursor', () => {
    const cursor: InboxCursor = { after: { sentAt: 1_767_225_600_000, id: 'msg-01JABC' }, seen: ['msg-01JABD', 'msg-01JABE'] };

    expect(decodeCursor(encodeCursor(cursor))).to.deep.equal(cursor);
    expect(decodeCursor(encodeCursor({ after: endOf(5), seen: [] })).after).to.deep.equal(endOf(5));
  });

  it('keeps the largest cursor the core can make under 16 KiB', () => {
    const largest: InboxCursor = {
      after: { sentAt: Number.MAX_SAFE_INTEGER, id: 'm'.repeat(Limits.idMaxChars) },
      seen: Array.from({ length: Limits.cursorMaxUnsettled }, (_, i) => `${i}`.padEnd(Limits.idMaxChars, 'x')),
    };

    expect(encodeCursor(largest).length).to.be.below(16 * 1024);
  });

  it('refuses, as validation_failed on cursor, anything it did not write', () => {
    const wire = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const tooMany = Array.from({ length: Limits.cursorMaxUnsettled + 1 }, (_, i) => `msg-${i}`);
    const unreadable = [
      'garbage',
      wire({ v: 2, t: 0, i: '', s: [] }),
      wire([]),
      wire({ v: 1, t: -1, i: '', s: [] }),
      wire({ v: 1, t: 0, i: 'x'.repeat(65), s: [] }),
      wire({ v: 1, t: 0, i: '', s: [''] }),
      wire({ v: 1, t: 0, i: '', s: tooMany }),
      'A'.repeat(MAX_CURSOR_CHARS + 1),
    ];

    for (const text of unreadable) expect(codeOf(() => decodeCursor(text)), text.slice(0, 40)).to.equal('validation_failed');
  });
});
