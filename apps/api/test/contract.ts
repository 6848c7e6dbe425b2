import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import SwaggerParser from "@apidevtools/swagger-parser";
import { Validator } from "@seriousme/openapi-schema-validator";
import Ajv2020 from "ajv/dist/2020.js";
import { beforeAll, describe, expect, it } from "vitest";
import { CLIENT_SERVER, servedDocument } from "../scripts/openapi.ts";
import { apiRoot, type Target } from "./harness.ts";

const run = promisify(execFile);

interface OpenApiDoc {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, unknown>;
}
interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}

const post = (type: string, body: string): RequestInit => ({
  method: "POST",
  headers: { "content-type": type },
  body,
});

/** Real requests whose responses must match what the document says of them. */
export const samples: [string, RequestInit?][] = [
  ["/v1/codes"],
  ["/v1/codes?q=busy&class=4xx"],
  ["/v1/codes?profile=teams"],
  ["/v1/codes/486"],
  ["/v1/codes/486?view=full&profile=jola&direction=inbound"],
  ["/v1/codes/486?audience=end-user"],
  ["/v1/codes/499"],
  ["/v1/codes/560?profile=teams&subCode=560560"],
  ["/v1/codes/799"],
  ["/v1/codes/x"],
  ["/v1/codes/486?direction=up"],
  ["/v1/explain", post("application/json", '{"input":"SIP/2.0 603 MaxPeak Cost Exceeded"}')],
  ["/v1/explain", post("application/json", '{"input":486,"view":"full"}')],
  ["/v1/explain", post("text/plain", "Q.850;cause=34")],
  ["/v1/explain", post("application/json", '{"input":"hello"}')],
  ["/v1/explain", post("application/json", "{")],
  ["/v1/explain", post("application/xml", "<x/>")],
  ["/v1/explain", post("text/plain", "1".repeat(200_000))],
  [
    "/v1/explain/batch",
    post("application/json", '{"inputs":["486",999,{"input":"404","profile":"jola"}]}'),
  ],
  ["/v1/explain/batch", post("application/json", '{"inputs":[]}')],
  ["/v1/q850"],
  ["/v1/q850/17"],
  ["/v1/q850/14"],
  ["/v1/q850/300"],
  ["/v1/profiles"],
  ["/v1/profiles/teams"],
  ["/v1/profiles/jola"],
  ["/v1/profiles/rfc"],
  ["/v1/profiles/none"],
  ["/v1/glossary"],
  ["/v1/glossary?profile=teams"],
  ["/v1/glossary/SBC"],
  ["/v1/glossary/nothing-like-it"],
  ["/healthz"],
  ["/"],
  ["/problems/invalid_json"],
  ["/problems/whatever"],
];

function operationFor(doc: OpenApiDoc, method: string, path: string) {
  const pathname = path.split("?")[0] ?? path;
  for (const [template, ops] of Object.entries(doc.paths)) {
    const source = template.replaceAll(/[.]/g, "\\.").replaceAll(/\{[^}]+\}/g, "[^/]+");
    if (new RegExp(`^${source}$`).test(pathname)) return { template, op: ops[method] };
  }
  return undefined;
}

export function defineContractTests(getApi: () => Target) {
  describe("OpenAPI document", () => {
    let doc: OpenApiDoc;
    beforeAll(async () => {
      doc = (await (await getApi().request("/openapi.json")).json()) as OpenApiDoc;
    });

    it("is a valid OpenAPI 3.1 document", async () => {
      expect(doc.openapi).toMatch(/^3\.1\./);
      const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
    });

    it("passes Redocly's recommended rules with no error and no warning", async () => {
      const file = join(mkdtempSync(join(tmpdir(), "sipcodes-openapi-")), "openapi.json");
      writeFileSync(file, JSON.stringify(doc));
      const { stdout, stderr } = await run(
        join(apiRoot, "node_modules/.bin/redocly"),
        ["lint", file, "--format=json", "--extends=recommended"],
        {
          env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
        },
      ).catch((error: { stdout: string; stderr: string }) => error);
      const report = JSON.parse(stdout.slice(stdout.indexOf("{"))) as {
        totals: { errors: number; warnings: number };
        problems: { ruleId: string; message: string }[];
      };
      expect(
        report.problems.map((p) => `${p.ruleId}: ${p.message}`),
        stderr,
      ).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    });

    it("passes swagger-parser's validate (schema and $refs)", async () => {
      await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
    });

    it("is the contract the client is generated from (packages/client/openapi.json)", async () => {
      const checkedIn = readFileSync(join(apiRoot, "../../packages/client/openapi.json"), "utf8");
      // `pnpm --filter @sipcodes/api openapi` rewrites it; the client's own test checks its types.
      expect(JSON.parse(checkedIn)).toEqual(JSON.parse(await servedDocument()));
      const live = { ...doc, servers: [{ url: CLIENT_SERVER, description: "This server" }] };
      expect(live).toEqual(JSON.parse(checkedIn));
    });

    it("names an absolute server, the contract's semver and an operationId per operation", () => {
      const d = doc as unknown as {
        servers: { url: string }[];
        info: { version: string };
        "x-catalogue-version": string;
      };
      expect(d.servers[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(d.info.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(d.info.version).not.toBe(d["x-catalogue-version"]);
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          expect((op as { operationId?: string }).operationId, `${method} ${path}`).toMatch(
            /^[a-z][A-Za-z0-9]+$/,
          );
        }
      }
    });

    it("documents every route the API serves", () => {
      expect(Object.keys(doc.paths).sort()).toEqual(
        [
          "/",
          "/healthz",
          "/openapi.json",
          "/problems/{type}",
          "/schemas/{name}",
          "/v1/codes",
          "/v1/codes/{code}",
          "/v1/explain",
          "/v1/explain/batch",
          "/v1/glossary",
          "/v1/glossary/{term}",
          "/v1/profiles",
          "/v1/profiles/{id}",
          "/v1/q850",
          "/v1/q850/{cause}",
        ].sort(),
      );
    });

    it("matches real responses: status documented, body valid against its schema", async () => {
      const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
      const failures: string[] = [];
      for (const [path, init] of samples) {
        const method = (init?.method ?? "GET").toLowerCase();
        const res = await getApi().request(path, init);
        const found = operationFor(doc, method, path);
        const label = `${method.toUpperCase()} ${path.slice(0, 60)} -> ${res.status}`;
        const response = found?.op?.responses[String(res.status)];
        if (!response) {
          failures.push(`${label}: status not documented`);
          continue;
        }
        const type = (res.headers.get("content-type") ?? "").split(";")[0] ?? "";
        const schema = response.content?.[type]?.schema;
        if (!schema) {
          failures.push(`${label}: no schema for ${type}`);
          continue;
        }
        const validate = ajv.compile({ ...schema, components: doc.components });
        if (!validate(await res.json())) {
          failures.push(`${label}: ${ajv.errorsText(validate.errors)}`);
        }
      }
      expect(failures).toEqual([]);
    });
  });
}
