// A tiny cookie-keeping HTTP client for the admin page: what a browser does, minus the browser.
// Redirects are not followed, so tests see each 303 and where it points.
export interface PageResponse {
  status: number;
  location: string | null;
  setCookie: string[];
  html: string;
}

export class AdminClient {
  private cookie: string | null = null;

  constructor(private readonly baseUrl: string) {}

  get sessionCookie(): string | null {
    return this.cookie;
  }

  /** Replaces the cookie (e.g. to replay an old one). */
  useCookie(cookie: string | null): void {
    this.cookie = cookie;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<PageResponse> {
    return this.send('GET', path, undefined, headers);
  }

  /** Posts a urlencoded form; arrays repeat the name (as checkboxes with a hidden field do). */
  async post(path: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<PageResponse> {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries(form)) {
      for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    }
    return this.send('POST', path, body, headers);
  }

  /** The CSRF token of the page at `path` (the same for every form of the session). */
  async csrfToken(path = '/admin/login'): Promise<string> {
    const page = await this.get(path);
    return csrfTokenIn(page.html);
  }

  async signIn(token: string): Promise<PageResponse> {
    const csrf = await this.csrfToken('/admin/login');
    return this.post('/admin/login', { _csrf: csrf, token, next: '/admin' });
  }

  private async send(method: string, path: string, body: URLSearchParams | undefined, headers: Record<string, string>): Promise<PageResponse> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      body,
      redirect: 'manual',
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...headers },
    });
    const setCookie = res.headers.getSetCookie();
    const session = setCookie.find((c) => c.startsWith('budgetbot_admin='));
    if (session) {
      const pair = session.split(';')[0] ?? '';
      // An emptied cookie (sign-out) clears ours.
      this.cookie = pair.endsWith('=') ? null : pair;
    }
    return { status: res.status, location: res.headers.get('location'), setCookie, html: await res.text() };
  }
}

export function csrfTokenIn(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF token on the page');
  return match[1];
}

/** The text of the field-error message under the input named `name`, or null. */
export function fieldErrorIn(html: string, name: string): string | null {
  const match = new RegExp(`id="f-${name}-error">([^<]*)<`).exec(html);
  return match?.[1] ?? null;
}
