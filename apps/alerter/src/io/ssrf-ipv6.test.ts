import { describe, expect, it } from "vitest";
import { AllowList, checkLiteral, hostOf, isPrivateAddress } from "./ssrf.ts";

describe("IPv6 spellings of private IPv4 addresses", () => {
  const privateOnes = [
    "[::127.0.0.1]",
    "[::ffff:127.0.0.1]",
    "[::ffff:0:127.0.0.1]",
    "[0:0:0:0:0:ffff:7f00:1]",
    "[::ffff:0:7f00:1]",
    "[::7f00:1]",
    "[::10.1.2.3]",
    "[64:ff9b::192.168.1.1]",
    "[64:ff9b:1::a9fe:a9fe]",
    "[2002:7f00:1::]",
    "[2002:a9fe:a9fe::1]",
    "[::1]",
    "[::]",
    "[fd00::1]",
  ];
  for (const host of privateOnes) {
    it(`classes ${host} as private, as the URL parser spells it too`, () => {
      const url = new URL(`http://${host}/x`);
      expect(isPrivateAddress(hostOf(url))).toBe(true);
      expect(isPrivateAddress(host.slice(1, -1))).toBe(true);
      expect(() => checkLiteral(url, new AllowList([]))).toThrow(
        /security\.allowPrivateDestinations/,
      );
    });
  }
  for (const host of [
    "[2606:4700::1111]",
    "[::ffff:8.8.8.8]",
    "[64:ff9b::1.1.1.1]",
    "[2002:808:808::]",
  ]) {
    it(`leaves the public ${host} alone`, () => {
      expect(isPrivateAddress(hostOf(new URL(`http://${host}/`)))).toBe(false);
    });
  }
});
