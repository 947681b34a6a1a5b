import { describe, expect, it } from "vitest";
import { KEPT_KINDS } from "../../src/model/types.ts";

describe("KEPT_KINDS", () => {
  it("keeps the storage kinds the volume plugins read, CSINode included", () => {
    for (const k of ["PersistentVolume", "PersistentVolumeClaim", "StorageClass", "CSINode"]) {
      expect(KEPT_KINDS).toContain(k);
    }
  });
});
