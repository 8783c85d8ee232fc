// The browser client: register or log in, list and create groups, send direct and group messages,
// and a live inbox. Messages arrive by push (a WebSocket at /ws with the login token) and, after
// any (re)connection and once a minute, by the inbox's cursor, so a push that never came is
// caught up; both paths dedupe by message_id. No framework, nothing from a CDN.

const $ = (selector) => document.querySelector(selector);
const POLL_EVERY_MS = 60_000;

const state = {
  userId: '',
  token: '',
  cursor: undefined,
  shown: new Set(),
};

function say(text, error = false) {
  const status = $('#status');
  status.textContent = text;
  status.classList.toggle('error', error);
}

async function call(path, body = {}) {
  const headers = { 'content-type': 'application/json' };
  if (state.token) headers.authorization = `Bearer ${state.token}`;
  const response = await fetch(path, { method: 'POST', headers, body: JSON.stringify(body) });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.message || `${path} answered ${response.status}`);
  return answer;
}

/** Adds a message to the inbox list, once, whichever way it arrived. */
function show(message) {
  if (state.shown.has(message.message_id)) return;
  state.shown.add(message.message_id);
  const item = document.createElement('li');
  item.dataset.messageId = message.message_id;
  const meta = document.createElement('div');
  meta.className = 'meta';
  meta.textContent = `${message.timestamp} UTC · from ${message.sender_id}${message.group_id ? ` in ${message.group_id}` : ''}`;
  const text = document.createElement('div');
  text.className = 'text';
  text.textContent = message.message; // text, never HTML
  item.append(meta, text);
  $('#inbox').append(item);
}

/** Follows the cursor until nothing more is waiting; one run at a time, another queued if asked meanwhile. */
let catchingUp;
let catchUpAgain = false;
function catchUp() {
  if (catchingUp) {
    catchUpAgain = true;
    return catchingUp;
  }
  catchingUp = (async () => {
    try {
      do {
        catchUpAgain = false;
        for (;;) {
          const page = await call('/check_messages', state.cursor === undefined ? { limit: 50 } : { cursor: state.cursor });
          page.messages.forEach(show);
          state.cursor = page.next_cursor;
          if (!page.has_more) break;
        }
      } while (catchUpAgain);
    } catch (error) {
      say(error.message, true);
    } finally {
      catchingUp = undefined;
    }
  })();
  return catchingUp;
}

/** The push connection: reopened after any drop (with backoff), unless paused. */
const connection = {
  socket: undefined,
  paused: false,
  retryMs: 1000,

  open() {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws?token=${encodeURIComponent(state.token)}`;
    const socket = new WebSocket(url);
    this.socket = socket;
    socket.onopen = () => {
      this.retryMs = 1000;
      live(true);
      void catchUp(); // whatever arrived while there was no connection
    };
    socket.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.type === 'message') show(frame);
    };
    socket.onclose = () => {
      live(false);
      if (this.socket !== socket || this.paused) return;
      // Jittered, so that clients dropped together (a deployment, a network blip) do not come back together.
      setTimeout(() => !this.paused && this.socket === socket && this.open(), this.retryMs * (0.5 + Math.random()));
      this.retryMs = Math.min(this.retryMs * 2, 30_000);
    };
  },

  /** Drops the connection and stays offline until resume(): what a lost network looks like. */
  pause() {
    this.paused = true;
    this.socket?.close();
  },

  resume() {
    this.paused = false;
    this.open();
  },
};

function live(on) {
  const badge = $('#live');
  badge.textContent = on ? 'live' : 'offline';
  badge.classList.toggle('live', on);
}

async function loadGroups() {
  const { groups } = await call('/list_groups');
  const list = $('#groups');
  const target = $('#send-form select[name=target]');
  list.replaceChildren();
  target.replaceChildren(new Option('a user', 'direct'));
  for (const group of groups) {
    const item = document.createElement('li');
    item.textContent = `${group.name ?? '(no name)'} · ${group.group_id} · ${group.role}`;
    list.append(item);
    target.append(new Option(`group ${group.name ?? group.group_id}`, group.group_id));
  }
}

async function start(userId, token) {
  Object.assign(state, { userId, token, cursor: undefined });
  $('#sign-in').hidden = true;
  $('#chat').hidden = false;
  $('#who').hidden = false;
  $('#who').textContent = `Signed in as ${userId}`;
  say('');
  await Promise.all([loadGroups(), catchUp()]);
  connection.open();
  setInterval(() => void catchUp(), POLL_EVERY_MS);
}

/** Runs a form's action on submit; whatever it throws is shown to the user. */
function onSubmit(selector, action) {
  $(selector).addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await action(event.target);
    } catch (error) {
      say(error.message, true);
    }
  });
}

onSubmit('#register-form', async (form) => {
  const { user_id: userId } = await call('/register_user', { password: form.password.value });
  $('#login-form').user_id.value = userId;
  $('#login-form').password.value = form.password.value;
  say(`Registered ${userId}: log in with it.`);
});

onSubmit('#login-form', async (form) => {
  const { token } = await call('/login', { user_id: form.user_id.value, password: form.password.value });
  await start(form.user_id.value, token);
});

// The client_message_id of a send not yet answered with success: submitting the same message to
// the same place again (a double click, a retry after a network error) reuses it, so the server
// stores it once (SPEC 4); anything else gets a new one.
let unconfirmedSend = { key: '', id: '' };

onSubmit('#send-form', async (form) => {
  const target = form.target.value;
  const body =
    target === 'direct'
      ? { receiver_id: form.receiver_id.value.trim(), message: form.message.value }
      : { group_id: target, message: form.message.value };
  const key = JSON.stringify(body);
  if (unconfirmedSend.key !== key) unconfirmedSend = { key, id: crypto.randomUUID() };
  await call(target === 'direct' ? '/send_message' : '/send_group_message', { ...body, client_message_id: unconfirmedSend.id });
  unconfirmedSend = { key: '', id: '' };
  form.message.value = '';
  say('Sent.');
});

onSubmit('#group-form', async (form) => {
  const members = form.members.value.split(',').map((id) => id.trim()).filter(Boolean);
  const { group_id: groupId } = await call('/create_group', { members, name: form.name.value || undefined });
  form.reset();
  say(`Created ${groupId}.`);
  await loadGroups();
});

// For the console (and the browser test): the connection, to drop and restore it by hand.
window.chat = { state, connection, catchUp };
