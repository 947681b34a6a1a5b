/**
 * Text → parsed documents. YAML is read the way `kubectl` reads it (sigs.k8s.io/yaml over
 * go-yaml v2): YAML 1.1 scalars (`yes`/`no`/`on`/`off`/`y`/`n` are booleans, `0777` is octal),
 * merge keys, unique map keys — but timestamps and sexagesimal numbers stay strings, as
 * go-yaml v2 leaves them. JSON files are parsed strictly as one JSON value.
 */
import {
  type DocumentOptions,
  LineCounter,
  type ParseOptions,
  parseAllDocuments,
  type SchemaOptions,
} from "yaml";
import type { Diagnostic } from "../diagnostics.ts";

/** One non-empty document of a file. */
export interface ParsedDocument {
  /** The parsed value (`null` never appears: empty documents are skipped). */
  readonly value: unknown;
  /** 1-based document index; set only when the file holds more than one document. */
  readonly doc?: number;
}

/** The documents of one file and the syntax problems found in it. */
export interface ParsedFile {
  readonly documents: ParsedDocument[];
  readonly diagnostics: Diagnostic[];
}

const YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  version: "1.1",
  prettyErrors: false,
  uniqueKeys: true,
  // go-yaml v2 resolves neither timestamps nor base-60 numbers for untyped targets.
  customTags: (tags) =>
    tags.filter((t) => {
      if (typeof t === "string") return t !== "timestamp" && t !== "intTime" && t !== "floatTime";
      return t.tag !== "tag:yaml.org,2002:timestamp" && !("format" in t && t.format === "TIME");
    }),
};

/** Parses a YAML stream (`---`-separated documents). Syntax errors carry line and column. */
export function parseYaml(text: string, file: string): ParsedFile {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter });
  const diagnostics: Diagnostic[] = [];
  const documents: ParsedDocument[] = [];
  // `parseAllDocuments` returns an EmptyStream (a list with no items) for an empty text.
  const list = Array.isArray(docs) ? docs : [];
  const multi = list.length > 1;
  list.forEach((d, i) => {
    const doc = multi ? i + 1 : undefined;
    const where = doc !== undefined ? { file, doc } : { file };
    if (d.errors.length > 0) {
      for (const e of d.errors) {
        const { line, col } = lineCounter.linePos(e.pos[0]);
        diagnostics.push({
          ...where,
          severity: "error",
          message: `invalid YAML at line ${line}, column ${col}: ${e.message}`,
        });
      }
      return;
    }
    for (const w of d.warnings) {
      const { line, col } = lineCounter.linePos(w.pos[0]);
      diagnostics.push({
        ...where,
        severity: "warning",
        message: `YAML at line ${line}, column ${col}: ${w.message}`,
      });
    }
    const value: unknown = d.toJS({ maxAliasCount: 1000 });
    if (value === null || value === undefined) return;
    documents.push(doc !== undefined ? { value, doc } : { value });
  });
  return { documents, diagnostics };
}

/** Line and column (1-based) of a character offset. */
function lineCol(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, col: offset - start + 1 };
}

/**
 * The offset of the first syntax error in `text` as JSON (a minimal recursive-descent scan), or
 * -1 if none is found. Used to place JSON.parse's errors, which do not always carry a position.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const literal = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null/y;
  const ws = (): void => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw new JsonSyntax(i);
  };
  const str = (): void => {
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\\") i += 2;
      else if (c < " ") fail();
      else i++;
    }
    fail();
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === "{") {
          ws();
          if (text[i] !== '"') fail();
          str();
          ws();
          if (text[i] !== ":") fail();
          i++;
        }
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === close) {
          i++;
          return;
        } else fail();
      }
    }
    if (c === '"') {
      str();
      return;
    }
    literal.lastIndex = i;
    const m = literal.exec(text);
    if (!m) fail();
    else i += m[0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return -1;
  } catch (e) {
    if (e instanceof JsonSyntax) return e.offset;
    throw e;
  }
}

class JsonSyntax {
  readonly offset: number;
  constructor(offset: number) {
    this.offset = offset;
  }
}

/**
 * Parses a JSON file: exactly one JSON value (a blank file holds none). Syntax errors carry line
 * and column.
 */
export function parseJson(text: string, file: string): ParsedFile {
  if (text.trim() === "") return { documents: [], diagnostics: [] };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const raw = e instanceof Error ? e.message : String(e);
    // V8 appends the position or a quote of the input; keep only the description.
    const what = raw
      .replace(/ at position \d+.*$/s, "")
      .replace(/ in JSON$/, "")
      .replace(/, .*is not valid JSON$/s, "")
      .replace(/^Unexpected end of JSON input$/, "Unexpected end of input");
    const offset = jsonErrorOffset(text);
    let message = `invalid JSON: ${what}`;
    if (offset >= 0) {
      const { line, col } = lineCol(text, offset);
      message = `invalid JSON at line ${line}, column ${col}: ${what}`;
    }
    return { documents: [], diagnostics: [{ file, severity: "error", message }] };
  }
  if (value === null) return { documents: [], diagnostics: [] };
  return { documents: [{ value }], diagnostics: [] };
}
