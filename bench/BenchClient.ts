// The few API calls the benchmark makes to set its scene (users, tokens, a group, inbox history),
// over HTTP like any client. Every answer but 200 stops the benchmark.
export class BenchClient {
  constructor(private readonly baseUrl: string) {}

  async post(path: string, body: object, token?: string): Promise<Record<string, unknown>> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(answer)}`);
    return answer;
  }

  async register(password: string): Promise<string> {
    return (await this.post('/register_user', { password })).user_id as string;
  }

  async login(userId: string, password: string): Promise<string> {
    return (await this.post('/login', { user_id: userId, password })).token as string;
  }

  /** Follows the cursor chain from the newest page until nothing more is waiting: a caught-up poller's cursor. */
  async caughtUpCursor(token: string): Promise<string> {
    let page = await this.post('/check_messages', {}, token);
    do page = await this.post('/check_messages', { cursor: page.next_cursor, limit: 500 }, token);
    while (page.has_more === true);
    return page.next_cursor as string;
  }
}
