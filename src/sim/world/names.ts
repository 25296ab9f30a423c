/** Names accepted by `buildScenario`. */
export const SCENARIO_NAMES = ['un-vote', 'quick', 'quick-odd'] as const;
/** One of {@link SCENARIO_NAMES}. */
export type ScenarioName = (typeof SCENARIO_NAMES)[number];
