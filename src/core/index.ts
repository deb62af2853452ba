export { step, nextWakeAt } from './step.js';
export { createCoreState, type CoreConfig, type CoreState, type EscalationStep } from './state.js';
export { defaultEscalation } from './escalation.js';
export { DEFAULT_BUSINESS_HOURS } from './business-hours.js';
export { cadenceFor, ringTiming, type Cadence } from './cadence.js';
export { NATIONAL_CADENCES, CADENCE_SOURCE } from './national-cadences.js';
export { lineStatus, deskStatus, openCallbacks } from './status.js';
export { DECISION_TYPES, isDecisionType } from './decision-types.js';
export type * from './types.js';
