/**
 * A small linear/mixed-integer model written out as CPLEX LP text, the format HiGHS's one-shot
 * `solve` parses. Names are short (`b0_3`), terms with a zero coefficient are dropped, long
 * expressions are wrapped (LP readers accept expressions over several lines).
 */

/** One variable (column). */
export interface LpVariable {
  name: string;
  lower: number;
  /** Infinity for no upper bound. */
  upper: number;
  integer: boolean;
  /** Objective coefficient (minimised). */
  cost: number;
}

/** One linear term: coefficient × variable. */
export type LpTerm = readonly [variable: string, coefficient: number];

/** One constraint (row): Σ terms `sense` rhs. */
export interface LpConstraint {
  name: string;
  terms: LpTerm[];
  sense: "<=" | ">=" | "=";
  rhs: number;
}

const NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_]*$/;
const TERMS_PER_LINE = 8;

/** Formats a finite number for LP text (shortest round-trip form, exponent allowed). */
export function formatLpNumber(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`LP model: expected a finite number, got ${String(value)}`);
  // `String` gives the shortest text that reads back to the same float64, e.g. 1e-7, 12.5, 3.2e+21.
  return String(value === 0 ? 0 : value);
}

/** A minimisation model built variable by variable, constraint by constraint. */
export class LpModel {
  readonly variables: LpVariable[] = [];
  readonly constraints: LpConstraint[] = [];
  private readonly names = new Set<string>();

  /** Adds a variable; names are letters, digits and `_`, starting with a letter, unique. */
  addVariable(
    name: string,
    options: { lower?: number; upper?: number; integer?: boolean; cost?: number } = {},
  ): string {
    if (!NAME_PATTERN.test(name)) throw new Error(`LP model: invalid variable name ${JSON.stringify(name)}`);
    if (this.names.has(name)) throw new Error(`LP model: duplicate name ${name}`);
    this.names.add(name);
    const variable: LpVariable = {
      name,
      lower: options.lower ?? 0,
      upper: options.upper ?? Number.POSITIVE_INFINITY,
      integer: options.integer ?? false,
      cost: options.cost ?? 0,
    };
    if (!Number.isFinite(variable.cost)) throw new Error(`LP model: cost of ${name} is not finite`);
    this.variables.push(variable);
    return name;
  }

  /** Adds a constraint; terms naming the same variable twice are summed. */
  addConstraint(name: string, terms: readonly LpTerm[], sense: LpConstraint["sense"], rhs: number): void {
    if (!NAME_PATTERN.test(name)) throw new Error(`LP model: invalid constraint name ${JSON.stringify(name)}`);
    if (this.names.has(name)) throw new Error(`LP model: duplicate name ${name}`);
    this.names.add(name);
    const merged = new Map<string, number>();
    for (const [variable, coefficient] of terms) {
      if (!this.names.has(variable)) throw new Error(`LP model: constraint ${name} uses unknown variable ${variable}`);
      merged.set(variable, (merged.get(variable) ?? 0) + coefficient);
    }
    this.constraints.push({ name, terms: [...merged.entries()].filter(([, c]) => c !== 0), sense, rhs });
  }

  /** Number of integer variables. */
  get integerCount(): number {
    return this.variables.filter((v) => v.integer).length;
  }

  /** The model as CPLEX LP text ("Minimize … Subject To … Bounds … General … End"). */
  toLpText(): string {
    const lines: string[] = ["Minimize"];
    const objective = this.variables.filter((v) => v.cost !== 0).map((v) => [v.name, v.cost] as const);
    lines.push(
      ...wrapExpression(" obj:", objective.length > 0 ? objective : [[this.variables[0]?.name ?? "x", 0] as const]),
    );
    lines.push("Subject To");
    for (const row of this.constraints) {
      const expression = wrapExpression(
        ` ${row.name}:`,
        row.terms.length > 0 ? row.terms : [[this.variables[0]?.name ?? "x", 0] as const],
      );
      const last = expression.length - 1;
      expression[last] = `${expression[last]} ${row.sense} ${formatLpNumber(row.rhs)}`;
      lines.push(...expression);
    }
    lines.push("Bounds");
    for (const v of this.variables) {
      const upper = v.upper === Number.POSITIVE_INFINITY ? "+inf" : formatLpNumber(v.upper);
      lines.push(` ${formatLpNumber(v.lower)} <= ${v.name} <= ${upper}`);
    }
    const integers = this.variables.filter((v) => v.integer).map((v) => v.name);
    if (integers.length > 0) {
      lines.push("General");
      for (let i = 0; i < integers.length; i += TERMS_PER_LINE * 2)
        lines.push(` ${integers.slice(i, i + TERMS_PER_LINE * 2).join(" ")}`);
    }
    lines.push("End");
    return lines.join("\n");
  }
}

/** `label term term …` over several lines; an empty expression is written as `0 x` of its first term. */
function wrapExpression(label: string, terms: readonly LpTerm[]): string[] {
  const lines: string[] = [];
  let line = label;
  terms.forEach(([name, coefficient], index) => {
    const sign = coefficient < 0 ? "-" : "+";
    const magnitude = formatLpNumber(Math.abs(coefficient));
    line += index === 0 && coefficient >= 0 ? ` ${magnitude} ${name}` : ` ${sign} ${magnitude} ${name}`;
    if ((index + 1) % TERMS_PER_LINE === 0 && index + 1 < terms.length) {
      lines.push(line);
      line = " ";
    }
  });
  if (terms.length === 0) line += " 0";
  lines.push(line);
  return lines;
}
