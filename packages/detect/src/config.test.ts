import { describe, expect, test } from "vitest";
import {
  defaultRules,
  detectorDefaults,
  resolveConfig,
  ruleDefaults,
  validateConfig,
} from "./config.ts";
import { createDetector } from "./detector.ts";
import { DetectError } from "./errors.ts";

function issuesOf(input: unknown) {
  const result = validateConfig(input);
  if (result.success) throw new Error("expected validation to fail");
  return result.issues;
}

describe("defaults", () => {
  test("ship sip-603, sip-500 and sip-6xx-reject with the thresholds of the issue", () => {
    expect(defaultRules.map((r) => [r.id, r.codes, r.lift, r.delta, r.floor])).toEqual([
      ["sip-603", [603], 2, 0.05, 0.05],
      ["sip-500", [500], 3, 0.02, 0.02],
      ["sip-6xx-reject", [603, 607, 608], 2, 0.05, 0.05],
    ]);
    for (const rule of defaultRules) {
      expect(rule).toMatchObject({
        minCalls: 20,
        minCount: 5,
        minCountFloor: 3,
        windows: [5, 15, 60],
        confidence: 0.99,
        fireAfter: 2,
        resolveAfter: 5,
        resolveRatio: 0.8,
        cooldownMinutes: 60,
        scopes: ["global", "trunk", "trunk_direction", "customer"],
      });
    }
  });

  test("an empty config resolves to the default rules and options", () => {
    expect(resolveConfig()).toEqual({ rules: defaultRules, ...detectorDefaults });
    expect(resolveConfig({})).toEqual(resolveConfig(undefined));
  });

  test("a rule with only an id and codes gets every other field from ruleDefaults", () => {
    const config = resolveConfig({ rules: [{ id: "sip-486", codes: [486] }] });
    expect(config.rules).toEqual([{ id: "sip-486", codes: [486], ...ruleDefaults }]);
  });

  test("options left undefined (as zod's optional() produces) take their defaults", () => {
    const config = resolveConfig({ rules: [{ id: "x", codes: [500], lift: undefined }] });
    expect(config.rules[0]?.lift).toBe(ruleDefaults.lift);
  });
});

describe("validateConfig", () => {
  test("names the field of each problem by its path", () => {
    const issues = issuesOf({
      rules: [
        { id: "sip-603", codes: [603], lift: 0.5 },
        { id: "slow", codes: [500], windows: [5, 60, 15] },
        { id: "typo", codes: [180, 603, 603], lifft: 2 },
      ],
    });
    expect(issues).toEqual([
      { path: ["rules", 0, "lift"], message: "must be in [1, 1000] (got 0.5)" },
      { path: ["rules", 1, "windows", 2], message: "windows must be strictly ascending" },
      { path: ["rules", 2, "lifft"], message: "is not a known option" },
      { path: ["rules", 2, "codes", 0], message: "must be a final SIP response code, 200–699" },
      { path: ["rules", 2, "codes", 2], message: "repeats 603" },
    ]);
  });

  test("refuses repeated rule ids, bad scopes and whole-number options given fractions", () => {
    const issues = issuesOf({
      rules: [
        { id: "a", codes: [603] },
        { id: "a", codes: [500], scopes: ["trunk", "carrier"], fireAfter: 1.5 },
      ],
    });
    expect(issues.map((i) => i.path)).toEqual([
      ["rules", 1, "fireAfter"],
      ["rules", 1, "scopes", 1],
    ]);
    expect(
      issuesOf({
        rules: [
          { id: "a", codes: [603] },
          { id: "a", codes: [500] },
        ],
      }),
    ).toEqual([{ path: ["rules", 1, "id"], message: "repeats the id of rules[0]" }]);
  });

  test("checks the detector-wide options", () => {
    const issues = issuesOf({
      baselineMinutes: 1000,
      customers: { max: -1 },
      maxFutureMinutes: "soon",
      rules: [],
    });
    expect(issues).toEqual([
      { path: ["rules"], message: "must have at least 1 item" },
      { path: ["baselineMinutes"], message: "must be a multiple of 15" },
      { path: ["customers", "max"], message: "must be in [0, 1000000] (got -1)" },
      { path: ["maxFutureMinutes"], message: "must be a finite number" },
    ]);
  });

  test("refuses something that is not an object, and rule ids that could not go in an incident id", () => {
    expect(issuesOf([])).toEqual([{ path: [], message: "must be an object" }]);
    expect(issuesOf({ rules: [{ id: "a:b", codes: [603] }] })[0]?.path).toEqual(["rules", 0, "id"]);
  });
});

describe("resolveConfig", () => {
  test("throws an invalid_config DetectError whose message names the first bad field", () => {
    let error: unknown;
    try {
      resolveConfig({ rules: [{ id: "x", codes: [603], confidence: 1.5, minCount: 0 }] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DetectError);
    const e = error as DetectError;
    expect(e.code).toBe("invalid_config");
    expect(e.message).toBe(
      "invalid detector config: rules[0].minCount: must be in [1, 1000000000] (got 0) (and 1 more)",
    );
    expect(e.toJSON().issues).toHaveLength(2);
  });

  test("createDetector refuses an invalid config the same way", () => {
    expect(() => createDetector({ rules: [{ id: "x", codes: [] }] })).toThrowError(
      expect.objectContaining({ code: "invalid_config" }),
    );
  });
});
