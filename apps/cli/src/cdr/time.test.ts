import { describe, expect, it } from "vitest";
import { parseCdrTime } from "./time.ts";

describe("parseCdrTime", () => {
  it.each([
    ["2026-11-20T10:00:00Z", Date.UTC(2026, 10, 20, 10)],
    ["2026-11-20 10:00:00", Date.UTC(2026, 10, 20, 10)],
    ["2026-11-20T10:00:00.250+01:00", Date.UTC(2026, 10, 20, 9, 0, 0, 250)],
    ["2026-11-20T10:00:00-0500", Date.UTC(2026, 10, 20, 15)],
    ["2026-11-20 10:00", Date.UTC(2026, 10, 20, 10)],
    [" 1764633600 ", 1764633600000],
    ["1764633600.5", 1764633600500],
    ["1764633600123", 1764633600123],
    ["1764633600123456", 1764633600123],
  ])("reads %j", (cell, ms) => {
    expect(parseCdrTime(cell)).toBe(ms);
  });

  it.each([
    "Mon Dec 01 2025 10:00:00", // Date.parse would read it in the machine's zone
    "01/12/2025 10:00", // day or month first?
    "2025-12-01", // no time of day
    "12345", // too short for an epoch
    "1969-12-31T23:59:59Z", // before 1970
    "2026-02-30T00:00:00Z",
    "",
    "   ",
  ])("refuses %j", (cell) => {
    expect(parseCdrTime(cell)).toBeUndefined();
  });
});
