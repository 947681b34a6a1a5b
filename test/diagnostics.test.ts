import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../src/diagnostics.ts";

describe("formatDiagnostic", () => {
  it("names file, document, object and path", () => {
    expect(
      formatDiagnostic({
        file: "pods.yaml",
        doc: 3,
        object: "Pod default/web-1",
        path: "spec.containers[0].resources.requests.cpu",
        severity: "error",
        message: '"1.5q" is not a valid quantity',
      }),
    ).toBe(
      'pods.yaml: doc 3 (Pod default/web-1): spec.containers[0].resources.requests.cpu: "1.5q" is not a valid quantity',
    );
  });
});
