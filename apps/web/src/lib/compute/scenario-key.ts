/**
 * One key per scenario object, the scenario as JSON, computed once however many parts of the
 * results page ask (the headline's range, the best plan and the risk analysis each compare the
 * plan they computed with the plan shown). A slider move makes one new scenario object, so a
 * move costs one `JSON.stringify` instead of one per part (issue 16: slider → headline ≤ 8 ms).
 * Scenarios are never mutated after evaluation, so the key of an object never changes.
 */
const keys = new WeakMap<object, string>();

export function scenarioKey(scenario: object): string {
  let key = keys.get(scenario);
  if (key === undefined) keys.set(scenario, (key = JSON.stringify(scenario)));
  return key;
}
