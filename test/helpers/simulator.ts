/**
 * A running simulator on 127.0.0.1 port 0 under a ManualClock, stopped after the importing file's tests.
 */
import { ManualClock } from '../../src/domain/clock';
import { buildScenario, Simulator, type Scenario, type SimulatorOptions } from '../../src/sim';

const running = new Set<Simulator>();

// Registered on import, at the top level of the importing file: jest forbids hooks inside tests.
afterAll(async () => {
  for (const sim of [...running]) await sim.stop();
  running.clear();
});

/** A started simulator with its clock, scenario and base URL. */
export interface RunningSimulator {
  readonly sim: Simulator;
  readonly clock: ManualClock;
  readonly scenario: Scenario;
  readonly base: string;
  /** Sets the clock to `ms` after the scenario's start. */
  at(ms: number): void;
  stop(): Promise<void>;
}

/** Options of {@link startSimulator}. */
export interface StartSimulatorOptions extends Partial<Omit<SimulatorOptions, 'clock' | 'scenario'>> {
  /** Scenario name. @defaultValue 'quick' */
  readonly scenario?: string;
  /** Scenario start (epoch ms). @defaultValue 2024-01-10T02:00:00Z */
  readonly start?: number;
  /** Scenario seed. @defaultValue 11 */
  readonly scenarioSeed?: number;
}

/** Builds the scenario and starts the simulator; afterAll stops it if the test did not (stop is idempotent). */
export async function startSimulator(o: StartSimulatorOptions = {}): Promise<RunningSimulator> {
  const { scenario: name = 'quick', start = Date.UTC(2024, 0, 10, 2, 0, 0), scenarioSeed = 11, ...rest } = o;
  const scenario = buildScenario(name, { start, seed: scenarioSeed });
  const clock = new ManualClock(start);
  const sim = new Simulator({ ...rest, clock, scenario });
  const base = await sim.start(0);
  running.add(sim);
  const stop = async (): Promise<void> => {
    running.delete(sim);
    await sim.stop();
  };
  return { sim, clock, scenario, base, at: (ms) => clock.advanceTo(start + ms), stop };
}
