import { BUILTIN_PROFILE_IDS, DEFAULT_PROFILE, GROUP_BY } from "@sipcodes/core";
import { Argument, Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { FORMAT_CHOICES } from "./cdr/formats.ts";
import { runExplain } from "./commands/explain.ts";
import { runGlossary, runList, runProfiles, runQ850Command, runSearch } from "./commands/lookup.ts";
import { type CliContext, EXIT } from "./context.ts";
import { describeError } from "./errors.ts";
import { FORMAT_WORDS, normalizeDirection, normalizeFormat, normalizeProfile } from "./options.ts";

declare const __VERSION__: string | undefined;
const version = typeof __VERSION__ === "string" ? __VERSION__ : "0.0.0-dev";

const exitCodesHelp = `
Exit codes:
  0   success
  1   not found (a code outside 100-699, an unknown Q.850 cause, no match)
  2   usage error (bad option, unreadable input or file)
  3   sipcode stats: most rows gave no usable outcome (what was counted is on stderr)
  70  internal error (a bug: please report it)

Environment:
  NO_COLOR         turn colour off          FORCE_COLOR=1  force colour on
  COLUMNS          width used for wrapping and tables
  SIPCODE_PROFILE  profile used when --profile is not given
  SIPCODES_CONFIG  config file (default ~/.config/sipcodes/config.json):
                   {"profile": "jola", "direction": "outbound", "audience": "operator"}`;

const explainExamples = `
Examples:
  $ sipcode 486
  $ sipcode 603 --profile jola --direction outbound
  $ sipcode "SIP/2.0 603 MaxPeak Cost Exceeded"
  $ sipcode 'Q.850;cause=17;text="User busy"'
  $ sipcode 403 --profile teams --sub-code 560403
  $ pbx-trace | sipcode -            # explain every response in a pasted trace
  $ sipcode explain calls.pcap --brief   # one line per call in a capture (pcap, pcapng, HEP)
  $ tshark -r calls.pcap -T json | sipcode -   # tshark -V / -T json / -T ek, sngrep, ngrep, Homer, siptrace
  $ sipcode 486 487 603 --json`;

/** --profile: a built-in id in any case, or a file; defaults from SIPCODE_PROFILE or the config file. */
function profileOption(ctx: CliContext, description: string, withDefault = true): Option {
  const option = new Option("-p, --profile <id|file>", description).argParser((value: string) =>
    normalizeProfile(value, BUILTIN_PROFILE_IDS),
  );
  return withDefault ? option.default(ctx.defaults?.profile ?? DEFAULT_PROFILE) : option;
}

function directionOption(ctx: CliContext): Option {
  const option = new Option(
    "-d, --direction <direction>",
    "call direction: inbound or outbound (in, out)",
  ).argParser((value: string) => {
    const direction = normalizeDirection(value);
    if (!direction) throw new InvalidArgumentError("expected inbound, outbound, in or out.");
    return direction;
  });
  return ctx.defaults?.direction ? option.default(ctx.defaults.direction) : option;
}

function explainOptions(ctx: CliContext, command: Command): Command {
  return command
    .addOption(
      profileOption(
        ctx,
        `profile id (${BUILTIN_PROFILE_IDS.join(", ")}) or a JSON/YAML profile file`,
      ),
    )
    .addOption(directionOption(ctx))
    .addOption(
      new Option("-a, --audience <audience>", "who the explanation is for")
        .choices(["operator", "end-user"])
        .default(ctx.defaults?.audience ?? "operator"),
    )
    .option("-s, --sub-code <code>", "vendor sub-code sent with the SIP code (e.g. Teams 560403)")
    .addOption(
      new Option("-f, --format <format>", `human output format (${FORMAT_WORDS.join(", ")})`)
        .argParser((value: string) => {
          const format = normalizeFormat(value);
          if (!format) throw new InvalidArgumentError(`expected ${FORMAT_WORDS.join(", ")}.`);
          return format;
        })
        .default("text"),
    )
    .option("-g, --glossary", "define the terms the explanation uses")
    .option(
      "--json",
      "print the explanation as JSON (the core's Explanation schema; CallsResult for calls)",
    )
    .option("-b, --brief", "one line per call, for a capture or a trace of whole calls")
    .option("--no-color", "never colour the output");
}

/** The options every command that reads CDR files shares. */
function cdrOptions(command: Command): Command {
  return command
    .option("-c, --code-column <name>", "column holding the SIP code (default: found by name)")
    .addOption(
      new Option(
        "--format <format>",
        "CDR format: a platform, csv/ndjson (generic), or auto (by header and content)",
      )
        .choices([...FORMAT_CHOICES])
        .default("auto"),
    )
    .option("--json", "print JSON")
    .option("--no-color", "never colour the output");
}

/** Builds the sipcode command tree. Tests call this with an in-memory context. */
export function createProgram(ctx: CliContext): Command {
  const program = new Command("sipcode");
  program
    .description("Explain SIP response codes for operators and end users, and summarize CDR files.")
    .version(version, "-V, --version")
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => ctx.out(text),
      writeErr: (text) => ctx.err(text),
      outputError: (text, write) => write(text.endsWith("\n") ? text : `${text}\n`),
    })
    .addHelpText("after", `${explainExamples}\n${exitCodesHelp}`);

  explainOptions(
    ctx,
    program
      .command("explain", { isDefault: true })
      .description("explain codes, status lines, SIP responses or Reason headers ('-' reads stdin)")
      .argument("[input...]", "what to explain; several at once are fine"),
  ).action((inputs: string[], options) => runExplain(ctx, inputs, options));

  program
    .command("list")
    .description("list codes and their phrases")
    .option("-c, --class <class>", "only this class (1xx..6xx, or 4 for 4xx)")
    .addOption(profileOption(ctx, "show phrases as this profile sends them"))
    .option("--registered", "only codes in the IANA registry")
    .option("--json", "print JSON")
    .option("--no-color", "never colour the output")
    .action((options) => runList(ctx, options));

  program
    .command("search")
    .description("find codes by words in their phrase, meaning or causes, best match first")
    .argument("<words...>", "words to look for, e.g. busy, cost, codec")
    .addOption(profileOption(ctx, "search only this profile's meanings", false))
    .option("-n, --limit <n>", "at most this many results", "10")
    .option("--json", "print JSON")
    .option("--no-color", "never colour the output")
    .action((words: string[], options) => runSearch(ctx, words, options));

  program
    .command("q850")
    .description("explain a Q.850 cause and its RFC 3398 SIP mapping")
    .argument("<cause>", "cause value 1-127, a cause name (USER_BUSY), or a Reason header")
    .addOption(
      profileOption(ctx, "also show what this platform sends for it (freeswitch, asterisk)"),
    )
    .option("--json", "print JSON")
    .option("--no-color", "never colour the output")
    .action((cause: string, options) => runQ850Command(ctx, cause, options));

  program
    .command("profiles")
    .description("list the built-in profiles and what each changes")
    .option("--json", "print JSON")
    .action((options) => runProfiles(ctx, options));

  program
    .command("glossary")
    .description("define a term, or list them all")
    .argument("[term...]", "a term such as SBC, E.164 or 'Reason header'")
    .addOption(profileOption(ctx, "add the terms this profile defines"))
    .option("--json", "print JSON")
    .option("--no-color", "never colour the output")
    .action((terms: string[], options) => runGlossary(ctx, terms, options));

  cdrOptions(
    program
      .command("stats")
      .description(
        "summarize CDR files (FreeSWITCH, Kamailio acc, Asterisk, Teams, Twilio, Telnyx or generic CSV/NDJSON, .gz too): ASR, NER, ACD, PDD, top failures",
      )
      .argument("<file...>", "CDR files, or '-' for standard input")
      .addOption(new Option("-b, --by <field>", "group by").choices([...GROUP_BY]))
      .addOption(profileOption(ctx, "profile whose meanings count the codes"))
      .option("-n, --top <n>", "failure codes and groups to show", "20")
      .option("-t, --time-column <name>", "column holding the call start time")
      .option("--trunk-column <name>", "column holding the trunk")
      .option("--customer-column <name>", "column holding the customer")
      .option("--direction-column <name>", "column holding the direction")
      .option("--since <time>", "only calls that started at or after this time (UTC unless zoned)")
      .option("--until <time>", "only calls that started before this time")
      .addOption(
        new Option(
          "--threads <n>",
          "threads for a large plain CSV file: auto (two when the machine has a core to spare), 1 or 2",
        )
          .choices(["auto", "1", "2"])
          .default("auto"),
      ),
  ).action(async (files: string[], options) => {
    const { runStats } = await import("./commands/stats.ts");
    await runStats(ctx, files, options);
  });

  const alerts = program.command("alerts").description("tune alert rules on history");
  cdrOptions(
    alerts
      .command("backtest")
      .description("replay a CDR file through the alert rules and print every alert transition")
      .argument("<file>", "CDR file (CSV or NDJSON, as for stats), or '-' for standard input")
      .option(
        "--config <file>",
        "alerter config (YAML/JSON) whose detector section holds the rules, or the detector settings themselves",
      )
      .option("-t, --time-column <name>", "column holding the event time (default: found by name)")
      .option(
        "--interval <seconds>",
        "simulated evaluation interval, 1-3600 (default: the alerter config's evaluation.intervalSeconds, else 60)",
      )
      .option(
        "--html <file>",
        "also write a self-contained HTML report: per incident, a chart of the rate, threshold and baseline",
      )
      .addOption(
        new Option(
          "--threads <n>",
          "threads for a large CDR file: auto (the file read on a second thread when the machine has a core to spare), 1 or 2",
        )
          .choices(["auto", "1", "2"])
          .default("auto"),
      ),
  ).action(async (file: string, options) => {
    const { runBacktest } = await import("./commands/backtest.ts");
    await runBacktest(ctx, file, options);
  });

  program
    .command("completion")
    .description("print a shell completion script")
    .addArgument(new Argument("<shell>", "bash, zsh or fish").choices(["bash", "zsh", "fish"]))
    .action(async (shell: "bash" | "zsh" | "fish") => {
      const { completionScript } = await import("./commands/completion.ts");
      ctx.out(completionScript(shell, program));
    });

  return program;
}

/** Runs the program on argv (without node and script), returning the exit code. */
export async function run(ctx: CliContext, argv: string[]): Promise<number> {
  const program = createProgram(ctx);
  try {
    await program.parseAsync(argv, { from: "user" });
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === "commander.helpDisplayed" ||
        error.code === "commander.version" ||
        error.code === "commander.help"
      ) {
        return EXIT.ok;
      }
      return EXIT.usage;
    }
    const { message, exitCode } = describeError(error);
    ctx.err(`sipcode: ${message}\n`);
    return exitCode;
  }
}
