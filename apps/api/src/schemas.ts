/**
 * The API's contract: request and response schemas, built on the core's zod
 * schemas and named for the OpenAPI document. Handlers validate with these
 * same objects, so the document and the behaviour cannot drift apart.
 */
import { z } from "@hono/zod-openapi";
import {
  Audience,
  CodeClass,
  CallsResult as CoreCallsResult,
  Explanation as CoreExplanation,
  GlossaryEntry as CoreGlossaryEntry,
  Profile as CoreProfile,
  ProfileSummary as CoreProfileSummary,
  Q850Cause as CoreQ850Cause,
  Direction,
  Outcome,
  PlatformCauseMapping,
} from "@sipcodes/core/schemas";
import { type ErrorCode, ErrorCodes } from "@sipcodes/errors";

// ---------------------------------------------------------------- parameters

const ProfileIdParam = z
  .string()
  .regex(/^[a-z][a-z0-9-]{1,31}$/, "a profile id: lower-case letters, digits and '-'")
  .openapi({ example: "teams", description: "A profile id from GET /v1/profiles. Default rfc." });

const ViewValue = z.enum(["lean", "full"]).openapi({
  description:
    "lean (default) omits what can be looked up elsewhere; full adds the definitions of the glossary terms the text uses.",
});
const View = ViewValue.default("lean");

const SubCodeParam = z
  .string()
  .regex(/^\d{1,7}$/, "a vendor sub-code: 1 to 7 digits")
  .openapi({
    example: "560486",
    description: "A vendor sub-code carried beside the code (Teams).",
  });

/** Options shared by the code route (query) and the explain routes (query or body). */
export const ExplainOptions = z.object({
  profile: ProfileIdParam.optional(),
  direction: Direction.optional().openapi({ description: "The leg the response was seen on." }),
  audience: Audience.optional().openapi({
    description: "operator (default) or end-user: end-user keeps only what a caller should hear.",
  }),
  subCode: SubCodeParam.optional(),
});

/**
 * A number in a path or query string: digits only (no sign, exponent, space or
 * hex), so `1e1` and ` 486` are refused rather than read as 10 and 486. Typed
 * `integer` in the document; the handler reads it with `Number()`.
 */
const digits = (what: string) =>
  z.string().regex(/^\d+$/, `${what}: digits only`).max(12, `${what}: at most 12 digits`);

export const CodeParams = z.object({
  code: digits("a SIP response code").openapi({
    type: "integer",
    minimum: 0,
    param: { name: "code", in: "path" },
    example: 486,
    description: "The SIP response code. 100-699; any other number is a 404 problem.",
  }),
});

export const CodeQuery = ExplainOptions.extend({ view: View });
export type CodeQuery = z.infer<typeof CodeQuery>;

export const CodeListQuery = z.object({
  class: CodeClass.optional().openapi({ description: "Only codes of this class." }),
  profile: ProfileIdParam.optional().openapi({
    description:
      "Only the codes this profile gives its own meaning to, with its phrase and summary (rfc: every code).",
  }),
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .openapi({ example: "codec", description: "Search words; results come best match first." }),
  limit: z
    .string()
    .regex(/^\d+$/, "an integer from 1 to 100, digits only")
    .transform(Number)
    .pipe(z.number().int().min(1, "at least 1").max(100, "at most 100"))
    .optional()
    .openapi({
      type: "integer",
      minimum: 1,
      maximum: 100,
      default: 20,
      description: "Most search results (with q). Default 20.",
    }),
});
export type CodeListQuery = z.infer<typeof CodeListQuery>;

export const CauseParams = z.object({
  cause: digits("a Q.850 cause value").openapi({
    type: "integer",
    minimum: 0,
    param: { name: "cause", in: "path" },
    example: 17,
    description: "The Q.850 cause value. Assigned values lie in 1-127; any other is a 404 problem.",
  }),
});

export const ProfileParams = z.object({
  id: ProfileIdParam.openapi({ param: { name: "id", in: "path" }, example: "teams" }),
});

export const GlossaryQuery = z.object({
  profile: ProfileIdParam.optional().openapi({
    description: "Add the terms this profile (and what it extends) defines.",
  }),
});

export const TermParams = z.object({
  term: z
    .string()
    .min(1)
    .max(80)
    .openapi({ param: { name: "term", in: "path" }, example: "SBC" }),
});

export const ProblemTypeParams = z.object({
  type: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "type", in: "path" }, example: "unknown_code" }),
});

// ---------------------------------------------------------------- bodies

const Input = z
  .union([z.string().max(1_000_000, "at most 1,000,000 characters"), z.number()], {
    error: (issue) =>
      issue.input === undefined
        ? "input is required: a code, status line, SIP response or Reason header"
        : "input must be a string or a number",
  })
  .openapi({
    description:
      'A code (486 or "486"), a status line, a whole SIP response, or a Reason header value.',
    example: "SIP/2.0 486 Busy Here",
  });

/**
 * The query of POST /v1/explain: the same options, without defaults, since a
 * query option only applies where the JSON body does not set it.
 */
export const ExplainQuery = ExplainOptions.extend({ view: ViewValue.optional() });
export type ExplainQuery = z.infer<typeof ExplainQuery>;

/** The JSON body of POST /v1/explain, before defaults: merged over the query, then defaulted. */
export const ExplainRequest = ExplainOptions.extend({
  input: Input,
  view: ViewValue.optional(),
})
  .strict()
  .openapi("ExplainRequest");
export type ExplainRequest = z.infer<typeof ExplainRequest>;

export const MAX_BATCH = 1000;

const BatchItem = z.union([
  Input,
  ExplainOptions.extend({ input: Input, view: ViewValue.optional() }).strict().openapi({
    description: "An input with options of its own, which override the batch's.",
  }),
]);

export const BatchRequest = ExplainOptions.extend({
  inputs: z
    .array(BatchItem)
    .min(1, "at least 1 input")
    .max(MAX_BATCH, `at most ${MAX_BATCH} inputs`),
  view: ViewValue.optional(),
})
  .strict()
  .openapi("BatchRequest");
export type BatchRequest = z.infer<typeof BatchRequest>;

// ---------------------------------------------------------------- responses

export const GlossaryEntry = CoreGlossaryEntry.openapi("GlossaryEntry");

export const TermDefinition = CoreGlossaryEntry.pick({ term: true, definition: true }).openapi(
  "TermDefinition",
);

/** A request option the API took but could not apply, and why (the answer is still 200). */
export const RequestNote = z
  .object({
    parameter: z.string().openapi({ example: "subCode" }),
    value: z.string(),
    note: z.string(),
  })
  .openapi("RequestNote");

export const Explanation = CoreExplanation.extend({
  /** Only with view=full: the definitions of `terms`. */
  glossary: z.array(TermDefinition).optional(),
  /** Options that were valid but did not apply to this code (a sub-code the profile does not know). */
  notes: z.array(RequestNote).optional(),
}).openapi("Explanation");

/** The calls of a capture or a trace: POST /v1/explain's answer to one. */
export const CallsResult = CoreCallsResult.openapi("CallsResult");
export type CallsResult = z.infer<typeof CallsResult>;

export const ProblemIssue = z
  .object({
    path: z.array(z.union([z.string(), z.number()])),
    message: z.string(),
  })
  .openapi("ProblemIssue");

export const Problem = z
  .object({
    type: z.string().openapi({ example: "/problems/unknown_code" }),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string(),
    instance: z.string(),
    code: z.enum(ErrorCodes as [ErrorCode, ...ErrorCode[]]),
    errors: z.array(ProblemIssue).optional(),
  })
  .openapi("Problem", { description: "An RFC 9457 problem detail." });

export const BatchResult = z
  .union([
    z.object({ index: z.number().int(), explanation: Explanation }),
    z.object({ index: z.number().int(), problem: Problem }),
  ])
  .openapi("BatchResult");

export const BatchResponse = z
  .object({
    count: z.number().int(),
    failed: z.number().int(),
    results: z.array(BatchResult),
  })
  .openapi("BatchResponse");

export const CodeListItem = z
  .object({
    code: z.number().int(),
    phrase: z.string(),
    /** The phrase the profile's platform sends, when it differs. */
    profilePhrase: z.string().optional(),
    class: CodeClass,
    registered: z.boolean(),
    outcome: Outcome,
    summary: z.string(),
    /** With q: how well the code matched, and in which profile's text. */
    score: z.number().optional(),
    matchedIn: z.string().optional(),
  })
  .openapi("CodeListItem");
export type CodeListItem = z.infer<typeof CodeListItem>;

export const CodeList = z
  .object({
    catalogueVersion: z.string(),
    count: z.number().int(),
    codes: z.array(CodeListItem),
  })
  .openapi("CodeList");

export const Q850Cause = CoreQ850Cause.extend({
  platform: PlatformCauseMapping.optional().openapi({
    description:
      "With ?profile= naming a profile that has its platform's cause table (freeswitch, asterisk): the SIP code that platform answers for the cause, beside RFC 3398.",
  }),
}).openapi("Q850Cause");

export const Q850Query = z.object({
  profile: ProfileIdParam.optional().openapi({
    description:
      "Add what this profile's platform answers for the cause (its cause table), beside RFC 3398. A profile without a table adds nothing.",
  }),
});

export const Q850List = z
  .object({
    count: z.number().int(),
    /** Each cause, lean: the SIP codes it maps to without their conditions. */
    causes: z.array(
      CoreQ850Cause.pick({ cause: true, name: true, class: true }).extend({
        sip: z.array(z.number().int()),
      }),
    ),
  })
  .openapi("Q850List");

export const ProfileSummary = CoreProfileSummary.openapi("ProfileSummary");

export const ProfileList = z
  .object({ count: z.number().int(), profiles: z.array(ProfileSummary) })
  .openapi("ProfileList");

export const Profile = CoreProfile.openapi("Profile");

export const Glossary = z
  .object({ count: z.number().int(), terms: z.array(GlossaryEntry) })
  .openapi("Glossary");

export const Health = z
  .object({ status: z.literal("ok"), catalogueVersion: z.string() })
  .openapi("Health");

export const ProblemType = z
  .object({
    type: z.string(),
    code: z.string(),
    status: z.number().int(),
    title: z.string(),
    description: z.string(),
  })
  .openapi("ProblemType");

export const Index = z
  .object({
    name: z.string(),
    catalogueVersion: z.string(),
    openapi: z.string(),
    endpoints: z.array(z.string()),
  })
  .openapi("Index");
