import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ORIGIN, api, expectError } from "./helpers.ts";
import { asUser, authPost, createOrgAs, freshIp, sessionCookieOf, signUp, strongPassword } from "./accounts-helpers.ts";
import { smallScenario } from "./fixtures.ts";

describe("sign-up, sign-in and sessions", () => {
  it("signs up: a session cookie (HttpOnly, Secure, SameSite=Strict), no token in the body, scrypt hash stored", async () => {
    const email = `first.${crypto.randomUUID().slice(0, 6)}@example.com`;
    const password = strongPassword();
    const response = await authPost("/auth/sign-up/email", { name: "First Person", email, password });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    const cookies = response.headers.getSetCookie();
    const session = cookies.find((cookie) => cookie.startsWith("__Secure-aifp.session_token="));
    expect(session, cookies.join("\n")).toBeDefined();
    expect(session).toMatch(/; HttpOnly/i);
    expect(session).toMatch(/; Secure/i);
    expect(session).toMatch(/; SameSite=Strict/i);
    expect(session).toMatch(/; Path=\//i);
    const token = (session as string).split(";")[0]!.split("=")[1]!;
    expect(text).not.toContain(decodeURIComponent(token).split(".")[0]);
    expect(text).not.toContain(password);
    const body = JSON.parse(text) as { user: { id: string; email: string } };
    expect(Object.keys(body)).toEqual(["user"]);
    expect(body.user.email).toBe(email);
    const account = await env.DB.prepare("SELECT password FROM accounts WHERE user_id = ?")
      .bind(body.user.id)
      .first<{ password: string }>();
    expect(account?.password).toMatch(/^[0-9a-f]{32}:[0-9a-f]{128}$/);
    expect(account?.password).not.toContain(password);
  });

  it("GET /me tells who is calling", async () => {
    const user = await signUp("me");
    const me = (await (await asUser(user, "GET", "/me")).json()) as {
      kind: string;
      user: { id: string };
      active: unknown;
    };
    expect(me.kind).toBe("session");
    expect(me.user.id).toBe(user.userId);
    expect(me.active).toBeNull();
    const orgId = await createOrgAs(user, "Acme");
    const after = (await (await asUser(user, "GET", "/me")).json()) as { active: { orgId: string; role: string } };
    expect(after.active).toEqual({ orgId, orgName: "Acme", role: "admin" });
    const anonymous = (await (await api("/me")).json()) as { kind: string };
    expect(anonymous.kind).toBe("anonymous");
  });
});

describe("sign-in, sign-out and session fixation", () => {
  it("a wrong password is 401 without saying which part was wrong; the right one gives a fresh session", async () => {
    const user = await signUp("signin");
    await expectError(
      await authPost("/auth/sign-in/email", { email: user.email, password: "wrong password!!" }),
      401,
      "unauthenticated",
    );
    await expectError(
      await authPost("/auth/sign-in/email", { email: `nobody.${user.email}`, password: user.password }),
      401,
      "unauthenticated",
    );
    const response = await authPost("/auth/sign-in/email", {
      email: user.email.toUpperCase(),
      password: user.password,
    });
    expect(response.status).toBe(200);
    const cookie = sessionCookieOf(response);
    expect(cookie).not.toBeNull();
    expect(cookie).not.toBe(user.cookie);
    const me = (await (await asUser({ ...user, cookie: cookie as string }, "GET", "/me")).json()) as {
      user: { id: string };
    };
    expect(me.user.id).toBe(user.userId);
  });

  it("session fixation fails: signing in issues a new token; a token planted beforehand never becomes the victim's", async () => {
    const attacker = await signUp("attacker");
    const victim = await signUp("victim");
    // The attacker plants their own valid session cookie in the victim's browser, then the victim signs in.
    const response = await authPost(
      "/auth/sign-in/email",
      { email: victim.email, password: victim.password },
      { Cookie: attacker.cookie },
    );
    expect(response.status).toBe(200);
    const issued = sessionCookieOf(response);
    expect(issued).not.toBeNull();
    expect(issued).not.toBe(attacker.cookie);
    const asPlanted = (await (await asUser(attacker, "GET", "/me")).json()) as { user: { id: string } };
    expect(asPlanted.user.id).toBe(attacker.userId);
    const asIssued = (await (await asUser({ ...victim, cookie: issued as string }, "GET", "/me")).json()) as {
      user: { id: string };
    };
    expect(asIssued.user.id).toBe(victim.userId);
    // A made-up token is nobody.
    const forged = (await (
      await asUser({ ...victim, cookie: "__Secure-aifp.session_token=forged.value" }, "GET", "/me")
    ).json()) as { kind: string };
    expect(forged.kind).toBe("anonymous");
  });

  it("signing out deletes the session on the server: the old cookie is worthless afterwards", async () => {
    const user = await signUp("signout");
    await createOrgAs(user, "Leaving Ltd");
    expect((await asUser(user, "GET", "/scenarios")).status).toBe(200);
    const response = await asUser(user, "POST", "/auth/sign-out", {});
    expect(response.status).toBe(200);
    const cleared = response.headers.getSetCookie().find((cookie) => cookie.startsWith("__Secure-aifp.session_token="));
    expect(cleared).toMatch(/Max-Age=0/i);
    await expectError(await asUser(user, "GET", "/scenarios"), 401, "unauthenticated");
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM sessions WHERE user_id = ?")
      .bind(user.userId)
      .first<{ n: number }>();
    expect(count?.n).toBe(0);
  });

  it("rejects weak and malformed sign-ups with the envelope, naming the field", async () => {
    const short = await expectError(
      await authPost("/auth/sign-up/email", { name: "A", email: "a@example.com", password: "short" }),
      400,
      "validation_failed",
    );
    expect(short.issues.map((issue) => issue.path)).toContain("password");
    const bad = await expectError(
      await authPost("/auth/sign-up/email", { name: "A", email: "not-an-email", password: strongPassword() }),
      400,
      "validation_failed",
    );
    expect(bad.issues.map((issue) => issue.path)).toContain("email");
    const extra = await expectError(
      await authPost("/auth/sign-up/email", {
        name: "A",
        email: "b@example.com",
        password: strongPassword(),
        role: "admin",
      }),
      400,
      "validation_failed",
    );
    expect(extra.issues.map((issue) => issue.path)).toContain("role");
  });

  it("does not say whether an address has an account: a taken one answers like a new one, with no session and nothing changed", async () => {
    const user = await signUp("dup");
    const before = await env.DB.prepare("SELECT name, updated_at FROM users WHERE id = ?")
      .bind(user.userId)
      .first<{ name: string; updated_at: string }>();
    const fresh = await authPost("/auth/sign-up/email", {
      name: "Again",
      email: `fresh.${crypto.randomUUID().slice(0, 8)}@example.com`,
      password: strongPassword(),
    });
    const taken = await authPost("/auth/sign-up/email", {
      name: "Again",
      email: user.email,
      password: strongPassword(),
    });
    expect(taken.status).toBe(fresh.status);
    const shapeOf = (body: { user: Record<string, unknown> }) => Object.keys(body.user).sort();
    const takenBody = (await taken.json()) as { user: { id: string; name: string; email: string } };
    expect(shapeOf(takenBody)).toEqual(shapeOf((await fresh.json()) as { user: Record<string, unknown> }));
    expect(takenBody.user).toMatchObject({ name: "Again", email: user.email });
    expect(takenBody.user.id).not.toBe(user.userId);
    expect(JSON.stringify(takenBody)).not.toMatch(/exist/i);
    // No session for the taken address, and the existing account is unchanged (name, password).
    expect(sessionCookieOf(taken)).toBeNull();
    const after = await env.DB.prepare("SELECT name, updated_at FROM users WHERE id = ?")
      .bind(user.userId)
      .first<{ name: string; updated_at: string }>();
    expect(after).toEqual(before);
    expect((await authPost("/auth/sign-in/email", { email: user.email, password: user.password })).status).toBe(200);
    // With the account's own password, sign-up just signs the person in (they could anyway).
    const same = await authPost("/auth/sign-up/email", { name: "Again", email: user.email, password: user.password });
    expect(same.status).toBe(200);
    expect(((await same.json()) as { user: { id: string } }).user.id).toBe(user.userId);
    expect(sessionCookieOf(same)).not.toBeNull();
  });
});

describe("CSRF: cookie-authenticated writes must come from the app's own origin", () => {
  it("refuses a foreign Origin, and a write with neither Origin nor Sec-Fetch-Site; accepts same-origin", async () => {
    const user = await signUp("csrf");
    await createOrgAs(user, "Csrf Co");
    const before = await env.DB.prepare("SELECT COUNT(*) AS n FROM scenarios").first<{ n: number }>();
    const body = { scenario: smallScenario("csrf") };
    await expectError(
      await asUser(user, "POST", "/scenarios", body, { Origin: "https://evil.example" }),
      403,
      "forbidden",
    );
    const noOrigin = await api("/scenarios", {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: user.cookie },
      body: JSON.stringify(body),
    });
    await expectError(noOrigin, 403, "forbidden");
    const crossSite = await api("/scenarios", {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: user.cookie, "Sec-Fetch-Site": "cross-site" },
      body: JSON.stringify(body),
    });
    await expectError(crossSite, 403, "forbidden");
    // A form post (what a cross-site <form> can send) is refused before anything else.
    await expectError(
      await asUser(user, "POST", "/scenarios", undefined, {
        Origin: "https://evil.example",
        "Content-Type": "application/x-www-form-urlencoded",
      }),
      403,
      "forbidden",
    );
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM scenarios").first<{ n: number }>())?.n).toBe(before?.n);
    // Same origin, even as text/plain, still gets the API's 415 (a simple request never reaches a handler).
    await expectError(
      await api("/scenarios", {
        method: "POST",
        headers: { "Content-Type": "text/plain", Cookie: user.cookie, Origin: ORIGIN },
        body: JSON.stringify(body),
      }),
      415,
      "unsupported_media_type",
    );
    const sameOrigin = await api("/scenarios", {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: user.cookie, "Sec-Fetch-Site": "same-origin" },
      body: JSON.stringify(body),
    });
    expect(sameOrigin.status).toBe(201);
    expect((await asUser(user, "POST", "/scenarios", body)).status).toBe(201);
  });

  it("refuses sign-in and sign-up from another origin (login CSRF)", async () => {
    const user = await signUp("logincsrf");
    await expectError(
      await authPost(
        "/auth/sign-in/email",
        { email: user.email, password: user.password },
        { Origin: "https://evil.example" },
      ),
      403,
      "forbidden",
    );
    await expectError(
      await authPost(
        "/auth/sign-up/email",
        { name: "x", email: "evil@example.com", password: strongPassword() },
        { Origin: "https://evil.example" },
      ),
      403,
      "forbidden",
    );
  });
});

describe("brute-force sign-in is throttled", () => {
  it("per client IP: the 11th attempt in a minute is 429 with Retry-After, even with the right password", async () => {
    const user = await signUp("bruteip");
    const ip = freshIp();
    // A different address each time: only the per-IP count can trip (sign-up already spent one
    // of this user's per-address attempts). The limiter counts in fixed 60 s windows: attempts
    // that straddle a boundary start a new count, so keep going (bounded) until it trips.
    let throttledAfter = -1;
    for (let attempt = 0; attempt < 25 && throttledAfter < 0; attempt++) {
      const response = await authPost(
        "/auth/sign-in/email",
        { email: `nobody.${attempt}.${user.email}`, password: `guess number ${attempt}` },
        { "CF-Connecting-IP": ip },
      );
      expect([401, 429]).toContain(response.status);
      if (response.status === 429) throttledAfter = attempt;
      await response.arrayBuffer();
    }
    expect(throttledAfter).toBeGreaterThanOrEqual(10);
    const blocked = await authPost(
      "/auth/sign-in/email",
      { email: user.email, password: user.password },
      { "CF-Connecting-IP": ip },
    );
    expect(blocked.headers.get("retry-after")).toBe("60");
    await expectError(blocked, 429, "rate_limited");
  });

  it("per e-mail address: guesses spread over many IPs are throttled too", async () => {
    const user = await signUp("brutemail");
    // The limiter counts in fixed 60 s windows: guesses that straddle a window boundary start a
    // new count, so keep guessing (bounded) until the limit trips, then even the right password is refused.
    let throttledAfter = -1;
    for (let attempt = 0; attempt < 25 && throttledAfter < 0; attempt++) {
      const response = await authPost("/auth/sign-in/email", {
        email: user.email,
        password: `spread guess ${attempt}`,
      });
      expect([401, 429]).toContain(response.status);
      if (response.status === 429) throttledAfter = attempt;
      await response.arrayBuffer();
    }
    // Sign-up spends one of the address's 10 (a sign-up of a taken address tries its password).
    expect(throttledAfter).toBeGreaterThanOrEqual(9);
    await expectError(
      await authPost("/auth/sign-in/email", { email: user.email, password: user.password }),
      429,
      "rate_limited",
    );
  });
});
