// Look-alike names are refused where they are shown (issue 12, item 9): token
// names of launches, API key names and webhook descriptions; honest names in one
// script per word pass.
import { describe, expect, it } from "vitest";
import { call, expectProblem, goodLaunch, signInEvm } from "./helpers";

const LOOK_ALIKES = ["Tether\u3164", "\u3164", "Tether\u2800", "Teth\u034Fer", "Tether\u17B4", "\u0422ether"];
const HONEST = ["Тетер", "東京タワー", "Ünïcödé Coin", "Forge 🚀"];

describe("look-alike names", () => {
  it("refuses them as token names with 422 on the name, and accepts honest ones", async () => {
    const { cookie } = await signInEvm();
    for (const name of LOOK_ALIKES) {
      const body = await expectProblem(await call("POST", "/api/v1/launches", { cookie }, { ...goodLaunch, name }), 422, "validation-error");
      expect((body as any).errors.map((e: any) => e.path), JSON.stringify(name)).toEqual(["name"]);
    }
    for (const name of HONEST) {
      const res = await call("POST", "/api/v1/launches", { cookie }, { ...goodLaunch, name });
      expect(res.status, `${name}: ${await res.clone().text()}`).toBe(202);
    }
  });

  it("refuses them as API key names and webhook descriptions", async () => {
    const { cookie } = await signInEvm();
    for (const name of LOOK_ALIKES.filter((n) => n.trim() === n && n !== "\u3164")) {
      await expectProblem(await call("POST", "/api/v1/keys", { cookie }, { name, scopes: ["launches:read"] }), 422, "validation-error");
      await expectProblem(
        await call("POST", "/api/v1/webhooks", { cookie }, { url: "https://hooks.example.com/n", events: ["launch.confirmed"], description: name }),
        422, "validation-error",
      );
    }
    expect((await call("POST", "/api/v1/keys", { cookie }, { name: "Тетер бот", scopes: ["launches:read"] })).status).toBe(201);
  });
});
