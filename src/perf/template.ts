/**
 * The subset of Go's `text/template` that scheduler_perf's object templates use, rendered before
 * the YAML is parsed (upstream: `getSpecFromTextTemplateFile`, `podTemplateWithParams`,
 * `nodeTemplateWithParams`).
 *
 * Supported:
 * - text, `{{ pipeline }}` actions, the trim markers `{{-` / `-}}`, comments `{{/* … *\/}}`;
 * - operands: `.` , `.Field` (a key of the environment: `Index`, `Count` and the op's
 *   `templateParams`), integer, float, string (`"…"`, `` `…` ``), `true`, `false`, `nil`
 *   literals, parenthesised pipelines, and `|` pipelines (the value becomes the last argument);
 * - scheduler_perf's helpers (`getTemplateFuncs`): `AddInt`, `AddFloat`, `SubtractInt`,
 *   `SubtractFloat`, `MultiplyInt`, `MultiplyFloat`, `DivideInt`, `DivideFloat`, `Mod`, and the
 *   older `div`.
 *
 * Control structures (`if`, `range`, `with`, `define`, `template`, `block`, …) and other
 * functions throw {@link TemplateUnsupportedError}: the caller skips the workload with that
 * reason rather than render something different from upstream. Malformed templates (an
 * unterminated action, a missing key, a division by zero) throw {@link TemplateError}.
 *
 * Values print like Go's `fmt.Print`: integers in decimal, floats (workload parameters are
 * float64 after Go's JSON decoding) as `%v` does — shortest digits, `%e` form with a two-digit
 * exponent when the exponent is below −4 or at least 6 (`1e+06`).
 */

/** A template value, typed like Go's so that it prints the same. */
export type TemplateValue =
  | { readonly t: "int"; readonly v: number }
  | { readonly t: "float"; readonly v: number }
  | { readonly t: "string"; readonly v: string }
  | { readonly t: "bool"; readonly v: boolean }
  | { readonly t: "nil" };

/** The data a template runs with: Go's `map[string]any`. */
export type TemplateEnv = ReadonlyMap<string, TemplateValue>;

/** The template is malformed or fails when executed (a config error). */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}

/** The template uses a construct gantry does not render (the workload is skipped). */
export class TemplateUnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateUnsupportedError";
  }
}

export const int = (v: number): TemplateValue => ({ t: "int", v });
export const float = (v: number): TemplateValue => ({ t: "float", v });
export const str = (v: string): TemplateValue => ({ t: "string", v });

/**
 * A parsed JSON/YAML value as Go's JSON decoding into `any` sees it: numbers are float64.
 * Objects and lists are not printable template values; they map to `nil`-like errors when used.
 */
export function fromJson(v: unknown): TemplateValue {
  if (typeof v === "number") return float(v);
  if (typeof v === "string") return str(v);
  if (typeof v === "boolean") return { t: "bool", v };
  if (v === null || v === undefined) return { t: "nil" };
  throw new TemplateUnsupportedError("template parameters that are lists or objects");
}

/** Go's `%v` for a float64. */
export function formatGoFloat(f: number): string {
  if (Number.isNaN(f)) return "NaN";
  if (f === Number.POSITIVE_INFINITY) return "+Inf";
  if (f === Number.NEGATIVE_INFINITY) return "-Inf";
  if (f === 0) return Object.is(f, -0) ? "-0" : "0";
  // The exponent of the shortest round-trip digits decides the form, as in strconv.
  const [mant, e] = f.toExponential().split("e") as [string, string];
  const x = Number(e);
  if (x < -4 || x >= 6) {
    const sign = x < 0 ? "-" : "+";
    const digits = String(Math.abs(x)).padStart(2, "0");
    return `${mant}e${sign}${digits}`;
  }
  return String(f);
}

/** Prints a value as Go's `fmt.Fprint` does. */
export function formatValue(v: TemplateValue): string {
  switch (v.t) {
    case "int":
      return String(v.v);
    case "float":
      return formatGoFloat(v.v);
    case "string":
      return v.v;
    case "bool":
      return v.v ? "true" : "false";
    case "nil":
      return "<nil>";
  }
}

// ---- parsing ---------------------------------------------------------------------------------

type Node =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "action"; readonly pipe: Pipeline };

type Pipeline = readonly Command[];
type Command = readonly Operand[];
type Operand =
  | { readonly kind: "field"; readonly name: string }
  | { readonly kind: "dot" }
  | { readonly kind: "literal"; readonly value: TemplateValue }
  | { readonly kind: "ident"; readonly name: string }
  | { readonly kind: "pipe"; readonly pipe: Pipeline };

const KEYWORDS = new Set([
  "if",
  "else",
  "end",
  "range",
  "with",
  "define",
  "template",
  "block",
  "break",
  "continue",
]);

/** A parsed template; render it with {@link Template.render}. */
export class Template {
  readonly #nodes: readonly Node[];
  /** True when the template has no action: it renders to its own text whatever the data. */
  readonly isStatic: boolean;

  private constructor(nodes: readonly Node[]) {
    this.#nodes = nodes;
    this.isStatic = nodes.every((n) => n.kind === "text");
  }

  /** Parses `text`; throws TemplateError or TemplateUnsupportedError. */
  static parse(text: string): Template {
    return new Template(parseTemplate(text));
  }

  /** The template's text with the i-th action replaced by `marker(i)`. */
  skeleton(marker: (i: number) => string): string {
    let i = 0;
    return this.#nodes.map((n) => (n.kind === "text" ? n.text : marker(i++))).join("");
  }

  /** What each action prints with `env`, in order (see {@link skeleton}). */
  values(env: TemplateEnv): string[] {
    const out: string[] = [];
    for (const n of this.#nodes)
      if (n.kind === "action") out.push(formatValue(evalPipeline(n.pipe, env)));
    return out;
  }

  /** Executes the template with `env`. */
  render(env: TemplateEnv): string {
    let out = "";
    for (const n of this.#nodes) {
      out += n.kind === "text" ? n.text : formatValue(evalPipeline(n.pipe, env));
    }
    return out;
  }
}

/** Parses and renders in one step. */
export function renderTemplate(text: string, env: TemplateEnv): string {
  return Template.parse(text).render(env);
}

function parseTemplate(text: string): Node[] {
  const nodes: Node[] = [];
  let pos = 0;
  let pendingTrim = false;
  for (;;) {
    const open = text.indexOf("{{", pos);
    let chunk = open < 0 ? text.slice(pos) : text.slice(pos, open);
    if (pendingTrim) chunk = chunk.replace(/^[ \t\r\n]+/, "");
    if (open < 0) {
      if (chunk) nodes.push({ kind: "text", text: chunk });
      break;
    }
    let start = open + 2;
    // `{{- ` trims the whitespace before the action.
    if (
      text.startsWith("- ", start) ||
      text.startsWith("-\t", start) ||
      text.startsWith("-\n", start)
    ) {
      chunk = chunk.replace(/[ \t\r\n]+$/, "");
      start += 1;
    }
    if (chunk) nodes.push({ kind: "text", text: chunk });
    const close = findClose(text, start);
    if (close < 0) throw new TemplateError(`unclosed action at offset ${open}`);
    let inner = text.slice(start, close);
    pendingTrim = false;
    if (/[ \t\r\n]-$/.test(inner)) {
      inner = inner.slice(0, -1);
      pendingTrim = true;
    }
    pos = close + 2;
    const trimmed = inner.trim();
    if (trimmed.startsWith("/*")) {
      if (!trimmed.endsWith("*/")) throw new TemplateError("unclosed comment");
      continue;
    }
    if (trimmed === "") throw new TemplateError(`missing value for command at offset ${open}`);
    nodes.push({ kind: "action", pipe: parseAction(trimmed) });
  }
  return nodes;
}

/** The offset of the `}}` closing an action that starts at `from`, skipping string literals. */
function findClose(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      i++;
      continue;
    }
    if (c === "`") {
      const end = text.indexOf("`", i + 1);
      if (end < 0) return -1;
      i = end + 1;
      continue;
    }
    if (c === "}" && text[i + 1] === "}") return i;
    i++;
  }
  return -1;
}

type Token =
  | { readonly t: "field"; readonly name: string }
  | { readonly t: "dot" }
  | { readonly t: "lit"; readonly value: TemplateValue }
  | { readonly t: "ident"; readonly name: string }
  | { readonly t: "("; readonly at: number }
  | { readonly t: ")" }
  | { readonly t: "|" }
  | { readonly t: "var"; readonly name: string };

function tokenize(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(") {
      out.push({ t: "(", at: i });
      i++;
      continue;
    }
    if (c === ")") {
      out.push({ t: ")" });
      i++;
      continue;
    }
    if (c === "|") {
      out.push({ t: "|" });
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') j += s[j] === "\\" ? 2 : 1;
      if (j >= s.length) throw new TemplateError(`unterminated quoted string in {{${s}}}`);
      let v: unknown;
      try {
        v = JSON.parse(s.slice(i, j + 1));
      } catch {
        throw new TemplateError(`malformed string literal ${s.slice(i, j + 1)}`);
      }
      out.push({ t: "lit", value: str(v as string) });
      i = j + 1;
      continue;
    }
    if (c === "`") {
      const j = s.indexOf("`", i + 1);
      if (j < 0) throw new TemplateError(`unterminated raw string in {{${s}}}`);
      out.push({ t: "lit", value: str(s.slice(i + 1, j)) });
      i = j + 1;
      continue;
    }
    if (c === "$") {
      const m = /^\$[A-Za-z0-9_]*/.exec(s.slice(i)) as RegExpExecArray;
      out.push({ t: "var", name: m[0] });
      i += m[0].length;
      continue;
    }
    if (c === ".") {
      const m = /^\.([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z_][A-Za-z0-9_]*)*)/.exec(s.slice(i));
      if (m === null) {
        out.push({ t: "dot" });
        i++;
        continue;
      }
      if (m[2]) throw new TemplateUnsupportedError(`nested field access ${m[0]}`);
      out.push({ t: "field", name: m[1] as string });
      i += m[0].length;
      continue;
    }
    const num = /^[+-]?(?:0[xX][0-9a-fA-F_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?)/.exec(
      s.slice(i),
    );
    if (num !== null && /[\d]/.test(num[0])) {
      const text = num[0].replaceAll("_", "");
      const isInt = /^[+-]?(?:0[xX][0-9a-fA-F]+|\d+)$/.test(text);
      const v = Number(text);
      if (Number.isNaN(v)) throw new TemplateError(`malformed number ${num[0]}`);
      out.push({ t: "lit", value: isInt ? int(v) : float(v) });
      i += num[0].length;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i));
    if (id !== null) {
      const name = id[0];
      if (name === "true" || name === "false")
        out.push({ t: "lit", value: { t: "bool", v: name === "true" } });
      else if (name === "nil") out.push({ t: "lit", value: { t: "nil" } });
      else out.push({ t: "ident", name });
      i += name.length;
      continue;
    }
    if (c === ":" || c === "=") {
      throw new TemplateUnsupportedError(`variable assignment in {{${s}}}`);
    }
    throw new TemplateError(`unexpected ${JSON.stringify(c)} in {{${s}}}`);
  }
  return out;
}

function parseAction(s: string): Pipeline {
  const tokens = tokenize(s);
  const first = tokens[0];
  if (first?.t === "ident" && KEYWORDS.has(first.name)) {
    throw new TemplateUnsupportedError(`Go template control structure {{${first.name}}}`);
  }
  let i = 0;
  const pipeline = (depth: number): Pipeline => {
    const cmds: Command[] = [];
    let cmd: Operand[] = [];
    for (;;) {
      const tok = tokens[i];
      if (tok === undefined || tok.t === ")") {
        if (tok?.t === ")" && depth === 0) throw new TemplateError(`unexpected ")" in {{${s}}}`);
        if (tok === undefined && depth > 0) throw new TemplateError(`unclosed "(" in {{${s}}}`);
        if (tok !== undefined) i++;
        break;
      }
      i++;
      switch (tok.t) {
        case "|":
          if (cmd.length === 0) throw new TemplateError(`missing command before "|" in {{${s}}}`);
          cmds.push(cmd);
          cmd = [];
          break;
        case "(":
          cmd.push({ kind: "pipe", pipe: pipeline(depth + 1) });
          break;
        case "field":
          cmd.push({ kind: "field", name: tok.name });
          break;
        case "dot":
          cmd.push({ kind: "dot" });
          break;
        case "lit":
          cmd.push({ kind: "literal", value: tok.value });
          break;
        case "ident":
          if (KEYWORDS.has(tok.name)) {
            throw new TemplateUnsupportedError(`Go template control structure {{${tok.name}}}`);
          }
          cmd.push({ kind: "ident", name: tok.name });
          break;
        case "var":
          throw new TemplateUnsupportedError(`template variables (${tok.name})`);
      }
    }
    if (cmd.length === 0) throw new TemplateError(`missing value for command in {{${s}}}`);
    cmds.push(cmd);
    return cmds;
  };
  const p = pipeline(0);
  if (i < tokens.length) throw new TemplateError(`unexpected tokens in {{${s}}}`);
  return p;
}

// ---- execution -------------------------------------------------------------------------------

function toFloat(v: TemplateValue, fn: string): number {
  switch (v.t) {
    case "int":
    case "float":
      return v.v;
    case "string": {
      const f = Number(v.v);
      if (v.v.trim() !== "" && !Number.isNaN(f)) return f;
      break;
    }
    default:
      break;
  }
  throw new TemplateError(`${fn}: cannot cast ${formatValue(v)} to float64`);
}

/** Go's `int(f)`: truncation toward zero. */
const goInt = (f: number): number => Math.trunc(f);

type Fn = (args: readonly TemplateValue[]) => TemplateValue;

function arity(fn: string, args: readonly TemplateValue[], n: number): void {
  if (args.length !== n) {
    throw new TemplateError(`wrong number of args for ${fn}: want ${n} got ${args.length}`);
  }
}

function divide(fn: string, args: readonly TemplateValue[]): number {
  arity(fn, args, 2);
  const b = toFloat(args[1] as TemplateValue, fn);
  if (b === 0) throw new TemplateError(`${fn}: division by zero`);
  return toFloat(args[0] as TemplateValue, fn) / b;
}

const FUNCS: Readonly<Record<string, Fn>> = {
  AddFloat: (a) => float(a.reduce((s, x) => s + toFloat(x, "AddFloat"), 0)),
  AddInt: (a) => int(goInt(a.reduce((s, x) => s + toFloat(x, "AddInt"), 0))),
  SubtractFloat: (a) => {
    arity("SubtractFloat", a, 2);
    return float(
      toFloat(a[0] as TemplateValue, "SubtractFloat") -
        toFloat(a[1] as TemplateValue, "SubtractFloat"),
    );
  },
  SubtractInt: (a) => {
    arity("SubtractInt", a, 2);
    return int(
      goInt(
        toFloat(a[0] as TemplateValue, "SubtractInt") -
          toFloat(a[1] as TemplateValue, "SubtractInt"),
      ),
    );
  },
  MultiplyFloat: (a) => float(a.reduce((p, x) => p * toFloat(x, "MultiplyFloat"), 1)),
  MultiplyInt: (a) => int(goInt(a.reduce((p, x) => p * toFloat(x, "MultiplyInt"), 1))),
  DivideFloat: (a) => float(divide("DivideFloat", a)),
  DivideInt: (a) => int(goInt(divide("DivideInt", a))),
  Mod: (a) => {
    arity("Mod", a, 2);
    const x = goInt(toFloat(a[0] as TemplateValue, "Mod"));
    const y = goInt(toFloat(a[1] as TemplateValue, "Mod"));
    if (y === 0) throw new TemplateError("Mod: integer divide by zero");
    return int(x % y);
  },
  // The older scheduler_perf FuncMap: `div` over Go ints.
  div: (a) => {
    arity("div", a, 2);
    const [x, y] = a as [TemplateValue, TemplateValue];
    if (x.t !== "int" || y.t !== "int") {
      throw new TemplateError("div: arguments must be integers");
    }
    if (y.v === 0) throw new TemplateError("div: integer divide by zero");
    return int(goInt(x.v / y.v));
  },
};

/** Names of the helper functions the renderer supports. */
export const TEMPLATE_FUNCS: readonly string[] = Object.keys(FUNCS);

function evalOperand(op: Operand, env: TemplateEnv): TemplateValue {
  switch (op.kind) {
    case "literal":
      return op.value;
    case "field": {
      const v = env.get(op.name);
      if (v === undefined) throw new TemplateError(`map has no entry for key "${op.name}"`);
      return v;
    }
    case "dot":
      throw new TemplateUnsupportedError("printing the whole data ({{.}})");
    case "pipe":
      return evalPipeline(op.pipe, env);
    case "ident":
      return callFn(op.name, []);
  }
}

function callFn(name: string, args: readonly TemplateValue[]): TemplateValue {
  const fn = FUNCS[name];
  if (fn === undefined) {
    throw new TemplateUnsupportedError(`template function ${name}`);
  }
  return fn(args);
}

function evalCommand(cmd: Command, env: TemplateEnv, piped?: TemplateValue): TemplateValue {
  const [head, ...rest] = cmd as [Operand, ...Operand[]];
  if (head.kind === "ident") {
    const args = rest.map((o) => evalOperand(o, env));
    if (piped !== undefined) args.push(piped);
    return callFn(head.name, args);
  }
  if (rest.length > 0 || piped !== undefined) {
    throw new TemplateError("can't give argument to non-function");
  }
  return evalOperand(head, env);
}

function evalPipeline(pipe: Pipeline, env: TemplateEnv): TemplateValue {
  let v: TemplateValue | undefined;
  for (const cmd of pipe) v = evalCommand(cmd, env, v);
  return v as TemplateValue;
}
