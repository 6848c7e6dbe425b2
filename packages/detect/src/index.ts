export {
  BASELINE_BUCKET_MINUTES,
  configIssues,
  DetectorConfig,
  type Direction,
  Directions,
  defaultRules,
  detectorDefaults,
  type ResolvedConfig,
  type Rule,
  RuleConfig,
  resolveConfig,
  ruleDefaults,
  type ScopeKind,
  ScopeKinds,
  type ValidationResult,
  validateConfig,
} from "./config.ts";
export { createDetector, type DetectorOptions } from "./detector.ts";
export {
  type ConfigIssue,
  DetectError,
  type DetectErrorCode,
  DetectErrorCodes,
  formatIssue,
  isDetectError,
} from "./errors.ts";
export {
  type CountsOf,
  describeIncidentChange,
  episodeId,
  type Incident,
  IncidentBook,
  type IncidentBookState,
  type IncidentChange,
  type IncidentChangeLine,
  type IncidentMember,
  type IncidentTracker,
  type MemberRole,
  trackIncidents,
} from "./incidents.ts";
export { fireThreshold, normalQuantile, shrinkRate, wilsonLower, zForConfidence } from "./math.ts";
export { normalizePhrase } from "./phrases.ts";
export { readingOf } from "./reading.ts";
export { type ReplayClock, type ReplayResult, replay, replayClock } from "./replay.ts";
export {
  type AlertSnapshot,
  type ContributorEntry,
  type DetectorSnapshot,
  type DetectorSnapshotV1,
  migrateSnapshot,
  type PhraseEntry,
  type ScopeSnapshot,
} from "./snapshot.ts";
export {
  type ActiveAlert,
  type AlertState,
  AlertStates,
  type CallEvent,
  type Contributor,
  type Detector,
  type DetectorStats,
  type ObserveResult,
  type PhraseCount,
  type Reading,
  type ReadingStatus,
  type ScopeRef,
  type Transition,
  type WindowCounts,
} from "./types.ts";
