/**
 * ImageLocality — upstream `imagelocality/image_locality_test.go` TestImageLocalityPriority and
 * TestNormalizedImageName (semantics §4.6). TestImageLocalityPriority runs on both engines
 * (test/reference/engines.ts); TestNormalizedImageName tests a reference-internal helper
 * (the core gets image names already normalized by the encoder): reference only.
 */
import { describe, expect, it } from "vitest";
import type { ContainerImage, Pod } from "../../../src/model/types.ts";
import { normalizedImageName } from "../../../src/reference/plugins/imagelocality/index.ts";
import { makeNode, makePod } from "../../helpers/builders.ts";
import { ENGINES, expectScores } from "../engines.ts";
import { scoresOf } from "../support.ts";

const mb = 1024 * 1024;
const img = (sizeMb: number, ...names: string[]): ContainerImage => ({
  names,
  sizeBytes: sizeMb * mb,
});
const podOf = (images: string[], init: string[] = []) =>
  makePod({
    containers: images.map((image) => ({ image })),
    initContainers: init.map((image) => ({ image })),
  });

const test40250 = podOf(["gcr.io/40", "gcr.io/250"]);
const test40300 = podOf(["gcr.io/40", "gcr.io/300"]);
const testMinMax = podOf(["gcr.io/10", "gcr.io/4000"]);
const test300600900 = podOf(["gcr.io/300", "gcr.io/600", "gcr.io/900"]);
const test3040 = podOf(["gcr.io/30", "gcr.io/40"]);
const test30Init300 = podOf(["gcr.io/30"], ["gcr.io/300"]);

const node403002000 = [
  img(40, "gcr.io/40:latest", "gcr.io/40:v1", "gcr.io/40:v1"),
  img(300, "gcr.io/300:latest", "gcr.io/300:v1"),
  img(2000, "gcr.io/2000:latest"),
];
const node25010 = [img(250, "gcr.io/250:latest"), img(10, "gcr.io/10:latest", "gcr.io/10:v1")];
const node60040900 = [
  img(600, "gcr.io/600:latest"),
  img(40, "gcr.io/40:latest"),
  img(900, "gcr.io/900:latest"),
];
const node300600900 = [
  img(300, "gcr.io/300:latest"),
  img(600, "gcr.io/600:latest"),
  img(900, "gcr.io/900:latest"),
];
const node400030 = [img(4000, "gcr.io/4000:latest"), img(30, "gcr.io/30:latest")];
const node203040 = [
  img(20, "gcr.io/20:latest"),
  img(30, "gcr.io/30:latest"),
  img(40, "gcr.io/40:latest"),
];
const imageNode = (name: string, images: ContainerImage[]) => makeNode({ name, images });

describe.each(ENGINES)("ImageLocality: TestImageLocalityPriority [%s]", (engine) => {
  it.each([
    [
      "two images spread on two nodes, prefer the larger image one",
      test40250,
      [imageNode("node1", node403002000), imageNode("node2", node25010)],
      [
        ["node1", 0],
        ["node2", 5],
      ],
    ],
    [
      "two images on one node, prefer this node",
      test40300,
      [imageNode("node1", node403002000), imageNode("node2", node25010)],
      [
        ["node1", 7],
        ["node2", 0],
      ],
    ],
    [
      "if exceed limit, use limit",
      testMinMax,
      [imageNode("node1", node400030), imageNode("node2", node25010)],
      [
        ["node1", 100],
        ["node2", 0],
      ],
    ],
    [
      "if exceed limit, use limit (with node which has no images present)",
      testMinMax,
      [imageNode("node1", node400030), imageNode("node2", node25010), imageNode("node3", [])],
      [
        ["node1", 66],
        ["node2", 0],
        ["node3", 0],
      ],
    ],
    [
      "pod with multiple large images, node2 is preferred",
      test300600900,
      [imageNode("node1", node60040900), imageNode("node2", node300600900), imageNode("node3", [])],
      [
        ["node1", 32],
        ["node2", 36],
        ["node3", 0],
      ],
    ],
    [
      "pod with multiple small images",
      test3040,
      [imageNode("node1", node203040), imageNode("node2", node400030)],
      [
        ["node1", 1],
        ["node2", 0],
      ],
    ],
    [
      "include InitContainers: two images spread on two nodes, prefer the larger image one",
      test30Init300,
      [imageNode("node1", node403002000), imageNode("node2", node203040)],
      [
        ["node1", 6],
        ["node2", 0],
      ],
    ],
  ] as [string, Pod, ReturnType<typeof imageNode>[], [string, number][]][])(
    "%s",
    async (_n, pod, nodes, want) => {
      await expectScores(engine, { plugin: "ImageLocality", pod, nodes }, scoresOf(...want));
    },
  );
});

describe("ImageLocality: TestNormalizedImageName (reference only)", () => {
  const digest = "sha256:4813494d137e1631bba301d5acab6e7bb7aa74ce1185d456565ef51d737677b2";
  it.each([
    ["add :latest postfix 1", "root", "root:latest"],
    ["add :latest postfix 2", "gcr.io:5000/root", "gcr.io:5000/root:latest"],
    ["keep it as is 1", "root:tag", "root:tag"],
    ["keep it as is 2", `root@${digest}`, `root@${digest}`],
  ])("%s", (_n, input, output) => {
    expect(normalizedImageName(input)).toBe(output);
  });
});
