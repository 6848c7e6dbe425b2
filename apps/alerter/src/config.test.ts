import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, parseConfigText } from "./config.ts";
import { DEFAULT_CONFIG_YAML } from "./default-config.ts";
import { standbyEnabled } from "./io/redis/node.ts";

function issues(input: unknown): string[] {
  try {
    parseConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => i.path);
    throw error;
  }
  return [];
}

describe("config", () => {
  it("parses the embedded default to the schema's defaults", () => {
    const config = parseConfigText(DEFAULT_CONFIG_YAML);
    expect(config).toEqual(parseConfig({}));
    expect(config.evaluation).toEqual({
      intervalSeconds: 60,
      clock: "wall",
      snapshotSeconds: 300,
      graceSeconds: 5,
    });
    expect(config.grouping.groupBy).toEqual(["rule", "trunk", "direction"]);
  });

  it("names the bad field in every error, the detector's rules included", () => {
    expect(issues({ destinations: [{ name: "x", type: "slack", url: "ftp://nope" }] })).toEqual([
      "destinations[0].url",
    ]);
    expect(issues({ destinations: [{ name: "p", type: "pagerduty" }] })).toEqual([
      "destinations[0].routingKey",
    ]);
    expect(issues({ detector: { rules: [{ id: "r", codes: [603], lift: 0.5 }] } })).toEqual([
      "detector.rules[0].lift",
    ]);
    expect(issues({ evaluation: { intervalSeconds: 0 } })).toEqual(["evaluation.intervalSeconds"]);
    expect(issues({ ingest: { tokens: ["short"] } })).toEqual(["ingest.tokens[0]"]);
    expect(issues({ grouping: { groupBy: ["rule", "colour"] } })).toEqual(["grouping.groupBy[1]"]);
    expect(issues({ typo: 1 })).toEqual(["typo"]);
    expect(
      issues({ detector: { detecter: {}, rules: [{ id: "r", codes: [603], lifft: 2 }] } }),
    ).toEqual(["detector.detecter", "detector.rules[0].lifft"]);
    expect(issues({ profile: "nope" })).toEqual(["profile"]);
  });

  it("reports the detector's problems with detect's messages, under their full path", () => {
    try {
      parseConfig({ detector: { baselineMinutes: 1000, rules: [{ id: "r", codes: [603, 603] }] } });
      expect.unreachable("the config is invalid");
    } catch (error) {
      expect((error as ConfigError).issues).toEqual([
        { path: "detector.rules[0].codes[1]", message: "repeats 603" },
        { path: "detector.baselineMinutes", message: "must be a multiple of 15" },
      ]);
    }
  });

  it("types the detector section as detect's DetectorConfig", () => {
    const config = parseConfig({
      detector: { rules: [{ id: "r", codes: [500] }], priorCalls: 10 },
    });
    expect(config.detector.rules?.[0]?.codes).toEqual([500]);
    expect(config.detector.priorCalls).toBe(10);
  });

  it("refuses two destinations with one name", () => {
    const d = { name: "a", type: "webhook", url: "https://example.com/h" };
    expect(issues({ destinations: [d, d] })).toEqual(["destinations[1].name"]);
  });

  it("reports YAML syntax errors", () => {
    expect(() => parseConfigText("profile: [", "alerter.yaml")).toThrow(/invalid alerter.yaml/);
  });
});

describe("README", () => {
  it("embeds the default config exactly", async () => {
    const { readFileSync } = await import("node:fs");
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    expect(readme).toContain(`\`\`\`yaml\n${DEFAULT_CONFIG_YAML}\`\`\``);
  });
  it("turns the warm standby on by default with the wall clock, off with the event clock, and refuses it asked for with the event clock", () => {
    const redis = (standby?: boolean) => ({
      store: {
        redis: { url: "redis://127.0.0.1:6379", ...(standby === undefined ? {} : { standby }) },
      },
    });
    expect(standbyEnabled(parseConfig(redis()))).toBe(true);
    expect(standbyEnabled(parseConfig(redis(false)))).toBe(false);
    expect(standbyEnabled(parseConfig({ ...redis(), evaluation: { clock: "event" } }))).toBe(false);
    expect(standbyEnabled(parseConfig({ ...redis(false), evaluation: { clock: "event" } }))).toBe(
      false,
    );
    expect(() => parseConfig({ ...redis(true), evaluation: { clock: "event" } })).toThrow(
      /store\.redis\.standby: .*evaluation\.clock: wall.*store\.redis\.standby: false/,
    );
    expect(issues({ ...redis(true), evaluation: { clock: "event" } })).toEqual([
      "store.redis.standby",
    ]);
  });
});
