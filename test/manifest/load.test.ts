/**
 * Loading: directories (recursive, sorted), multi-document YAML, JSON, Lists, stdin, missing
 * inputs, the collecting and the throwing forms, once-per-kind warnings.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/diagnostics.ts";
import {
  collectManifests,
  collectManifestsFromString,
  loadManifests,
  loadManifestsFromString,
} from "../../src/manifest/index.ts";
import { lines } from "./helpers.ts";

const pod = (name: string, ns = "default") => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  containers:
    - name: app
      image: nginx
`;

describe("directories", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "gantry-manifest-"));
    await mkdir(join(root, "b-dir", "nested"), { recursive: true });
    await mkdir(join(root, "empty"));
    await writeFile(join(root, "z.yaml"), pod("z"));
    await writeFile(join(root, "a.yml"), pod("a"));
    await writeFile(join(root, "README.md"), "not a manifest: {");
    await writeFile(join(root, "notes.txt"), "ignored");
    await writeFile(
      join(root, "b-dir", "m.json"),
      JSON.stringify({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "m" },
        spec: { containers: [{ name: "c", image: "i" }] },
      }),
    );
    await writeFile(join(root, "b-dir", "nested", "deep.YAML"), pod("deep"));
    await writeFile(join(root, "B.yaml"), pod("upper"));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("walks recursively, reads .yaml/.yml/.json only, in code-point order of paths", async () => {
    const r = await loadManifests([root]);
    expect(r.pods.map((p) => p.metadata.name)).toEqual(["upper", "a", "m", "deep", "z"]);
    expect(r.pods.map((p) => p.source.file.slice(root.length + 1))).toEqual([
      "B.yaml",
      "a.yml",
      join("b-dir", "m.json"),
      join("b-dir", "nested", "deep.YAML"),
      "z.yaml",
    ]);
    // The empty sub-directory is simply walked; only an empty input directory is warned about.
    expect(r.diagnostics).toEqual([]);
  });

  it("reads a file named explicitly whatever its extension, and each file only once", async () => {
    const notes = join(root, "pod.txt");
    await writeFile(notes, pod("from-txt"));
    const r = await loadManifests([notes, root, join(root, "a.yml")]);
    expect(r.pods.map((p) => p.metadata.name)).toEqual([
      "from-txt",
      "upper",
      "a",
      "m",
      "deep",
      "z",
    ]);
    await rm(notes);
  });

  it("warns about a directory without manifests", async () => {
    const r = await collectManifests([join(root, "empty")]);
    expect(lines(r)).toEqual([
      `warning: ${join(root, "empty")}: no .yaml, .yml or .json files found`,
    ]);
  });

  it("reports a missing input and still reads the others", async () => {
    const missing = join(root, "nope.yaml");
    const r = await collectManifests([missing, join(root, "a.yml")]);
    expect(lines(r)).toEqual([`${missing}: no such file or directory`]);
    expect(r.pods).toHaveLength(1);
  });

  it("reports duplicates across files naming both places", async () => {
    const dup = join(root, "dup.yaml");
    await writeFile(dup, `${pod("other")}---\n${pod("a")}`);
    const r = await collectManifests([join(root, "a.yml"), dup]);
    expect(lines(r)).toEqual([
      `${dup}: doc 2 (Pod default/a): metadata.name: duplicate Pod default/a (first defined at ${join(root, "a.yml")})`,
    ]);
    await rm(dup);
  });
});

describe("stdin", () => {
  it("reads `-` through the stdin option, named <stdin>", async () => {
    const r = await collectManifests(["-"], { stdin: () => `${pod("s1")}---\n${pod("s2", "x")}` });
    expect(r.pods.map((p) => `${p.metadata.namespace}/${p.metadata.name}`)).toEqual([
      "default/s1",
      "x/s2",
    ]);
    expect(r.pods[1]?.source).toEqual({ file: "<stdin>", doc: 2, object: "Pod x/s2" });
  });

  it("accepts an async stdin and reports errors under <stdin>", async () => {
    const r = await collectManifests(["-"], { stdin: async () => "kind: Pod\n" });
    expect(lines(r)).toEqual(["<stdin>: Pod: apiVersion: required"]);
  });
});

describe("multi-document YAML", () => {
  it("numbers documents from 1, skipping empty and comment-only ones", () => {
    const text = `---\n# only a comment\n---\n${pod("two")}---\n---\n${pod("four").replace("image: nginx", "image: 5")}---\n`;
    const r = collectManifestsFromString(text, "m.yaml");
    expect(r.pods.map((p) => p.source.doc)).toEqual([2, 4]);
    expect(lines(r)).toEqual([
      "m.yaml: doc 4 (Pod default/four): spec.containers[0].image: must be a string",
    ]);
  });

  it("omits the document number in a single-document file", () => {
    const r = collectManifestsFromString(pod("solo"), "one.yaml");
    expect(r.pods[0]?.source).toEqual({ file: "one.yaml", object: "Pod default/solo" });
  });

  it("reports every error of every document, not just the first", () => {
    const bad = (name: string) =>
      pod(name).replace("image: nginx", "image: nginx\n      resources: {requests: {cpu: x}}");
    const r = collectManifestsFromString(`${bad("a")}---\n${bad("b")}---\nkind: Pod\n`, "all.yaml");
    expect(lines(r)).toEqual([
      'all.yaml: doc 1 (Pod default/a): spec.containers[0].resources.requests.cpu: "x" is not a valid quantity',
      'all.yaml: doc 2 (Pod default/b): spec.containers[0].resources.requests.cpu: "x" is not a valid quantity',
      "all.yaml: doc 3 (Pod): apiVersion: required",
    ]);
  });

  it("reports duplicate map keys as YAML errors", () => {
    const r = collectManifestsFromString("apiVersion: v1\nkind: Pod\nkind: Node\n", "k.yaml");
    expect(lines(r)).toEqual(["k.yaml: invalid YAML at line 3, column 1: Map keys must be unique"]);
  });

  it("reads YAML as kubectl does: 1.1 booleans and octal, timestamps kept as written", () => {
    const r = collectManifestsFromString(
      `apiVersion: v1
kind: Pod
metadata:
  name: t
  creationTimestamp: 2025-01-02T03:04:05Z
  annotations:
    time: "12:30"
    when: 12:30
spec:
  hostNetwork: on
  containers:
    - name: app
      image: nginx
      ports:
        - containerPort: 010
`,
      "t.yaml",
    );
    expect(lines(r)).toEqual([]);
    const p = r.pods[0]!;
    expect(p.metadata.creationTimestamp).toBe("2025-01-02T03:04:05Z");
    expect(p.metadata.annotations).toEqual({ time: "12:30", when: "12:30" });
    expect(p.spec.hostNetwork).toBe(true);
    expect(p.spec.containers[0]?.ports[0]?.containerPort).toBe(8);
  });
});

describe("JSON", () => {
  it("reads one object per file, without document numbers", () => {
    const r = collectManifestsFromString(
      JSON.stringify({ apiVersion: "v1", kind: "Node", metadata: { name: "n" } }),
      "n.json",
    );
    expect(r.nodes[0]?.source).toEqual({ file: "n.json", object: "Node n" });
  });

  it("rejects a top-level array (use kind: List)", () => {
    expect(lines(collectManifestsFromString("[]", "a.json"))).toEqual([
      "a.json: must be an object with apiVersion and kind",
    ]);
  });

  it("places syntax errors by line and column", () => {
    expect(
      lines(collectManifestsFromString('{\n  "kind": "Pod",\n  "metadata": }\n', "e.json")),
    ).toEqual(["e.json: invalid JSON at line 3, column 15: Unexpected token '}'"]);
  });

  it("skips a blank file", () => {
    expect(lines(collectManifestsFromString(" \n", "blank.json"))).toEqual([]);
  });
});

describe("lists", () => {
  it("reads kind: List items with their own kinds, paths items[i]", async () => {
    const r = await collectManifests(["fixtures/lists/list.yaml"]);
    expect(lines(r)).toEqual([
      "warning: fixtures/lists/list.yaml: ConfigMap batch/settings: items[3]: kind ConfigMap is not modelled; skipped",
    ]);
    expect(r.namespaces.map((n) => n.metadata.name)).toEqual(["batch"]);
    expect(r.nodes.map((n) => n.metadata.name)).toEqual(["list-node-1"]);
    expect(r.pods[0]?.source).toEqual({
      file: "fixtures/lists/list.yaml",
      object: "Pod batch/job-a",
      path: "items[2]",
    });
  });

  it("reads a PodList whose items omit kind and apiVersion", async () => {
    const r = await loadManifests(["fixtures/lists/pods.json"]);
    expect(r.pods.map((p) => p.metadata.name)).toEqual(["api-0", "api-1"]);
    expect(r.pods[1]?.source.path).toBe("items[1]");
  });

  it("reports errors inside items with the item path", () => {
    const r = collectManifestsFromString(
      JSON.stringify({
        apiVersion: "v1",
        kind: "PodList",
        items: [
          { metadata: { name: "ok" }, spec: { containers: [{ name: "c", image: "i" }] } },
          { metadata: { name: "bad" }, spec: { containers: [] } },
          { kind: "Node", metadata: { name: "n" } },
        ],
      }),
      "pods.json",
    );
    expect(lines(r)).toEqual([
      "pods.json: Pod default/bad: items[1].spec.containers: required",
      'pods.json: Node n: items[2].kind: "Node" does not match the list kind PodList',
    ]);
  });

  it("requires kind and apiVersion on items of a plain List; checks the list's apiVersion", () => {
    const r = collectManifestsFromString(
      "apiVersion: v2\nkind: List\nitems:\n  - metadata: {name: x}\n  - 5\n",
      "l.yaml",
    );
    expect(lines(r)).toEqual([
      'l.yaml: apiVersion: "v2" is not one of v1',
      "l.yaml: items[0].kind: required",
      "l.yaml: items[0].apiVersion: required",
      "l.yaml: items[1]: must be an object with apiVersion and kind",
    ]);
  });

  it("reports items that are not a list", () => {
    expect(
      lines(collectManifestsFromString("apiVersion: v1\nkind: List\nitems: {}\n", "l.yaml")),
    ).toEqual(["l.yaml: items: must be a list"]);
  });
});

describe("unmodelled kinds", () => {
  it("warn once per kind, at the first object, with the count", () => {
    const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
    const ing =
      "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  namespace: default\n";
    const r = collectManifestsFromString(
      [cm("a"), ing, cm("b"), pod("p"), cm("c")].join("---\n"),
      "cluster.yaml",
    );
    expect(lines(r)).toEqual([
      "warning: cluster.yaml: doc 1 (ConfigMap a): kind ConfigMap is not modelled; skipped (3 objects)",
      "warning: cluster.yaml: doc 2 (Ingress default/web): kind Ingress is not modelled; skipped",
    ]);
    expect(r.pods).toHaveLength(1);
  });

  it("do not make the throwing form throw", () => {
    const r = loadManifestsFromString(
      "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n",
      "s.yaml",
    );
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]?.severity).toBe("warning");
  });
});

describe("the throwing edge", () => {
  it("throws one InputError with every diagnostic, warnings included", () => {
    const text = `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n---\nkind: Pod\n---\napiVersion: v1\n`;
    let err: unknown;
    try {
      loadManifestsFromString(text, "x.yaml");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message.split("\n")).toEqual([
      "x.yaml: doc 2 (Pod): apiVersion: required",
      "x.yaml: doc 3: kind: required",
      "warning: x.yaml: doc 1 (Secret s): kind Secret is not modelled; skipped",
    ]);
  });
});
