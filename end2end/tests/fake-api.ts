// A fake server speaking docs/api.md, served with page.route on the app's own origin (the
// CSP allows only connect-src 'self'), and a config.json that points the app at it.
import type { Page, Route } from "@playwright/test";

/** Where the fake server lives: the app's `baseUrl`. */
export const BASE_URL = "/api-test";

/** How the fake server answers a kind of request. */
export type Answer =
  | "ok" // as docs/api.md says
  | "500" // HTTP 500 with an HTML page
  | "malformed" // HTTP 200 with a body that is not JSON
  | "hang" // never answers
  | "unreachable" // the connection is refused (server down)
  | "forbidden"; // HTTP 403 with a DomainError body

export interface FakeSubmission {
  id: string;
  version: number;
  status: string;
  updated: string;
  protocols: { oidc: boolean; saml: boolean; scim: boolean };
  catalog: { displayName: string; [k: string]: unknown };
  [k: string]: unknown;
}

/** A submission as the server stores it (a partial draft parses: every field has a default). */
export function submission(id: string, displayName: string, version = 3): FakeSubmission {
  return {
    id,
    version,
    status: "draft",
    updated: "2026-11-28T11:00:00Z",
    protocols: { oidc: true, saml: false, scim: false },
    catalog: { displayName, description: "", logo: null, useCases: [] },
  };
}

export const USER = {
  id: "00u1",
  email: "dev@strawberry.example",
  firstName: "Ada",
  lastName: "Lovelace",
  roles: ["SUPER_ADMIN"],
};

/** The refusal the fake server sends for "forbidden", as a real server words it. */
export const FORBIDDEN = {
  code: "forbidden",
  message: "Only an app admin or a super admin can build an integration: ask your Okta admin for the role",
};

/** The fake server: its stored submissions, how it answers, and the saves it received. */
export class FakeApi {
  readonly submissions = new Map<string, FakeSubmission>();
  /** Answer to `GET /api/v1/me`. */
  me: Answer = "ok";
  /** Answer to `GET /api/v1/submissions`. */
  list: Answer = "ok";
  /** Answer to `PUT /api/v1/submissions/{id}`. */
  save: Answer = "ok";
  /** Answer to `POST /api/v1/submissions`. */
  create: Answer = "ok";
  /** Bodies of every `PUT` received, in order (whatever the answer). */
  readonly puts: FakeSubmission[] = [];
  /** When the last `PUT` reached the server (ms since the epoch). */
  lastPutAt = 0;
  /** The org's instances, as the server keeps them (with secrets). */
  readonly instances: Record<string, unknown>[] = [];
  /** Bodies of every `POST /instances` received. */
  readonly generated: Record<string, unknown>[] = [];
  /** Answer to `POST /instances`: "limit" refuses with 422 as a server at 5 active would. */
  generate: Answer | "limit" = "ok";
  /** The tester session, once initialized. */
  testerSession: { id: string; startedAt: string; expiresAt: string } | null = null;

  constructor(items: FakeSubmission[]) {
    for (const s of items) this.submissions.set(s.id, structuredClone(s));
  }

  /** Another tab or a teammate saves `id`: its version goes up. */
  savedElsewhere(id: string, displayName: string) {
    const s = this.submissions.get(id);
    if (!s) throw new Error(`no submission ${id}`);
    s.catalog.displayName = displayName;
    s.version += 1;
    s.updated = new Date().toISOString();
  }

  async install(page: Page) {
    await page.route(`**${BASE_URL}/api/v1/**`, (route) => this.answer(route));
  }

  private async answer(route: Route) {
    const request = route.request();
    const path = new URL(request.url()).pathname.slice(`${BASE_URL}/api/v1`.length);
    const method = request.method();
    const json = (status: number, body: unknown) => route.fulfill({ status, json: body });
    const special = async (answer: Answer) => {
      switch (answer) {
        case "500":
          await route.fulfill({ status: 500, contentType: "text/html", body: "<h1>Internal Server Error</h1>" });
          return true;
        case "malformed":
          await route.fulfill({ status: 200, contentType: "application/json", body: "{ \"apiVersion\": 1, \"items\": [ {" });
          return true;
        case "hang":
          // Never fulfilled: the app's own timeout must end the wait.
          return true;
        case "unreachable":
          await route.abort("connectionrefused");
          return true;
        case "forbidden":
          await route.fulfill({ status: 403, json: FORBIDDEN });
          return true;
        default:
          return false;
      }
    };

    if (method === "GET" && path === "/me") {
      if (await special(this.me)) return;
      return json(200, USER);
    }
    if (method === "GET" && path === "/submissions") {
      if (await special(this.list)) return;
      const items = [...this.submissions.values()].map((s) => ({
        id: s.id,
        version: s.version,
        displayName: s.catalog.displayName,
        logo: null,
        protocols: s.protocols,
        status: s.status,
        updated: s.updated,
        publishedVersion: (s.published as { version?: number } | null | undefined)?.version,
      }));
      return json(200, { apiVersion: 1, items });
    }
    if (method === "POST" && path === "/submissions") {
      if (await special(this.create)) return;
      const s = submission(`sub-${this.submissions.size + 1}`, "", 1);
      s.protocols = { oidc: false, saml: false, scim: false };
      this.submissions.set(s.id, s);
      return json(200, s);
    }
    const view = path.match(/^\/testing\/([^/]+)$/);
    if (method === "GET" && view) {
      const redacted = this.instances.map((i) => redactInstance(i));
      return json(200, {
        apiVersion: 1,
        orgUrl: "https://org.example.com",
        instances: redacted,
        testRuns: this.runs,
        testerSession: this.testerSession,
        users: [USER],
        groups: [],
      });
    }
    if (method === "POST" && path === "/instances") {
      const body = request.postDataJSON() as Record<string, unknown>;
      this.generated.push(body);
      if (this.generate === "limit") {
        return json(422, { code: "rejected", message: "5 instances are active; the limit is 5 (checked by the server)" });
      }
      if (await special(this.generate as Answer)) return;
      const n = this.instances.length + 1;
      const values = (body.variableValues ?? {}) as Record<string, string>;
      const instance = {
        id: `0oaH${n}`,
        submissionId: body.submissionId,
        submissionVersion: this.submissions.get(String(body.submissionId))?.version ?? 1,
        fromPublished: false,
        protocols: body.protocols,
        label: body.label,
        variableValues: values,
        assignedUsers: [USER.id],
        assignedGroups: [],
        active: true,
        inTester: false,
        createdAt: new Date().toISOString(),
        details: {
          oidc: {
            clientId: `0oaCLIENT${n}`,
            clientSecret: `HTTP-SECRET-${n}`,
            redirectUris: [`https://${values.subdomain ?? ""}.app.example.com/oidc/callback`],
            initiateLoginUri: "https://app.example.com/oidc/start",
          },
        },
      };
      this.instances.push(instance);
      return json(200, instance);
    }
    const instanceOne = path.match(/^\/instances\/([^/]+)$/);
    if (method === "GET" && instanceOne) {
      const found = this.instances.find((i) => i.id === decodeURIComponent(instanceOne[1]));
      return found ? json(200, found) : json(404, { code: "notFound", message: "No such instance" });
    }
    if (method === "POST" && path === "/tester/session") {
      const now = Date.now();
      this.testerSession = {
        id: "sess-1",
        startedAt: new Date(now).toISOString(),
        expiresAt: new Date(now + 8 * 3600_000).toISOString(),
      };
      return json(200, { apiVersion: 1, session: this.testerSession });
    }
    if (await this.submissionActions(route, method, path)) return;
    const one = path.match(/^\/submissions\/([^/]+)$/);
    if (one) {
      const id = decodeURIComponent(one[1]);
      const stored = this.submissions.get(id);
      if (method === "PUT") {
        const body = request.postDataJSON() as FakeSubmission;
        this.puts.push(body);
        this.lastPutAt = Date.now();
        if (await special(this.save)) return;
        if (!stored) return json(404, { code: "notFound", message: `There is no integration with id ${id}` });
        if (body.version !== stored.version) {
          return json(409, {
            code: "conflict",
            message: `This submission was saved elsewhere (version ${stored.version} is newer than your version ${body.version}): reload it and apply your changes again`,
          });
        }
        const saved = { ...body, version: stored.version + 1, updated: new Date().toISOString() };
        this.submissions.set(id, saved);
        return json(200, saved);
      }
      if (method === "GET") {
        if (!stored) return json(404, { code: "notFound", message: `There is no integration with id ${id}` });
        return json(200, stored);
      }
    }
    if (await this.answerTester(route, method, path)) return;
    return json(404, { code: "notFound", message: `The fake server has no ${method} ${path}` });
  }

  // ---- The tester and the SCIM check over HTTP (issue 11) ----

  /** Runs the server recorded (`GET /testing` lists them). */
  readonly runs: Record<string, unknown>[] = [];
  /** Bodies of every `POST /test-runs` and `PUT /test-runs/{id}` received, in order. */
  readonly runRequests: { method: string; path: string; body: unknown }[] = [];
  /** Where the server says the test window signs in (the app must open exactly this). */
  signInUrl = "https://idp.example.net/home/served-tile";
  /** How the server records a run: as a real server watching the sign-in, or not. */
  runSource: "observed" | "selfReported" = "observed";
  /** Answer to `POST /instances/{id}/scim-check`. */
  scimCheck: { ok: boolean; notRun?: boolean; message: string } = {
    ok: true,
    message: "The SCIM server answered GET /Users with 200",
  };
  /** Instance ids the scim-check was asked for. */
  readonly scimChecks: string[] = [];

  private async answerTester(route: Route, method: string, path: string): Promise<boolean> {
    const request = route.request();
    const json = async (status: number, body: unknown) => {
      await route.fulfill({ status, json: body });
      return true;
    };
    const tester = path.match(/^\/instances\/([^/]+)\/tester$/);
    if (tester && (method === "POST" || method === "DELETE")) {
      const found = this.instances.find((i) => i.id === decodeURIComponent(tester[1]));
      if (!found) return json(404, { code: "notFound", message: "No such instance" });
      found.inTester = method === "POST";
      return json(200, redactInstance(found));
    }
    if (method === "POST" && path === "/test-runs") {
      const body = request.postDataJSON() as { instanceId: string; case: string; version?: string };
      this.runRequests.push({ method, path, body });
      const now = new Date().toISOString();
      const run = {
        id: `run-${this.runs.length + 1}`,
        instanceId: body.instanceId,
        case: body.case,
        versionKind: body.version ?? "current",
        result: "inProgress",
        source: this.runSource,
        signInUrl: this.signInUrl,
        startedAt: now,
        finishedAt: null,
        steps: [{ at: now, description: `Started the run: the test window signs in at ${this.signInUrl}`, ok: true, source: "observed" }],
        network: [] as unknown[],
        note: "",
        jitUser: null,
      };
      this.runs.push(run);
      return json(200, run);
    }
    const finish = path.match(/^\/test-runs\/([^/]+)$/);
    if (method === "PUT" && finish) {
      const body = request.postDataJSON() as { passed: boolean; note: string };
      this.runRequests.push({ method, path, body });
      const run = this.runs.find((r) => r.id === decodeURIComponent(finish[1])) as Record<string, unknown> | undefined;
      if (!run) return json(404, { code: "notFound", message: "There is no test run with that id" });
      const now = new Date().toISOString();
      run.result = body.passed ? "passed" : "failed";
      run.finishedAt = now;
      run.note = body.note;
      if (this.runSource === "observed") {
        (run.network as unknown[]).push({ at: now, method: "GET", url: this.signInUrl, status: 302, summary: "The tile sent the test user to the app (observed by the server)" });
      }
      (run.steps as unknown[]).push({ at: now, description: "You reported: signed in; the user successfully signed in to your app", ok: body.passed, source: "selfReported" });
      return json(200, run);
    }
    const check = path.match(/^\/instances\/([^/]+)\/scim-check$/);
    if (method === "POST" && check) {
      this.scimChecks.push(decodeURIComponent(check[1]));
      return json(200, this.scimCheck);
    }
    return false;
  }

  /** Requests to the status routes (`/submit`, `/edit`, `/review`, `/withdraw`, `DELETE`), in order. */
  readonly actions: { method: string; path: string; body: unknown }[] = [];

  /**
   * The status changes of docs/api.md, as a server answers them (the status rules only: the
   * real gate, roles and review rules are the domain's, tested natively): `POST
   * /submissions/{id}/submit`, `/edit`, `/review`, `/withdraw` and `DELETE /submissions/{id}`.
   */
  private async submissionActions(route: Route, method: string, path: string): Promise<boolean> {
    const m = path.match(/^\/submissions\/([^/]+)(?:\/(submit|edit|review|withdraw))?$/);
    const action = m?.[2] ?? (method === "DELETE" ? "delete" : null);
    if (!m || !action || (action !== "delete" && method !== "POST")) return false;
    const body = action === "delete" || action === "edit" || action === "withdraw" ? null : route.request().postDataJSON();
    this.actions.push({ method, path, body });
    const json = (status: number, answer: unknown) => route.fulfill({ status, json: answer }).then(() => true);
    const id = decodeURIComponent(m[1]);
    const s = this.submissions.get(id);
    if (!s) return json(404, { code: "notFound", message: `There is no integration with id ${id}` });
    const refuse = (message: string) => json(409, { code: "invalidTransition", message });
    const now = new Date().toISOString();
    const published = s.published as { version: number } | null | undefined;
    switch (action) {
      case "submit": {
        const req = body as { version: number; certified: boolean };
        if (req.version !== s.version) return json(409, { code: "conflict", message: "This submission was saved elsewhere since you loaded it" });
        if (s.status !== "draft" && s.status !== "isvToReview") return refuse(`A submission in status ${s.status} cannot be submitted`);
        if (!req.certified) {
          return json(422, { code: "unmetRequirements", message: "1 requirement(s) are not met yet", unmet: [{ page: "submit", field: "certified", message: "Tick \"I certify that I have successfully completed required tests\"" }] });
        }
        Object.assign(s, { status: "oinToReview", updated: now });
        return json(200, s);
      }
      case "edit":
        if (s.status !== "published" || !published) return refuse("Only a published integration has Edit integration; this one is already editable");
        Object.assign(s, { status: "draft", version: s.version + 1, configVersion: s.version + 1, updated: now });
        return json(200, s);
      case "review": {
        const req = body as { version: number; decision: string; note: string };
        if (s.status !== "oinToReview") return refuse(`Only a submission in OIN to review can be reviewed; this one is ${s.status}`);
        if (req.decision === "publish") {
          const snapshot = { ...structuredClone(s), status: "published", published: null };
          Object.assign(s, { status: "published", updated: now, published: { version: s.version, publishedAt: now, submission: snapshot } });
        } else {
          Object.assign(s, { status: "isvToReview", updated: now, reviewNote: req.note });
        }
        return json(200, s);
      }
      case "withdraw":
        if (s.status !== "oinToReview") return refuse(`Only a submission in OIN to review can be withdrawn; this one is ${s.status}`);
        Object.assign(s, { status: "draft", version: s.version + 1, updated: now });
        return json(200, s);
      default:
        if (s.status !== "draft" || published) return refuse("Only a Draft that edits no published integration can be deleted");
        this.submissions.delete(id);
        await route.fulfill({ status: 204 });
        return true;
    }
  }
}

/** An instance as lists carry it: secrets replaced, as docs/api.md says. */
function redactInstance(i: Record<string, unknown>) {
  const copy = structuredClone(i) as { details?: { oidc?: { clientSecret?: string } } };
  if (copy.details?.oidc) copy.details.oidc.clientSecret = "********";
  return copy;
}

/**
 * Serves a config.json selecting the HTTP backend at [BASE_URL]. The timeout is the app's
 * default (15 s): on a busy 2-core CI machine an answer from `page.route` can take over a
 * second, and a shorter timeout turned a test of malformed JSON into a timeout. The test of
 * timeouts itself passes `{ timeoutMs: 3000 }`.
 */
export async function useHttpBackend(page: Page, items: FakeSubmission[], config: Record<string, unknown> = {}) {
  await page.route("**/public/config.json", (route) =>
    route.fulfill({ json: { backend: "http", baseUrl: BASE_URL, ...config } }),
  );
  const api = new FakeApi(items);
  await api.install(page);
  return api;
}

/**
 * The problems a test expects to see: Chromium logs every failed fetch ("Failed to load
 * resource: … status of 500") as a console error, so a test that makes the fake server fail
 * drops exactly those lines, and nothing else.
 */
export function unexpected(problems: string[], expected: RegExp[]) {
  return problems.filter((p) => !expected.some((e) => e.test(p)));
}

// ---------------------------------------------------------------------------------------------
// Sessions (docs/api.md: POST/DELETE /api/v1/session). Installed after `useHttpBackend`, so it
// answers first: every call gets 401 until a sign-in with USER's email and SESSION_PASSWORD.

/** The password the fake server accepts for USER. */
export const SESSION_PASSWORD = "correct horse battery staple";

/** The fake server's session: whether signed in, the sign-ins it received, throttling. */
export interface FakeSession {
  signedIn: boolean;
  signIns: { email: string; password: string }[];
  throttled: boolean;
  signOuts: number;
}

export async function requireSignIn(page: Page, signedIn = false): Promise<FakeSession> {
  const session: FakeSession = { signedIn, signIns: [], throttled: false, signOuts: 0 };
  await page.route(`**${BASE_URL}/api/v1/**`, async (route) => {
    const request = route.request();
    const path = new URL(request.url()).pathname.slice(`${BASE_URL}/api/v1`.length);
    if (path === "/session" && request.method() === "POST") {
      const body = request.postDataJSON() as { email: string; password: string };
      session.signIns.push(body);
      if (session.throttled) {
        return route.fulfill({ status: 429, json: { code: "rejected", message: "Too many sign-in attempts: wait a minute, then try again" } });
      }
      if (body.email !== USER.email || body.password !== SESSION_PASSWORD) {
        return route.fulfill({ status: 401, json: { code: "forbidden", message: "Wrong email or password" } });
      }
      session.signedIn = true;
      return route.fulfill({ status: 200, json: USER, headers: { "Set-Cookie": "oin_session=fake; HttpOnly; Path=/; SameSite=Strict" } });
    }
    if (path === "/session" && request.method() === "DELETE") {
      session.signedIn = false;
      session.signOuts += 1;
      return route.fulfill({ status: 204, body: "" });
    }
    if (!session.signedIn) {
      return route.fulfill({ status: 401, json: { code: "unauthenticated", message: "Sign in first" } });
    }
    return route.fallback();
  });
  return session;
}
