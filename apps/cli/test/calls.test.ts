import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { CallsResult } from "@sipcodes/core/schemas";
import { beforeAll, describe, expect, it } from "vitest";
import { ethernet, udp4, writePcap } from "../../../packages/capture/test/_build.ts";
import { sipMessage } from "../../../packages/capture/test/_traffic.ts";
import {
  CALLEES,
  CALLER,
  type CapturedCalls,
  captureCalls,
  peersOrSkip,
} from "./_kamailio-calls.ts";
import { sngrepSaveTxt } from "./_sngrep.ts";

const bin = fileURLToPath(new URL("../dist/sipcode.cjs", import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function sipcode(args: string[], input?: string | Buffer): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { env: { PATH: process.env.PATH ?? "" }, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}

const run = peersOrSkip(["tshark", "kamailio", "ngrep", "sngrep", "tmux"]);

/** (Call-ID, status code or "", CSeq method) for every SIP message, as tshark reads the file. */
function tsharkTuples(file: string): string[] {
  const out = execFileSync(
    "tshark",
    [
      "-r",
      file,
      "-Y",
      "sip",
      "-T",
      "fields",
      "-E",
      "separator=\t",
      "-e",
      "sip.Call-ID",
      "-e",
      "sip.Status-Code",
      "-e",
      "sip.CSeq.method",
    ],
    { encoding: "utf8" },
  );
  return out
    .split("\n")
    .filter(Boolean)
    .map((l) => l.split("\t").join("|"))
    .sort();
}

/** The same tuples from our --json: each step of each call, once per copy (retransmissions included). */
function ourTuples(result: CallsResult): string[] {
  return result.calls
    .flatMap((c) =>
      c.events.flatMap((e) =>
        Array.from(
          { length: 1 + e.retransmissions },
          () => `${c.callId}|${e.code ?? ""}|${e.method}`,
        ),
      ),
    )
    .sort();
}

/** What a reading of the calls should agree on, whatever format it came from. */
function shape(result: CallsResult) {
  return result.calls.map((c) => ({
    callId: c.callId,
    from: c.from,
    to: c.to,
    final: c.final?.code,
    outcome: c.outcome,
    steps: c.events.map((e) => `${e.method} ${e.code ?? ""} x${1 + e.retransmissions}`),
  }));
}

describe.skipIf(!run)(
  "sipcode explain on a real loopback capture (Kamailio answering, tshark writing)",
  () => {
    let cap: CapturedCalls;
    let fromPcap: CallsResult;

    beforeAll(async () => {
      cap = await captureCalls();
      const r = await sipcode(["explain", cap.pcap, "--json"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      fromPcap = CallsResult.parse(JSON.parse(r.stdout));
    }, 120_000);

    it("agrees with tshark -T fields on the Call-ID, status code and CSeq method of every message", () => {
      const theirs = tsharkTuples(cap.pcap);
      expect(theirs.length).toBeGreaterThan(15);
      expect(ourTuples(fromPcap)).toEqual(theirs);
      // And each step's frame number is the first frame tshark shows for it.
      const frames = execFileSync(
        "tshark",
        [
          "-r",
          cap.pcap,
          "-Y",
          "sip",
          "-T",
          "fields",
          "-e",
          "frame.number",
          "-e",
          "sip.Call-ID",
          "-e",
          "sip.Status-Code",
          "-e",
          "sip.CSeq.method",
        ],
        { encoding: "utf8" },
      )
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split("\t"));
      for (const c of fromPcap.calls) {
        for (const e of c.events) {
          const first = frames.find(
            (f) => f[1] === c.callId && (f[2] ?? "") === String(e.code ?? "") && f[3] === e.method,
          );
          expect(Number(first?.[0])).toBe(e.frame);
        }
      }
    });

    it("tells the five calls apart: blocked with redress, busy, cancelled, answered, unanswered", async () => {
      const r = await sipcode(["explain", cap.pcap, "--brief"]);
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split("\n");
      expect(lines).toHaveLength(5);
      const line = (callee: string) => lines.find((l) => l.includes(`-> ${callee}`)) ?? "";
      expect(line(CALLEES.blocked)).toMatch(
        new RegExp(
          `^c\\d+ +\\${CALLER} -> \\${CALLEES.blocked}  603 Network Blocked  blocked by terminating network analytics \\(redress: https://redress.example.net/jcard.json\\)  after \\d+\\.\\d s$`,
        ),
      );
      expect(line(CALLEES.busy)).toMatch(/486 Busy Here {2}User busy {2}after \d+\.\d s$/);
      expect(line(CALLEES.cancelled)).toMatch(
        /487 Request Terminated {2}cancelled by caller \(answered elsewhere\)/,
      );
      expect(line(CALLEES.answered)).toMatch(/200 OK {2}answered, talked \d+\.\d s, BYE by caller/);
      // Kamailio's script waits 150 + 250 ms before the 603 and 100 + 900 ms before the 486.
      const final = (callee: string) => fromPcap.calls.find((c) => c.to === callee)?.final?.at ?? 0;
      expect(final(CALLEES.blocked)).toBeGreaterThanOrEqual(400);
      expect(final(CALLEES.busy)).toBeGreaterThanOrEqual(1000);
      expect(line(CALLEES.unanswered)).toMatch(/no response {2}\(2 retransmitted\)$/);
      const blocked = fromPcap.calls.find((c) => c.to === CALLEES.blocked);
      expect(blocked?.final?.explanation?.variant?.id).toBe("network-blocked");
      expect(blocked?.final?.explanation?.producedBy?.server).toMatch(/^kamailio/);
      expect(blocked?.pddMs).toBeGreaterThan(100);
      expect(blocked?.earlyMedia).toBe(true);
    });

    it("reads the same calls from tshark -V, -T json, -T ek and ngrep (byline and default) output", async () => {
      const renderings: [string, string[]][] = [
        ["tshark", ["-r", cap.pcap, "-Y", "sip", "-V"]],
        ["tshark", ["-r", cap.pcap, "-Y", "sip", "-T", "json"]],
        ["tshark", ["-r", cap.pcap, "-Y", "sip", "-T", "ek"]],
        ["ngrep", ["-I", cap.pcap, "-W", "byline", "-t", "-q", "-n", "1000", "."]],
        // ngrep's default rows (CR and LF as dots), with times and without, with its # marks.
        ["ngrep", ["-I", cap.pcap, "-t", "-q", "-n", "1000", "."]],
        ["ngrep", ["-I", cap.pcap]],
      ];
      const expected = shape(fromPcap);
      for (const [tool, args] of renderings) {
        const text = execFileSync(tool, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        const r = await sipcode(["explain", "-", "--json"], text);
        expect(r.stderr, `${tool} ${args.join(" ")}`).toBe("");
        const result = CallsResult.parse(JSON.parse(r.stdout));
        expect(shape(result), `${tool} ${args.join(" ")}`).toEqual(expected);
        expect(result.format).toMatch(tool === "ngrep" ? /^ngrep$/ : /^tshark-/);
      }
    });

    it("reads the same calls from sngrep's own save as txt of the capture", async () => {
      const txt = await sngrepSaveTxt(cap.pcap, cap.dir);
      const text = readFileSync(txt, "utf8");
      // sngrep writes each dialog's messages in turn, each under "date time src -> dst".
      expect(text).toMatch(
        /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{6} 127\.0\.0\.1:\d+ -> 127\.0\.0\.1:\d+\n/,
      );
      const r = await sipcode(["explain", txt, "--json"]);
      expect(r.stderr).toBe("");
      const result = CallsResult.parse(JSON.parse(r.stdout));
      expect(result.format).toBe("sngrep");
      expect(shape(result)).toEqual(shape(fromPcap));
      // Its times are the capture's to the microsecond, so the offsets agree too.
      expect(result.calls.map((c) => c.final?.at)).toEqual(fromPcap.calls.map((c) => c.final?.at));
      expect(ourTuples(result)).toEqual(tsharkTuples(cap.pcap));
      const brief = await sipcode(["explain", txt, "--brief"]);
      expect(brief.stdout).toBe((await sipcode(["explain", cap.pcap, "--brief"])).stdout);
    }, 60_000);

    it("renders the captured calls as Markdown: a heading and a ladder table per call", async () => {
      const r = await sipcode(["explain", cap.pcap, "--format", "md"]);
      expect([r.code, r.stderr]).toEqual([0, ""]);
      const sections = r.stdout.split(/^(?=### )/m);
      expect(sections.map((s) => s.split(" ")[1])).toEqual(fromPcap.calls.map((c) => c.id));
      for (const [i, c] of fromPcap.calls.entries()) {
        const rows = (sections[i] ?? "").split("\n").filter((l) => /^\| [\d.]+ s \| /.test(l));
        expect(rows, c.callId).toHaveLength(c.events.length);
      }
      const blocked = sections.find((s) => s.includes(CALLEES.blocked)) ?? "";
      expect(blocked).toContain("**Final response 603 Network Blocked**");
      expect(blocked).toContain("https://redress.example.net/jcard.json");
      expect(blocked).toMatch(/\*\*Tell the caller\*\*\n\n> /);
      // --format markdown is the same rendering.
      expect((await sipcode(["explain", cap.pcap, "--format", "markdown"])).stdout).toBe(r.stdout);
    });

    it("reads the same calls from the capture laid out as Homer 7's text export", async () => {
      // homer-app's layout (utils/exportwriter WriteDataToBuffer), filled from what tshark
      // reads in the capture: the time of each frame and the UDP payload, byte for byte.
      const rows = execFileSync(
        "tshark",
        [
          "-r",
          cap.pcap,
          "-Y",
          "sip",
          "-T",
          "fields",
          "-e",
          "frame.time_epoch",
          "-e",
          "ip.src",
          "-e",
          "udp.srcport",
          "-e",
          "ip.dst",
          "-e",
          "udp.dstport",
          "-e",
          "udp.payload",
        ],
        { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
      )
        .split("\n")
        .filter(Boolean)
        .map((l) => l.split("\t"));
      const text = rows
        .map(([epoch, src, sport, dst, dport, payload]) => {
          // Go writes create_date as RFC 3339 with the fraction to the nanosecond, zeros trimmed.
          const [sec = "0", frac = ""] = (epoch ?? "").split(".");
          const fraction = frac.replace(/0+$/, "");
          const date = `${new Date(Number(sec) * 1000).toISOString().slice(0, 19)}${fraction ? `.${fraction}` : ""}Z`;
          const raw = Buffer.from((payload ?? "").replace(/:/g, ""), "hex").toString("utf8");
          return `proto:UDP ${date}  ${src}:${sport} ---> ${dst}:${dport}\r\n\r\n${raw}\r\n`;
        })
        .join("");
      const r = await sipcode(["explain", "-", "--json"], text);
      expect(r.stderr).toBe("");
      const result = CallsResult.parse(JSON.parse(r.stdout));
      expect(result.format).toBe("homer");
      expect(shape(result)).toEqual(shape(fromPcap));
      expect(result.calls.map((c) => c.final?.at)).toEqual(fromPcap.calls.map((c) => c.final?.at));
    });

    it("explains a capture piped on standard input the same as the file", async () => {
      const r = await sipcode(["explain", "-", "--brief"], readFileSync(cap.pcap));
      expect(r.code).toBe(0);
      expect(r.stdout).toBe((await sipcode(["explain", cap.pcap, "--brief"])).stdout);
    });

    it("explains every complete packet of a truncated pcap and warns with the offset", async () => {
      const bytes = readFileSync(cap.pcap);
      const cut = join(cap.dir, "cut.pcap");
      writeFileSync(cut, bytes.subarray(0, bytes.length - 100));
      const r = await sipcode(["explain", cut, "--brief"]);
      expect(r.code).toBe(0);
      expect(r.stdout.trim().split("\n").length).toBeGreaterThanOrEqual(4);
      expect(r.stderr).toMatch(/^sipcode: .*cut\.pcap: warning: .*\d+/m);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    });

    it("says a capture holds no SIP, exit 1", async () => {
      const empty = join(cap.dir, "empty.pcap");
      writeFileSync(empty, readFileSync(cap.pcap).subarray(0, 24));
      const r = await sipcode(["explain", empty]);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(
        /^sipcode: .*empty\.pcap: the pcap \(0 frames\) holds no SIP messages\n$/,
      );
    });
  },
);

describe.skipIf(!run)("ngrep's default output of a capture with non-ASCII text", () => {
  it("reads the same messages as the pcap itself, although every non-ASCII byte shows as a dot", async () => {
    // Display names and an SDP session name outside ASCII ("Zoë Müller", "Café €"),
    // a message/sipfrag-free trunk call: INVITE, 100, 180, 486, ACK.
    const dir = mkdtempSync(join(tmpdir(), "sipcode-ngrep-"));
    const file = join(dir, "utf8.pcap");
    const sdp =
      "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=Café €\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n";
    const steps: [string, string, string][] = [
      ["INVITE sip:+13105550100@gw.example SIP/2.0", "1 INVITE", sdp],
      ["SIP/2.0 100 Trying", "1 INVITE", ""],
      ["SIP/2.0 180 Ringing", "1 INVITE", ""],
      ["SIP/2.0 486 Busy Here", "1 INVITE", ""],
      ["ACK sip:+13105550100@gw.example SIP/2.0", "1 ACK", ""],
    ];
    const enc = new TextEncoder();
    const frames = steps.map(([line, cseq, body], i) => {
      const text = enc.encode(
        sipMessage(line, "utf8-1@test", cseq, body, [
          "Subject: Rückruf wegen Störung.",
          'Reason: Q.850;cause=17;text="User busy"',
        ]),
      );
      const ip = line.startsWith("SIP/")
        ? udp4("198.51.100.7", "192.0.2.10", 5060, 5060, text)
        : udp4("192.0.2.10", "198.51.100.7", 5060, 5060, text);
      return { time: 1_767_000_000_000_000 + i * 100_000, data: ethernet(ip) };
    });
    writeFileSync(file, writePcap(frames, 1));
    const text = execFileSync("ngrep", ["-I", file, "-q", "-t", "."], { encoding: "utf8" });
    expect(text).toContain("Zo.. M..ller");
    const fromNgrep = CallsResult.parse(
      JSON.parse((await sipcode(["explain", "-", "--json"], text)).stdout),
    );
    const fromPcap = CallsResult.parse(
      JSON.parse((await sipcode(["explain", file, "--json"])).stdout),
    );
    expect(fromNgrep.format).toBe("ngrep");
    expect(shape(fromNgrep)).toEqual(shape(fromPcap));
    expect(fromNgrep.calls[0]?.final?.code).toBe(486);
    expect(fromNgrep.calls[0]?.events.map((e) => e.code ?? e.method)).toEqual(
      fromPcap.calls[0]?.events.map((e) => e.code ?? e.method),
    );
  });
});

describe("binary input that is not a capture", () => {
  it.each([
    ["gzip", gzipSync(Buffer.from("SIP/2.0 486 Busy Here\r\n"))],
    ["random bytes", Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 131 + 7) % 256))],
  ])("names what it saw in one line on stderr and exits 2 (%s)", async (_name, bytes) => {
    const r = await sipcode(["explain", "-"], bytes);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.split("\n")).toHaveLength(2);
    expect(r.stderr).toMatch(/^sipcode: standard input: the input /);
    // Nothing of the raw bytes reaches the terminal.
    expect(r.stderr).not.toMatch(/[\u0000-\u0008\u000e-\u001f\u007f-\u009f\ufffd]/);
  });
});

describe("a capture that cannot be read at all", () => {
  it("names the file and what is wrong in one line, exit 2, for a pcap header cut short", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sipcode-cut-"));
    const file = join(dir, "short.pcap");
    const frames = [
      {
        time: 1_767_000_000_000_000,
        data: ethernet(
          udp4(
            "192.0.2.10",
            "198.51.100.7",
            5060,
            5060,
            new TextEncoder().encode(sipMessage("SIP/2.0 486 Busy Here", "cut@x", "1 INVITE")),
          ),
        ),
      },
    ];
    writeFileSync(file, writePcap(frames, 1).subarray(0, 10));
    const r = await sipcode(["explain", file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^sipcode: .*short\.pcap: the pcap file header is cut short \(10 bytes\)\n$/,
    );
    expect(r.stderr).not.toMatch(/internal error/);
  });
});

describe("pasted traces", () => {
  it("explains a lone BYE by its Reason instead of refusing it", async () => {
    const bye = [
      "BYE sip:+13105550100@gw.example SIP/2.0",
      "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKb1",
      "From: <sip:+13105550100@gw.example>;tag=b",
      "To: <sip:+12025550142@a.example>;tag=a",
      "Call-ID: lone@x",
      "CSeq: 2 BYE",
      'Reason: Q.850;cause=16;text="Normal call clearing"',
      "",
      "",
    ].join("\r\n");
    const r = await sipcode(["explain", "-", "--brief"], bye);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^c1 +BYE \+13105550100 -> \+12025550142 {2}ended/);
    const text = await sipcode(["explain", "-"], bye);
    const flat = text.stdout.replace(/\s+/g, " ");
    expect(flat).toMatch(
      /Only the end of the call was captured: BYE .*\(Reason Q\.850 16 "Normal call clearing"\)/,
    );
    // The cause is explained, not only repeated.
    expect(flat).toMatch(/Q\.850 cause 16 "Normal call clearing" \S+/);
  });
});

describe("causes asked for by name or with the Reason header name", () => {
  it.each([
    ["USER_BUSY", 17],
    ["NORMAL_CLEARING", 16],
    ["Normal Clearing", 16],
    ['Reason: Q.850;cause=34;text="x"', 34],
  ])("sipcode q850 %s", async (input, cause) => {
    const r = await sipcode(["q850", input, "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).cause).toBe(cause);
  });

  it("explains Reason: Q.850;cause=16 as the cause it is, exit 0", async () => {
    const r = await sipcode(['Reason: Q.850;cause=16;text="Normal call clearing"']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Q\.850 cause 16 {2}Normal call clearing/);
  });
});
