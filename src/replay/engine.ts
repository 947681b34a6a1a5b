/**
 * The replay engine: the FGD simulator's schedule loop (traces.md §2, §3) over a fixed arrival
 * order, on flat typed arrays so that the per-pod pass over every node allocates nothing.
 *
 * Per pod: filter every node (pods ≤ limit, cpu, memory, the GPU filter: {@link fits} of
 * src/gpu), score the feasible ones with the policy (percentageOfNodesToScore 100, one score
 * plugin), keep the highest score, break ties uniformly with `rng` (one draw, only when two or
 * more nodes tie; or the first tied node with `tieBreak: "first"`), take GPUs with the policy's selection method ({@link POLICY_GPU_SEL}) and
 * place. A pod no node takes is dropped. After every pod (placed or not) the arrived GPU milli,
 * used GPU milli and cluster fragmentation amount are recorded.
 *
 * The scores are exactly those of src/gpu (`scoreNodes`), computed here on typed arrays:
 * - a policy's score of a node depends only on the node's state and the pod's (cpu, gpuMilli,
 *   numGpu), so scores are cached per (node, shape) and recomputed only after the node changed
 *   (a version counter); placing a pod changes one node, so each pod recomputes few scores;
 * - BestFit's min–max normalisation maps exactly the nodes with the highest raw score to 100
 *   (⌊(hi − 1 − lo)·100 / (hi − lo)⌋ < 100), so the winners are the raw argmax;
 * - Random draws `nextBounded(feasible)` (traces.md §3.1), which leaves a unique maximum;
 * - fragmentation F_n (traces.md §3.6) is kept per node and recomputed when the node changes.
 *   Its evaluation counts, once per distinct target gpuMilli, the GPUs that fit and the slivers,
 *   then sums p_m · f_n(m) in the target order (the same floating-point sum as src/gpu's
 *   `fragmentationOf`); a sharing pod's FGD score skips GPUs whose free milli repeats an
 *   earlier candidate's (same multiset, same score, and ties go to the lowest index anyway).
 * `test/replay/engine.test.ts` checks the series against a plain src/gpu implementation.
 */
import {
  type BoundedRandom,
  fgdScoreFromDelta,
  floorDiv,
  type GpuNode,
  type GpuPod,
  MAX_SPEC_CPU,
  MAX_SPEC_GPU,
  MILLI,
  POLICY_GPU_SEL,
  type PolicyName,
  type TargetShape,
} from "../gpu/index.ts";

/** What one replay records, one entry per arrived pod. */
export interface ReplaySeries {
  /** Cumulative Σ numGpu × gpuMilli of all pods so far, failed ones included. */
  readonly arrived: Float64Array;
  /** Σ over nodes of (GPUs × 1000 − free milli) after the pod. */
  readonly used: Float64Array;
  /** Cluster fragmentation amount Σ_n F_n (milli-GPU) after the pod. */
  readonly frag: Float64Array;
  readonly placed: number;
  readonly failed: number;
}

export interface ReplayInput {
  /** The cluster (their current state is the starting state; they are not modified). */
  readonly nodes: readonly GpuNode[];
  /** The pods an arrival index refers to. */
  readonly pods: readonly GpuPod[];
  /** Arrival order: indices into `pods`. */
  readonly order: readonly number[];
  /** FGD's target workload (also used for the fragmentation metric). */
  readonly typical: readonly TargetShape[];
  readonly policy: PolicyName;
  /** Tie-breaks, Random's node draw and the `random` GPU selection. */
  readonly rng: BoundedRandom;
  /**
   * How a tie for the highest score is broken: `random` (default) draws uniformly among the tied
   * nodes; `first` takes the first tied node in `nodes` order, no draw (with `nodes` in a
   * per-seed random order this mimics the simulator's random node-name prefixes, see
   * src/replay/task.ts).
   */
  readonly tieBreak?: TieBreak;
}

/** See {@link ReplayInput.tieBreak}. */
export type TieBreak = "random" | "first";

const RATIO = MAX_SPEC_CPU / MAX_SPEC_GPU; // 16
const DOT_D2 = 2 * MAX_SPEC_CPU * MAX_SPEC_CPU;
const BEST_D2 = 2 * MAX_SPEC_CPU;

function tagIndex(tag: string): number {
  if (tag === "share-gpu") return 0;
  if (tag === "no-gpu") return -1;
  return Number.parseInt(tag, 10);
}

/** Runs one replay; see the module comment. */
export function simulateReplay(input: ReplayInput): ReplaySeries {
  const { nodes, pods, order, typical, policy, rng } = input;
  const sel = POLICY_GPU_SEL[policy];
  const N = nodes.length;

  // --- card models → bits
  const modelIds = new Map<string, number>();
  const idOf = (m: string): number => {
    let id = modelIds.get(m);
    if (id === undefined) {
      id = modelIds.size;
      if (id >= 31) throw new Error("replay: more than 31 distinct GPU models");
      modelIds.set(m, id);
    }
    return id;
  };
  const maskOf = (models: readonly string[]): number => {
    let mask = 0;
    for (const m of models) mask |= 1 << idOf(m);
    return mask;
  };

  // --- nodes
  let G = 1;
  for (const n of nodes) G = Math.max(G, n.gpuUsed.length);
  const T = G + 1;
  const cpuLeft = new Float64Array(N);
  const memLeft = new Float64Array(N);
  const podsLeft = new Float64Array(N);
  const gcount = new Int32Array(N);
  const modelBit = new Int32Array(N);
  const used = new Int32Array(N * G);
  const freeSum = new Int32Array(N);
  const maxFree = new Int32Array(N);
  const fullFree = new Int32Array(N);
  const tags = new Int32Array(N * T);
  const tagKinds = new Int32Array(N);
  const version = new Int32Array(N);
  const fragN = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    const node = nodes[n]!;
    cpuLeft[n] = node.cpuAllocatable - node.cpuUsed;
    memLeft[n] = node.memoryAllocatable - node.memoryUsed;
    podsLeft[n] = node.maxPods - node.podCount;
    gcount[n] = node.gpuUsed.length;
    modelBit[n] = 1 << idOf(node.model);
    node.gpuUsed.forEach((u, i) => {
      used[n * G + i] = u;
    });
    for (const [tag, c] of node.tagCounts) {
      const t = tagIndex(tag);
      if (t >= 0 && t < T && c > 0) {
        tags[n * T + t] = c;
        tagKinds[n] = tagKinds[n]! + 1;
      }
    }
  }

  // --- pods (per arrival index)
  const P = pods.length;
  const pCpu = new Float64Array(P);
  const pMem = new Float64Array(P);
  const pNum = new Int32Array(P);
  const pMilli = new Int32Array(P);
  const pMask = new Int32Array(P);
  const pTag = new Int32Array(P);
  const pKey = new Int32Array(P);
  const keys = new Map<string, number>();
  for (let i = 0; i < P; i++) {
    const p = pods[i]!;
    pCpu[i] = p.cpuMilli;
    pMem[i] = p.memoryMib;
    pNum[i] = p.numGpu;
    pMilli[i] = p.gpuMilli;
    pMask[i] = p.numGpu > 0 ? maskOf(p.gpuSpec) : 0;
    pTag[i] = p.numGpu === 0 ? -1 : p.numGpu === 1 && p.gpuMilli < MILLI ? 0 : p.numGpu;
    const k = `${p.cpuMilli},${p.gpuMilli},${p.numGpu}`;
    let id = keys.get(k);
    if (id === undefined) {
      id = keys.size;
      keys.set(k, id);
    }
    pKey[i] = id;
  }
  const S = Math.max(1, keys.size);

  // --- target shapes
  const M = typical.length;
  const tCpu = new Float64Array(M);
  const tNum = new Int32Array(M);
  const tMask = new Int32Array(M);
  const tP = new Float64Array(M);
  const tIdx = new Int32Array(M);
  const milliList: number[] = [];
  for (let j = 0; j < M; j++) {
    const m = typical[j]!;
    tCpu[j] = m.cpuMilli;
    tNum[j] = m.numGpu;
    tMask[j] = m.numGpu > 0 ? maskOf(m.models) : 0;
    tP[j] = m.p;
    if (m.numGpu > 0) {
      let d = milliList.indexOf(m.gpuMilli);
      if (d < 0) d = milliList.push(m.gpuMilli) - 1;
      tIdx[j] = d;
    } else tIdx[j] = -1;
  }
  const D = milliList.length;
  const dMilli = Int32Array.from(milliList);
  const fitCnt = new Int32Array(Math.max(1, D));
  const sliv = new Float64Array(Math.max(1, D));

  // --- scratch
  const free = new Int32Array(G);
  const ord = new Int32Array(G);
  const cand = new Int32Array(Math.max(1, N));
  const stamp = new Int32Array(N * S);
  const cScore = new Int32Array(N * S);
  const cGpu = new Int32Array(N * S);

  const loadFree = (n: number): number => {
    const g = gcount[n]!;
    const base = n * G;
    for (let i = 0; i < g; i++) free[i] = MILLI - used[base + i]!;
    return g;
  };

  /** F_n for CPU left `c`, `free[0..g)` and the node model bit `bit` (traces.md §3.6). */
  const fragOf = (c: number, g: number, bit: number): number => {
    let idle = 0;
    for (let i = 0; i < g; i++) idle += free[i]!;
    for (let d = 0; d < D; d++) {
      const m = dMilli[d]!;
      let fc = 0;
      let sl = 0;
      for (let i = 0; i < g; i++) {
        const v = free[i]!;
        if (v >= m) fc++;
        else sl += v;
      }
      fitCnt[d] = fc;
      sliv[d] = sl;
    }
    let f = 0;
    for (let j = 0; j < M; j++) {
      let term: number;
      const k = tNum[j]!;
      if (k === 0) term = idle;
      else {
        const mask = tMask[j]!;
        const d = tIdx[j]!;
        if (mask !== 0 && (mask & bit) === 0) term = idle;
        else if (fitCnt[d]! < k) term = idle;
        else if (c < tCpu[j]!) term = idle;
        else term = sliv[d]!;
      }
      f += tP[j]! * term;
    }
    return f;
  };

  /** Sorts `ord[0..g)` by ascending free[i], ties by index (insertion sort, g ≤ 8 typically). */
  const sortAscending = (g: number) => {
    for (let i = 0; i < g; i++) ord[i] = i;
    for (let i = 1; i < g; i++) {
      const x = ord[i]!;
      const fx = free[x]!;
      let j = i - 1;
      while (j >= 0 && free[ord[j]!]! > fx) {
        ord[j + 1] = ord[j]!;
        j--;
      }
      ord[j + 1] = x;
    }
  };

  const refreshNode = (n: number) => {
    const g = loadFree(n);
    let s = 0;
    let mx = 0;
    let ff = 0;
    for (let i = 0; i < g; i++) {
      const v = free[i]!;
      s += v;
      if (v > mx) mx = v;
      if (v === MILLI) ff++;
    }
    freeSum[n] = s;
    maxFree[n] = mx;
    fullFree[n] = ff;
    fragN[n] = fragOf(cpuLeft[n]!, g, modelBit[n]!);
  };
  let usedTot = 0;
  for (let n = 0; n < N; n++) {
    refreshNode(n);
    usedTot += gcount[n]! * MILLI - freeSum[n]!;
  }

  /** The policy's score of feasible node `n` for pod `pi` (not Random); FGD also sets `cGpu`. */
  const computeScore = (n: number, pi: number, slot: number): number => {
    const r = pCpu[pi]!;
    const k = pNum[pi]!;
    const q = pMilli[pi]!;
    const c = cpuLeft[n]!;
    switch (policy) {
      case "DotProd": {
        if (c < r) return 0;
        const dot = c * r + RATIO * RATIO * freeSum[n]! * k * q;
        return Math.min(100, Math.max(0, floorDiv(100 * (DOT_D2 - dot), DOT_D2)));
      }
      case "BestFit": {
        const m = c - r + RATIO * (freeSum[n]! - k * q);
        return floorDiv(100 * (BEST_D2 - m), BEST_D2);
      }
      case "GpuClustering": {
        if (k === 0) return 0;
        const t = pTag[pi]!;
        const present = tagKinds[n]!;
        const mine = t < T && tags[n * T + t]! > 0;
        const base = mine ? (present === 1 ? 75 : 50) : present === 0 ? 25 : 0;
        const s = base + floorDiv(25 * (MAX_SPEC_GPU - freeSum[n]!), MAX_SPEC_GPU);
        return Math.min(100, Math.max(0, s));
      }
      case "GpuPacking": {
        if (k === 0) return 0;
        const g = loadFree(n);
        if (fullFree[n] === g) return Math.max(33 - g, g);
        sortAscending(g);
        let taken = 0;
        let ff = 0;
        let ratio = 0;
        for (let o = 0; o < g && taken < k; o++) {
          const v = free[ord[o]!]!;
          if (v >= q) {
            taken++;
            if (v === MILLI) ff++;
            ratio += floorDiv(v * 100, MILLI);
          }
        }
        if (taken < k) return 0;
        if (ff > 0) return Math.max(50 - ff, 33);
        return Math.max(100 - floorDiv(ratio, 10), 50);
      }
      case "FGD": {
        const before = fragN[n]!;
        const g = loadFree(n);
        const bit = modelBit[n]!;
        if (k === 1 && q < MILLI) {
          let best = 0;
          let bestGpu = -1;
          for (let i = 0; i < g; i++) {
            const v = free[i]!;
            if (v < q) continue;
            let seen = false;
            for (let j = 0; j < i; j++) {
              if (free[j] === v) {
                seen = true;
                break;
              }
            }
            if (seen) continue;
            free[i] = v - q;
            const s = fgdScoreFromDelta(before - fragOf(c - r, g, bit));
            free[i] = v;
            if (bestGpu < 0 || s > best) {
              best = s;
              bestGpu = i;
            }
          }
          cGpu[slot] = bestGpu;
          return bestGpu < 0 ? 0 : best;
        }
        sortAscending(g);
        let need = k;
        for (let o = 0; o < g && need > 0; o++) {
          const i = ord[o]!;
          if (free[i]! >= q) {
            free[i] = free[i]! - q;
            need--;
          }
        }
        cGpu[slot] = -1;
        return fgdScoreFromDelta(before - fragOf(c - r, g, bit));
      }
      default:
        return 0;
    }
  };

  const E = order.length;
  const arrived = new Float64Array(E);
  const usedOut = new Float64Array(E);
  const fragOut = new Float64Array(E);
  let arrivedTot = 0;
  let placed = 0;
  let failed = 0;
  const random = policy === "Random";
  const tieFirst = input.tieBreak === "first";

  for (let e = 0; e < E; e++) {
    const pi = order[e]!;
    const r = pCpu[pi]!;
    const mem = pMem[pi]!;
    const k = pNum[pi]!;
    const q = pMilli[pi]!;
    const mask = pMask[pi]!;
    const key = pKey[pi]!;
    const empty = r === 0 && mem === 0 && k === 0;
    arrivedTot += k * q;

    let count = 0;
    let bestScore = -1;
    for (let n = 0; n < N; n++) {
      if (podsLeft[n]! < 1 || r > cpuLeft[n]! || mem > memLeft[n]!) continue;
      if (k > 0) {
        if (gcount[n] === 0) continue;
        if (mask !== 0 && (mask & modelBit[n]!) === 0) continue;
        if (k === 1 ? maxFree[n]! < q : fullFree[n]! < k) continue;
      }
      if (random) {
        cand[count++] = n;
        continue;
      }
      let s: number;
      if (policy === "FGD" && empty) s = 100;
      else {
        const slot = n * S + key;
        if (stamp[slot] === version[n]! + 1) s = cScore[slot]!;
        else {
          s = computeScore(n, pi, slot);
          cScore[slot] = s;
          stamp[slot] = version[n]! + 1;
        }
      }
      if (s > bestScore) {
        bestScore = s;
        count = 0;
        cand[count++] = n;
      } else if (s === bestScore) cand[count++] = n;
    }

    let winner = -1;
    if (count > 0) {
      if (random) winner = cand[rng.nextBounded(count)]!;
      else winner = count === 1 || tieFirst ? cand[0]! : cand[rng.nextBounded(count)]!;
    }

    if (winner < 0) failed++;
    else {
      placed++;
      const n = winner;
      const base = n * G;
      const g = gcount[n]!;
      if (k > 0) {
        if (k === 1 && q < MILLI) {
          let gpu = -1;
          if (sel === "best") {
            for (let i = 0; i < g; i++) {
              const u = used[base + i]!;
              if (MILLI - u >= q && (gpu < 0 || u > used[base + gpu]!)) gpu = i;
            }
          } else if (sel === "random") {
            let c = 0;
            for (let i = 0; i < g; i++) if (MILLI - used[base + i]! >= q) c++;
            let pick = rng.nextBounded(c);
            for (let i = 0; i < g; i++) {
              if (MILLI - used[base + i]! >= q && pick-- === 0) {
                gpu = i;
                break;
              }
            }
          } else {
            gpu = empty ? -1 : cGpu[n * S + key]!;
          }
          used[base + gpu] = Math.min(MILLI, used[base + gpu]! + q);
        } else {
          let need = k;
          for (let i = 0; i < g && need > 0; i++) {
            if (used[base + i] === 0) {
              used[base + i] = Math.min(MILLI, q);
              need--;
            }
          }
        }
        const t = pTag[pi]!;
        if (t < T) {
          if (tags[n * T + t] === 0) tagKinds[n] = tagKinds[n]! + 1;
          tags[n * T + t] = tags[n * T + t]! + 1;
        }
      }
      cpuLeft[n] = cpuLeft[n]! - r;
      memLeft[n] = memLeft[n]! - mem;
      podsLeft[n] = podsLeft[n]! - 1;
      const oldFree = freeSum[n]!;
      version[n] = version[n]! + 1;
      refreshNode(n);
      usedTot += oldFree - freeSum[n]!;
    }

    let frag = 0;
    for (let n = 0; n < N; n++) frag += fragN[n]!;
    arrived[e] = arrivedTot;
    usedOut[e] = usedTot;
    fragOut[e] = frag;
  }
  return { arrived, used: usedOut, frag: fragOut, placed, failed };
}
