export {
  CATALOGUE_VERSION,
  classNames,
  classOf,
  getCodeEntry,
  getGlossaryEntry,
  getWarningCode,
  listCodeEntries,
  listGlossary,
  listWarningCodes,
} from "./catalogue/index.ts";
export {
  getQ850Cause,
  listQ850Causes,
  type Q850Cause,
  q850CausesFor,
  type SipToQ850,
  sipToQ850,
} from "./catalogue/q850.ts";
export {
  briefLine,
  CallTracker,
  type CallTrackerOptions,
  type DialogMessage,
  explainCalls,
} from "./dialog/calls.ts";
export { callSeq, StartOrder } from "./dialog/order.ts";
export {
  type ErrorCode,
  ErrorCodes,
  type IssueDetail,
  isSipcodesError,
  type SafeResult,
  SipcodesError,
} from "./errors.ts";
export { codeOutcome, type ExplainOptions, explain, safeExplain } from "./explain/index.ts";
export { findTerms } from "./explain/terms.ts";
export {
  type CauseHeaders,
  q850CauseForName,
  readCauseHeaders,
  readReasons,
} from "./parse/headers/index.ts";
export {
  MAX_INPUT_LENGTH,
  type ParsedInput,
  type ParseOptions,
  parseInput,
  parseReasonHeader,
  parseRetryAfter,
  parseWarningHeader,
  type ReasonValue,
  type RetryAfterValue,
  type WarningValue,
} from "./parse/index.ts";
export { splitMessages } from "./parse/split.ts";
export {
  holdsCalls,
  readTrace,
  splitSip,
  type TraceFormat,
  type TraceResult,
} from "./parse/traces/index.ts";
export {
  BUILTIN_PROFILE_IDS,
  builtinProfiles,
  createRegistry,
  DEFAULT_PROFILE,
  defaultRegistry,
  normalizePhrase,
  ProfileRegistry,
  type ProfileSummary,
  summarizeProfile,
} from "./profiles/registry.ts";
export { type CallRenderOptions, renderCallMarkdown, renderCallText } from "./render/call.ts";
export { renderMarkdown, renderText, type TextRenderOptions } from "./render/index.ts";
export type {
  Action,
  Actor,
  Audience,
  Cause,
  CauseDirection,
  CodeClass,
  CodeEntry,
  Direction,
  GlossaryEntry,
  Outcome,
  Retry,
  WarningCodeEntry,
} from "./schema/catalogue.ts";
export type { Call, CallEnd, CallOutcome, CallStep, CallsResult } from "./schema/dialog.ts";
export type {
  Explanation,
  Q850Explained,
  SubCodeExplained,
  WarningExplained,
} from "./schema/explanation.ts";
export type {
  CallInfo,
  CodeHeaders,
  DiagnosticsHeader,
  HangupHeader,
  Producer,
  ReasonHeaderValue,
} from "./schema/headers.ts";
export type {
  CodeOverlay,
  Profile,
  ProfileInput,
  SubCode,
  SubCodeRule,
} from "./schema/profile.ts";
export type { PlatformCauseMapping } from "./schema/q850.ts";
export { type SearchHit, type SearchOptions, searchCodes } from "./search.ts";
export {
  type CallEvent,
  CallSummarizer,
  type CodeCount,
  type FinalOutcome,
  finalOutcome,
  GROUP_BY,
  type GroupBy,
  HANGUP_CAUSE_NAMES,
  type NerClass,
  NO_GROUP,
  nerClass,
  OTHER_GROUP,
  type OutcomeInput,
  type OutcomeSource,
  readSipCode,
  SKIP_REASON_LABELS,
  SKIP_REASONS,
  type SkipReason,
  type Summary,
  type SummaryOptions,
  sipCodeForQ850,
  summarize,
  type Totals,
} from "./stats/index.ts";
export { type ListCodesOptions, type ListedCode, listCodes } from "./views/codes.ts";
export { findGlossaryTerm, listGlossaryTerms } from "./views/glossary.ts";
export {
  causeTableOwner,
  platformCauseMapping,
  platformCauseTable,
} from "./views/q850.ts";
