// What a careless client or an attacker sends to the handlers: odd field names, broken Unicode,
// oversized ids, conflicting aliases, events that are not events. None of it may crash a route,
// change what a request does, or come back quoted at length.
import { expect } from 'chai';
import { ROUTES } from '../../src/adapters/lambda/routes.js';
import { apiFor, PASSWORD } from './apiFor.js';

const ODD_FIELDS: Record<string, unknown>[] = [
  { constructor: null },
  { constructor: 'x' },
  { constructor: { prototype: { polluted: true } } },
  { __proto__: { admin: true } },
  { prototype: 1 },
  { toString: 'x' },
  { valueOf: null },
  { hasOwnProperty: 1 },
  { target: 1 },
  { then: 'x' },
];

/** The JSON text of `body` with an own "__proto__" key, which an object literal cannot express. */
function withProtoKey(body: Record<string, unknown>): string {
  const rest = JSON.stringify(body).slice(1);
  return `{"__proto__":{"isAdmin":true}${rest === '}' ? '' : ','}${rest}`;
}

describe('hostile input to the handlers', () => {
  describe('unknown fields, whatever their names', () => {
    const postRoutes = ROUTES.filter((r) => r.method === 'POST');

    for (const route of postRoutes) {
      it(`change nothing on ${route.path}, with or without credentials`, async () => {
        const { call, register } = apiFor();
        const alice = await register();
        const credentials = route.actor ? { [route.actor.field]: alice, password: PASSWORD } : {};
        for (const base of [{}, credentials]) {
          const plain = await call(route.path, base);
          for (const odd of ODD_FIELDS) {
            const answer = await call(route.path, { ...base, ...odd });
            expect(answer.status, `${JSON.stringify(odd)} with ${JSON.stringify(base)}`).to.equal(plain.status);
            expect(answer.body.error).to.equal(plain.body.error);
            expect(answer.body.details).to.deep.equal(plain.body.details);
          }
          const proto = await call(route.path, withProtoKey(base));
          expect(proto.status, '"__proto__" as an own key').to.equal(plain.status);
        }
        expect(({} as Record<string, unknown>).polluted, 'no prototype was polluted').to.equal(undefined);
      });
    }

    it('leave block_user doing exactly what it does without them', async () => {
      const { call, register } = apiFor();
      const [alice, bob] = [await register(), await register()];

      const answer = await call('/block_user', { user_id: alice, password: PASSWORD, blocked_user_id: bob, target: alice });

      expect(answer.status).to.equal(200);
      expect(answer.body.message).to.equal(`You have blocked ${bob}.`);
    });
  });

  it('reports every bad field, each by name', async () => {
    const { call, register } = apiFor();
    const alice = await register();

    const answer = await call('/send_message', { sender_id: alice, password: PASSWORD, receiver_id: 5, message: null });

    expect(answer.status).to.equal(400);
    expect(answer.body.error).to.equal('validation_failed');
    expect(answer.body.details.map((d: { field: string }) => d.field).sort()).to.deep.equal(['message', 'receiver_id']);
  });

  describe('strings that are not well-formed Unicode', () => {
    it('refuse a lone surrogate in a password, so two different ones can never match the same hash', async () => {
      const { call } = apiFor();

      const first = await call('/register_user', { password: 'abcdefgh\ud800' });
      const second = await call('/register_user', { password: 'abcdefgh\udfff' });

      for (const answer of [first, second]) {
        expect(answer.status).to.equal(400);
        expect(answer.body.error).to.equal('validation_failed');
        expect(answer.body.details).to.deep.equal([
          { field: 'password', message: 'Strings must be well-formed Unicode (no lone surrogates).' },
        ]);
      }
    });

    it('refuse one anywhere in the body: a message, an array item, an unknown field, a field name', async () => {
      const { call, register } = apiFor();
      const [alice, bob] = [await register(), await register()];
      const base = { sender_id: alice, password: PASSWORD, receiver_id: bob, message: 'hi' };

      const cases: [Record<string, unknown>, string][] = [
        [{ ...base, message: 'hi \udc00 there' }, 'message'],
        [{ ...base, extra: ['fine', '\ud83d'] }, 'extra'],
        [{ ...base, ['bad\ud800key']: 1 }, 'bad\ufffdkey'],
      ];
      for (const [body, field] of cases) {
        const answer = await call('/send_message', body);
        expect(answer.status, field).to.equal(400);
        expect(answer.body.details[0].field).to.equal(field);
      }
      const inbox = await call('/check_messages', { user_id: bob, password: PASSWORD });
      expect(inbox.body.messages, 'nothing was sent').to.be.empty;
    });

    it('accept well-formed text outside the BMP (a surrogate pair)', async () => {
      const { call } = apiFor();

      expect((await call('/register_user', { password: 'emoji 😀 pass' })).status).to.equal(200);
    });
  });

  describe('JSON nested deeper than 32 levels', () => {
    /** A body whose own object is level 1 and holds `levels - 1` nested arrays. */
    const nested = (levels: number) => `{"x":${'['.repeat(levels - 1)}${']'.repeat(levels - 1)}}`;

    for (const route of ROUTES.filter((r) => r.method === 'POST')) {
      it(`is 400 invalid_json on ${route.path}, 4,000 deep in under 64 KiB, never a 500`, async () => {
        const { call } = apiFor();

        const answer = await call(route.path, nested(4_000));

        expect([answer.status, answer.body.error]).to.deep.equal([400, 'invalid_json']);
      });
    }

    it('accepts 32 levels and refuses 33, in arrays and in objects alike', async () => {
      const { call, register } = apiFor();
      const alice = await register();
      const objects = (levels: number) => `{"a":`.repeat(levels - 1) + '{}' + '}'.repeat(levels - 1);
      const withCredentials = (json: string) => `{"user_id":"${alice}","password":"${PASSWORD}",` + json.slice(1);

      const answers = [];
      for (const json of [nested(32), nested(33), objects(32), objects(33)]) {
        answers.push((await call('/list_groups', withCredentials(json))).status);
      }

      expect(answers).to.deep.equal([200, 400, 200, 400]);
    });

    it('is invalid_json even when the deep part also hides a lone surrogate', async () => {
      const { call } = apiFor();

      const answer = await call('/login', `{"password":"\\ud800","x":${'['.repeat(40)}"\\ud800"${']'.repeat(40)}}`);

      expect(answer.body.error).to.equal('invalid_json');
    });
  });

  describe('id fields', () => {
    const long = `user-${'x'.repeat(3000)}`;

    it('refuse an id over 64 characters in every id field, naming the field and quoting at most 64 characters', async () => {
      const { call, register } = apiFor();
      const alice = await register();
      const me = { password: PASSWORD };
      const cases: [string, Record<string, unknown>, string][] = [
        ['/login', { user_id: long, password: PASSWORD }, 'user_id'],
        ['/send_message', { sender_id: alice, ...me, receiver_id: long, message: 'x' }, 'receiver_id'],
        ['/send_message', { sender_id: long, ...me, receiver_id: alice, message: 'x' }, 'sender_id'],
        ['/block_user', { user_id: alice, ...me, blocked_user_id: long }, 'blocked_user_id'],
        ['/unblock_user', { user_id: alice, ...me, block_user_id: long }, 'block_user_id'],
        ['/create_group', { user_id: alice, ...me, members: [long] }, 'members'],
        ['/create_group', { user_id: alice, ...me, members: `${alice}, ${long}` }, 'members'],
        ['/add_remove_users', { requester_id: alice, ...me, group_id: 'group-x', user_id: long, action: 'add' }, 'user_id'],
        ['/send_group_message', { sender_id: alice, ...me, group_id: long, message: 'x' }, 'group_id'],
        ['/get_group', { user_id: alice, ...me, group_id: long }, 'group_id'],
      ];
      for (const [path, body, field] of cases) {
        const answer = await call(path, body);
        expect(answer.status, `${path} ${field}`).to.equal(400);
        expect(answer.body.error).to.equal('validation_failed');
        expect(answer.body.details.map((d: { field: string }) => d.field)).to.include(field);
        expect(JSON.stringify(answer.body), 'no long quote').not.to.contain('x'.repeat(65));
      }
    });

    it('accept an id of exactly 64 characters as well-formed (it then simply does not exist)', async () => {
      const { call, register } = apiFor();
      const alice = await register();

      const answer = await call('/send_message', {
        sender_id: alice,
        password: PASSWORD,
        receiver_id: `user-${'x'.repeat(59)}`,
        message: 'x',
      });

      expect(answer.status).to.equal(404);
      expect(answer.body.error).to.equal('user_not_found');
    });

    it('quote at most 64 characters of an unknown path', async () => {
      const { call } = apiFor();

      const answer = await call(`/${'y'.repeat(3000)}`, {});

      expect(answer.status).to.equal(404);
      expect(answer.body.message).not.to.contain('y'.repeat(65));
    });
  });

  describe('the alias block_user_id', () => {
    it('is validated like blocked_user_id: null is a validation failure, not a user named "null"', async () => {
      const { call, register } = apiFor();
      const alice = await register();

      for (const body of [{ block_user_id: null }, { blocked_user_id: null }, { block_user_id: 7 }, {}]) {
        const answer = await call('/block_user', { user_id: alice, password: PASSWORD, ...body });
        expect(answer.status, JSON.stringify(body)).to.equal(400);
        expect(answer.body.error).to.equal('validation_failed');
      }
    });

    it('may come with blocked_user_id when both name the same user, and is refused when they differ', async () => {
      const { call, register } = apiFor();
      const [alice, bob, carol] = [await register(), await register(), await register()];

      const same = await call('/block_user', { user_id: alice, password: PASSWORD, blocked_user_id: bob, block_user_id: bob });
      const differ = await call('/block_user', { user_id: alice, password: PASSWORD, blocked_user_id: bob, block_user_id: carol });
      const aliasOnly = await call('/unblock_user', { user_id: alice, password: PASSWORD, block_user_id: bob });

      expect(same.status).to.equal(200);
      expect([differ.status, differ.body.error]).to.deep.equal([400, 'validation_failed']);
      expect(aliasOnly.body.message).to.equal(`You have unblocked ${bob}.`);
    });
  });

  it('answers a malformed event with the SPEC 500 and a request id, instead of failing the invocation', async () => {
    const { api } = apiFor();

    // Each of these makes reading the event itself throw.
    for (const event of [null, { version: '2.0' }, { version: '2.0', requestContext: {} }]) {
      const result = await api.router(event as never);
      expect(result.statusCode, JSON.stringify(event)).to.equal(500);
      expect(JSON.parse(result.body)).to.include({ error: 'internal_error' });
      expect(result.headers['X-Request-Id']).to.be.a('string').and.not.equal('');
    }
  });
});
