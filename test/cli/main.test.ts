import { describe, expect, it } from "vitest";
import { wantsColor } from "../../src/cli/io.ts";
import { version } from "../../src/cli/main.ts";
import { runCli } from "../helpers/cli.ts";

describe("gantry CLI shell", () => {
  it("prints help on stdout and exits 0", async () => {
    const r = await runCli(["--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Usage: gantry");
    expect(r.stdout).toContain("validate");
  });

  it("prints the package version", async () => {
    const r = await runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(version());
    expect(version()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("exits 2 on an unknown command, with the error on stderr", async () => {
    const r = await runCli(["frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });

  it("exits 2 on an unknown option", async () => {
    const r = await runCli(["validate", "--bogus", "x.yaml"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--bogus'");
  });

  it("exits 2 when a required argument is missing", async () => {
    const r = await runCli(["validate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("missing required argument 'paths'");
  });
});

describe("wantsColor", () => {
  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: "1" }, true, false],
    [{ NO_COLOR: "" }, true, true],
    [{ TERM: "dumb" }, true, false],
    [{ FORCE_COLOR: "1" }, false, true],
    [{ FORCE_COLOR: "0" }, true, true],
    [{ FORCE_COLOR: "1", NO_COLOR: "1" }, false, true],
  ])("env %j, tty %s → %s", (env, tty, want) => {
    expect(wantsColor(env, tty)).toBe(want);
  });
});
