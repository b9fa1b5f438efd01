/**
 * Building blocks of the wire schemas: numbers checked against the kernel's own bounds table
 * (`@aifp/kernel` `SCENARIO_RULES`, `OPTION_RULES`), so the schema and the kernel never disagree,
 * with messages in plain words: `expected a number >= 1, got "abc"`.
 */
import { describeReceived, describeRule, isWholeNumberOfMonths, type NumberRule } from "@aifp/kernel";
import * as v from "valibot";

/** A number field: finite and within `rule`, every message `expected <rule>, got <value>`. */
export function numberField(rule: NumberRule): v.GenericSchema<number> {
  const expected = describeRule(rule);
  const message = (issue: v.BaseIssue<unknown>): string => `expected ${expected}, got ${describeReceived(issue.input)}`;
  const actions: v.PipeItem<number, number, v.BaseIssue<unknown>>[] = [v.finite(message)];
  if (rule.min !== undefined)
    actions.push(rule.minExclusive ? v.gtValue(rule.min, message) : v.minValue(rule.min, message));
  if (rule.max !== undefined)
    actions.push(rule.maxExclusive ? v.ltValue(rule.max, message) : v.maxValue(rule.max, message));
  if (rule.integer) actions.push(v.integer(message));
  if (rule.wholeMonths) actions.push(v.check(isWholeNumberOfMonths, message));
  // valibot's `pipe` is typed for literal argument lists; the items are built from the rule here.
  const pipe = v.pipe as unknown as (
    schema: v.GenericSchema<number>,
    ...items: typeof actions
  ) => v.GenericSchema<number>;
  return pipe(v.number(message), ...actions);
}

/** A non-empty text (ids, labels, catalog keys). */
export function textField(what: string): v.GenericSchema<string> {
  const message = (issue: v.BaseIssue<unknown>): string => `expected ${what}, got ${describeReceived(issue.input)}`;
  return v.pipe(v.string(message), v.nonEmpty(message));
}

/**
 * Message of a strict object: names a missing required field with what it expects, an unknown
 * field as unknown, anything else as "expected an object".
 */
export function objectMessage(
  what: string,
  describe: Readonly<Record<string, string>>,
): (issue: v.BaseIssue<unknown>) => string {
  return (issue) => {
    if (issue.kind === "schema" && issue.expected === "never")
      return "unknown field: not part of the scenario (check its spelling)";
    const key = issue.path?.[issue.path.length - 1]?.key;
    if (issue.input === undefined && typeof key === "string" && issue.expected === `"${key}"`) {
      return `missing: expected ${describe[key] ?? "a value"}`;
    }
    return `expected ${what}, got ${describeReceived(issue.input)}`;
  };
}

/** Descriptions of number fields for "missing" messages, from a rules table. */
export function describeRules(rules: Readonly<Record<string, NumberRule>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, rule] of Object.entries(rules)) out[key] = describeRule(rule);
  return out;
}
