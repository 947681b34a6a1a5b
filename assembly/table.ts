// The node table: struct-of-arrays columns laid out by JavaScript in linear memory
// (src/core/boundary.ts documents the layout). The core only keeps their byte offsets here.

/** Nodes in the table (not padded). Node i is the i-th node of kube-scheduler's snapshot order. */
export let nodeCount: i32 = 0;

// Resource columns, one entry per node. cpu: i32 millicores; memory / ephemeral storage: f64
// bytes holding integers; pods: i32.
export let allocCpu: usize = 0;
export let allocMem: usize = 0;
export let allocEph: usize = 0;
export let allocPods: usize = 0;
export let reqCpu: usize = 0;
export let reqMem: usize = 0;
export let reqEph: usize = 0;
export let podCount: usize = 0;
export let nzCpu: usize = 0;
export let nzMem: usize = 0;
/** u8 per node: bit 0 = spec.unschedulable. */
export let nodeFlags: usize = 0;
/** i32 per node: interned node name. */
export let nodeName: usize = 0;

// Scalar (extended) resources: `scalarKinds` kinds; for kind k, the f64 allocatable column is at
// load<u32>(scalarCols + 8k) and the f64 requested column at load<u32>(scalarCols + 8k + 4).
export let scalarKinds: i32 = 0;
export let scalarCols: usize = 0;

// Labels as CSR: node i's labels are entries [labelOff[i], labelOff[i+1]) of labelKey / labelVal
// (i32 interned ids).
export let labelOff: usize = 0;
export let labelKey: usize = 0;
export let labelVal: usize = 0;
// Taints as CSR: taintKey / taintVal i32 ids, taintEffect u8 (0 NoSchedule, 1 PreferNoSchedule,
// 2 NoExecute).
export let taintOff: usize = 0;
export let taintKey: usize = 0;
export let taintVal: usize = 0;
export let taintEffect: usize = 0;
// Images as CSR: imgId i32 (interned image name), imgSize f64 bytes, imgNodes i32 (number of
// nodes listing that image name).
export let imgOff: usize = 0;
export let imgId: usize = 0;
export let imgSize: usize = 0;
export let imgNodes: usize = 0;
/** Per label entry: u8 1 when the value parses as a base-10 int64 (for Gt / Lt) … */
export let labelNumOk: usize = 0;
/** … and that value as (lo u32, hi i32) pairs. */
export let labelNumWords: usize = 0;

/** Binds the resource columns. All offsets are byte offsets into this module's memory. */
export function bindResources(
  n: i32,
  aCpu: usize,
  aMem: usize,
  aEph: usize,
  aPods: usize,
  rCpu: usize,
  rMem: usize,
  rEph: usize,
  pods: usize,
  zCpu: usize,
  zMem: usize,
  flags: usize,
  names: usize,
  kinds: i32,
  cols: usize,
): void {
  nodeCount = n;
  allocCpu = aCpu;
  allocMem = aMem;
  allocEph = aEph;
  allocPods = aPods;
  reqCpu = rCpu;
  reqMem = rMem;
  reqEph = rEph;
  podCount = pods;
  nzCpu = zCpu;
  nzMem = zMem;
  nodeFlags = flags;
  nodeName = names;
  scalarKinds = kinds;
  scalarCols = cols;
}

/** Binds the CSR columns (labels, taints, images) and the per-string tables. */
export function bindStatic(
  lOff: usize,
  lKey: usize,
  lVal: usize,
  tOff: usize,
  tKey: usize,
  tVal: usize,
  tEff: usize,
  iOff: usize,
  iId: usize,
  iSize: usize,
  iNodes: usize,
  nOk: usize,
  nWords: usize,
): void {
  labelOff = lOff;
  labelKey = lKey;
  labelVal = lVal;
  taintOff = tOff;
  taintKey = tKey;
  taintVal = tVal;
  taintEffect = tEff;
  imgOff = iOff;
  imgId = iId;
  imgSize = iSize;
  imgNodes = iNodes;
  labelNumOk = nOk;
  labelNumWords = nWords;
}

// @ts-ignore: decorator
@inline export function ldI32(base: usize, i: i32): i32 {
  return load<i32>(base + ((<usize>i) << 2));
}

// @ts-ignore: decorator
@inline export function ldF64(base: usize, i: i32): f64 {
  return load<f64>(base + ((<usize>i) << 3));
}

// @ts-ignore: decorator
@inline export function stI32(base: usize, i: i32, v: i32): void {
  store<i32>(base + ((<usize>i) << 2), v);
}

// @ts-ignore: decorator
@inline export function stF64(base: usize, i: i32, v: f64): void {
  store<f64>(base + ((<usize>i) << 3), v);
}

/** The label entry of `key` on node `node`, or -1 when the node lacks the label. */
export function nodeLabelEntry(node: i32, key: i32): i32 {
  const end = ldI32(labelOff, node + 1);
  for (let j = ldI32(labelOff, node); j < end; j++) {
    if (ldI32(labelKey, j) == key) return j;
  }
  return -1;
}

/** The value id of label `key` on node `node`, or -1 when the node lacks the label. */
export function nodeLabel(node: i32, key: i32): i32 {
  const j = nodeLabelEntry(node, key);
  return j < 0 ? -1 : ldI32(labelVal, j);
}

/** The int64 value of label entry j (valid when labelNumOk[j] is 1). */
export function labelNum(j: i32): i64 {
  const p = labelNumWords + ((<usize>j) << 3);
  return (<i64>load<i32>(p, 4) << 32) | <i64>load<u32>(p);
}
