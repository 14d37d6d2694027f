import { Random } from '../../../../shared/random';
import { binUpperEdge } from './binning';
import { LEAF, type FlatTree } from './tree';
import type { TrainingSet, TreeParams } from './training-set';

/**
 * The random stream of tree `treeIndex`. It depends on nothing but the forest seed and the index, so a
 * tree comes out the same whichever thread trains it and in whatever order.
 */
export function treeRandom(seed: number, treeIndex: number): Random {
  return new Random(seed).fork(treeIndex);
}

export interface BuiltTree {
  readonly tree: FlatTree;
  /** Weighted impurity decrease per feature, summed over the tree's splits (not normalised). */
  readonly importance: Float64Array;
}

/** Histogram state of a node waiting on the stack. */
const HIST_NONE = 0; // the node will be a leaf
const HIST_FULL = 1; // a histogram of every feature is ready (possibly derived from the parent by subtraction)
const HIST_LAZY = 2; // histograms are built at the node, only for the features it samples

/**
 * Relative costs steering the choice between subtraction and direct histograms: adding one row to one
 * feature histogram (a gather and a read-modify-write) against clearing or subtracting one slot (a
 * streaming pass), and how many more features than max_features a node visits on average.
 */
const ROW_COST = 1;
const SLOT_COST = 0.15;
const VISIT_FACTOR = 1.15;

const STACK_FIELDS = 6;

/**
 * Grows one decision tree on binned data, depth first, with histograms of bin statistics per node.
 *
 * Rows are bootstrapped as integer weights (a row drawn three times weighs 3), so no row is copied. Node
 * rows are a range of one index buffer, partitioned in place as nodes split.
 *
 * Histograms: classification keeps raw bootstrap counts per class and bin (class weights are applied
 * when a split is scored), regression keeps the weight and weighted target sum per bin. A node either
 * holds a histogram of every feature, from which the larger child's histogram is derived as
 * parent − smaller child (the subtraction trick), or builds histograms of just the features it samples.
 * A full histogram costs all features while a split looks at only maxFeatures of them, so the root starts
 * with full histograms only when that is at most three times the sampled work (few features, or
 * maxFeatures 'all' as in regression); below a full-histogram node each split then picks the cheaper way
 * for its children from their row counts. Class counts come out identical either way, so the choice never
 * changes a classification tree.
 *
 * One builder is reused for many trees on one thread; all scratch memory is allocated once.
 */
export class TreeBuilder {
  private readonly set: TrainingSet;
  private readonly params: TreeParams;
  private readonly rows: number;
  private readonly features: number;
  private readonly classification: boolean;
  private readonly classCount: number;
  /** Numbers per bin in a histogram: one per class, or weight and weighted target sum. */
  private readonly channels: number;
  /** Numbers per node in nodeStats: raw counts per class, or weight, sum and sum of squares. */
  private readonly statsWidth: number;
  private readonly binCounts: Int32Array;
  private readonly histOffset: Int32Array;
  private readonly histSize: number;
  private readonly averageFeatureSlots: number;

  /** Bootstrap draws per row (indexed by row). */
  private readonly draws: Float64Array;
  /** Rows of the tree, each node's rows a contiguous range. */
  private readonly rowIndex: Int32Array;
  /**
   * Per position of rowIndex (moved with it by partition), so histogram loops read them sequentially and
   * gather only the bin codes: the row's weight and its class (classification) or target (regression).
   */
  private readonly orderedWeight: Float64Array;
  private readonly orderedLabel: Int32Array;
  private readonly orderedTarget: Float64Array;
  private readonly featureOrder: Int32Array;
  private readonly histograms: Float64Array[] = [];
  private readonly freeHistograms: number[] = [];

  private nodeCount = 0;
  private nodeCapacity = 0;
  private nodeFeature = new Int32Array(0);
  private nodeThreshold = new Float64Array(0);
  private nodeMissingLeft = new Uint8Array(0);
  private nodeLeft = new Int32Array(0);
  private nodeRight = new Int32Array(0);
  private nodeStats = new Float64Array(0);

  private stack = new Int32Array(64 * STACK_FIELDS);
  private stackSize = 0;

  private readonly importance: Float64Array;
  private readonly parentWeighted: Float64Array;
  private readonly scanLeft: Float64Array;
  private readonly bestLeft: Float64Array;
  private bestFeature = -1;
  private bestBin = 0;
  private bestMissingLeft = false;
  private bestProxy = Number.NEGATIVE_INFINITY;
  /** Whether the node of the best split had rows missing its feature. */
  private missingSeenInBestSplit = false;

  private childHistLeft = -1;
  private childHistRight = -1;
  private childModeLeft = HIST_NONE;
  private childModeRight = HIST_NONE;

  constructor(set: TrainingSet, params: TreeParams) {
    this.set = set;
    this.params = params;
    this.rows = set.rows;
    this.features = set.features;
    this.classification = set.task === 'classification';
    this.classCount = set.classCount;
    this.channels = this.classification ? set.classCount : 2;
    this.statsWidth = this.classification ? set.classCount : 3;
    this.binCounts = set.binning.binCounts;
    this.histOffset = new Int32Array(this.features);
    let slots = 0;
    for (let f = 0; f < this.features; f++) {
      this.histOffset[f] = slots;
      slots += (this.binCounts[f] + 1) * this.channels;
    }
    this.histSize = slots;
    this.averageFeatureSlots = this.features > 0 ? slots / this.features : 0;
    this.draws = new Float64Array(this.rows);
    this.rowIndex = new Int32Array(this.rows);
    this.orderedWeight = new Float64Array(this.rows);
    this.orderedLabel = new Int32Array(this.classification ? this.rows : 0);
    this.orderedTarget = new Float64Array(this.classification ? 0 : this.rows);
    this.featureOrder = new Int32Array(this.features);
    this.importance = new Float64Array(this.features);
    this.parentWeighted = new Float64Array(this.statsWidth);
    this.scanLeft = new Float64Array(this.statsWidth);
    this.bestLeft = new Float64Array(this.statsWidth);
    const depthBound = Number.isFinite(params.maxDepth) ? 2 ** Math.min(params.maxDepth + 1, 16) : 1024;
    this.growNodes(Math.max(16, Math.min(depthBound, 2 * Math.ceil(this.rows / params.minSamplesLeaf) + 1)));
  }

  build(seed: number, treeIndex: number): BuiltTree {
    const random = treeRandom(seed, treeIndex);
    for (let f = 0; f < this.features; f++) this.featureOrder[f] = f;
    this.importance.fill(0);
    this.nodeCount = 0;
    this.stackSize = 0;
    this.freeHistograms.length = 0;
    for (let h = this.histograms.length - 1; h >= 0; h--) this.freeHistograms.push(h);

    const inBag = this.drawBootstrap(random);
    const root = this.allocateNodes(1);
    this.computeStats(root, 0, inBag);
    let rootMode = HIST_NONE;
    let rootHist = -1;
    if (this.canSplit(root, 0)) {
      rootMode = this.rootHistogramMode();
      if (rootMode === HIST_FULL) {
        rootHist = this.acquireHistogram();
        this.buildAllHistograms(this.histograms[rootHist] as Float64Array, 0, inBag);
      }
    }
    this.push(root, 0, inBag, 0, rootHist, rootMode);

    while (this.stackSize > 0) {
      const at = (--this.stackSize) * STACK_FIELDS;
      const s = this.stack;
      this.splitNode(s[at], s[at + 1], s[at + 2], s[at + 3], s[at + 4], s[at + 5], random);
    }
    return { tree: this.finishTree(), importance: this.importance.slice() };
  }

  private drawBootstrap(random: Random): number {
    const draws = this.draws;
    const rows = this.rows;
    if (this.params.bootstrap) {
      draws.fill(0);
      const count = this.params.bootstrapDraws;
      for (let d = 0; d < count; d++) draws[random.int(rows)]++;
    } else {
      draws.fill(1);
    }
    let inBag = 0;
    for (let r = 0; r < rows; r++) {
      if (draws[r] === 0) continue;
      this.rowIndex[inBag] = r;
      this.orderedWeight[inBag] = draws[r];
      if (this.classification) this.orderedLabel[inBag] = this.set.classOf[r];
      else this.orderedTarget[inBag] = this.set.target[r];
      inBag++;
    }
    return inBag;
  }

  private rootHistogramMode(): number {
    const strategy = this.params.histogramStrategy;
    if (strategy === 'subtract') return HIST_FULL;
    if (strategy === 'direct') return HIST_LAZY;
    // Subtraction only pays when a full histogram is not much dearer than the sampled ones it replaces.
    return this.features <= 3 * this.params.maxFeatures ? HIST_FULL : HIST_LAZY;
  }

  private splitNode(node: number, start: number, end: number, depth: number, histId: number, mode: number, random: Random): void {
    if (mode === HIST_NONE) {
      this.makeLeaf(node);
      return;
    }
    const lazy = mode === HIST_LAZY;
    const hist = lazy ? this.acquireHistogram() : histId;
    const found = this.findSplit(node, start, end, this.histograms[hist] as Float64Array, lazy, random);
    if (!found) {
      this.makeLeaf(node);
      this.releaseHistogram(hist);
      return;
    }

    const feature = this.bestFeature;
    const bin = this.bestBin;
    const mid = this.partition(start, end, feature, bin, this.bestMissingLeft);
    const children = this.allocateNodes(2);
    const leftNode = children;
    const rightNode = children + 1;
    this.setChildStats(node, leftNode, rightNode, start, mid, end);

    const sw = this.statsWidth;
    this.importance[feature] = this.importance[feature] + this.bestProxy - this.parentProxy(node);
    this.nodeFeature[node] = feature;
    this.nodeThreshold[node] = binUpperEdge(this.set.binning, feature, bin);
    this.nodeLeft[node] = leftNode;
    this.nodeRight[node] = rightNode;
    // Rows with a missing value went where the split sent them; when the node had none, unseen missing
    // values follow the majority, as scikit-learn's histogram trees do.
    this.nodeMissingLeft[node] = this.missingSeenInBestSplit
      ? (this.bestMissingLeft ? 1 : 0)
      : this.rawCount(leftNode * sw) >= this.rawCount(rightNode * sw) ? 1 : 0;

    const splitLeft = this.canSplit(leftNode, depth + 1);
    const splitRight = this.canSplit(rightNode, depth + 1);
    if (lazy) {
      this.releaseHistogram(hist);
      this.childModeLeft = splitLeft ? HIST_LAZY : HIST_NONE;
      this.childModeRight = splitRight ? HIST_LAZY : HIST_NONE;
      this.childHistLeft = -1;
      this.childHistRight = -1;
    } else {
      this.prepareChildHistograms(hist, start, mid, end, splitLeft, splitRight);
    }
    // Right is pushed first so the left subtree is grown first; node ids are fixed already either way.
    this.push(rightNode, mid, end, depth + 1, this.childHistRight, this.childModeRight);
    this.push(leftNode, start, mid, depth + 1, this.childHistLeft, this.childModeLeft);
  }

  /**
   * Scores the node's sampled features and leaves the best split in best*. Features are drawn one at a
   * time like scikit-learn: at least maxFeatures of them, and more while every one drawn was constant.
   */
  private findSplit(node: number, start: number, end: number, hist: Float64Array, lazy: boolean, random: Random): boolean {
    this.bestFeature = -1;
    this.bestProxy = Number.NEGATIVE_INFINITY;
    this.prepareParentWeighted(node);
    const order = this.featureOrder;
    const features = this.features;
    const maxFeatures = this.params.maxFeatures;
    let visited = 0;
    let constant = 0;
    for (let j = 0; j < features; j++) {
      if (visited >= maxFeatures && visited > constant) break;
      const pick = j + random.int(features - j);
      const f = order[pick];
      order[pick] = order[j];
      order[j] = f;
      if (lazy) this.buildFeatureHistogram(hist, f, start, end);
      visited++;
      const isConstant = this.classification ? this.scanClassification(hist, f, node) : this.scanRegression(hist, f, node);
      if (isConstant) constant++;
    }
    return this.bestFeature >= 0;
  }

  private prepareParentWeighted(node: number): void {
    const base = node * this.statsWidth;
    if (this.classification) {
      const weights = this.set.classWeights;
      for (let k = 0; k < this.classCount; k++) this.parentWeighted[k] = weights[k] * this.nodeStats[base + k];
    } else {
      this.parentWeighted[0] = this.nodeStats[base];
      this.parentWeighted[1] = this.nodeStats[base + 1];
    }
  }

  /** Σ_k w_k² / W of the node: the Gini proxy (or S²/W for squared error) that children must beat. */
  private parentProxy(node: number): number {
    const base = node * this.statsWidth;
    if (this.classification) {
      const weights = this.set.classWeights;
      let total = 0;
      let squares = 0;
      for (let k = 0; k < this.classCount; k++) {
        const w = weights[k] * this.nodeStats[base + k];
        total += w;
        squares += w * w;
      }
      return total > 0 ? squares / total : 0;
    }
    const w = this.nodeStats[base];
    const s = this.nodeStats[base + 1];
    return w > 0 ? (s * s) / w : 0;
  }

  /**
   * Scans the bins of one feature for the best Gini split, trying missing values on either side.
   * Maximising Σ_k L_k²/W_L + Σ_k R_k²/W_R is the same as minimising the weighted Gini impurity of the
   * children. Returns whether the feature is constant in the node.
   */
  private scanClassification(hist: Float64Array, f: number, node: number): boolean {
    const K = this.classCount;
    const weights = this.set.classWeights;
    const parent = this.parentWeighted;
    const left = this.scanLeft;
    const minLeaf = this.params.minSamplesLeaf;
    const off = this.histOffset[f];
    const bins = this.binCounts[f];
    const missingOff = off + bins * K;
    const base = node * K;

    let nodeRaw = 0;
    for (let k = 0; k < K; k++) nodeRaw += this.nodeStats[base + k];
    let missingRaw = 0;
    for (let k = 0; k < K; k++) missingRaw += hist[missingOff + k];
    let nonEmpty = missingRaw > 0 ? 1 : 0;
    left.fill(0);
    let leftRaw = 0;

    for (let b = 0; b < bins; b++) {
      const bo = off + b * K;
      let binRaw = 0;
      for (let k = 0; k < K; k++) binRaw += hist[bo + k];
      if (binRaw === 0) continue;
      nonEmpty++;
      for (let k = 0; k < K; k++) left[k] = left[k] + hist[bo + k];
      leftRaw += binRaw;

      // Missing values to the right.
      const rightRaw = nodeRaw - leftRaw;
      if (leftRaw >= minLeaf && rightRaw >= minLeaf) {
        let wl = 0;
        let sl = 0;
        let wr = 0;
        let sr = 0;
        for (let k = 0; k < K; k++) {
          const l = weights[k] * left[k];
          const r = parent[k] - l;
          wl += l;
          sl += l * l;
          wr += r;
          sr += r * r;
        }
        const proxy = (wl > 0 ? sl / wl : 0) + (wr > 0 ? sr / wr : 0);
        if (proxy > this.bestProxy) this.recordClassification(f, b, false, proxy, hist, missingOff, missingRaw > 0);
      }
      // Missing values to the left.
      if (missingRaw > 0) {
        const leftWithMissing = leftRaw + missingRaw;
        const rightWithout = nodeRaw - leftWithMissing;
        if (leftWithMissing >= minLeaf && rightWithout >= minLeaf) {
          let wl = 0;
          let sl = 0;
          let wr = 0;
          let sr = 0;
          for (let k = 0; k < K; k++) {
            const l = weights[k] * (left[k] + hist[missingOff + k]);
            const r = parent[k] - l;
            wl += l;
            sl += l * l;
            wr += r;
            sr += r * r;
          }
          const proxy = (wl > 0 ? sl / wl : 0) + (wr > 0 ? sr / wr : 0);
          if (proxy > this.bestProxy) this.recordClassification(f, b, true, proxy, hist, missingOff, true);
        }
      }
    }
    return nonEmpty <= 1;
  }

  private recordClassification(f: number, bin: number, missingLeft: boolean, proxy: number, hist: Float64Array, missingOff: number, sawMissing: boolean): void {
    this.bestFeature = f;
    this.bestBin = bin;
    this.bestMissingLeft = missingLeft;
    this.bestProxy = proxy;
    this.missingSeenInBestSplit = sawMissing;
    const K = this.classCount;
    for (let k = 0; k < K; k++) {
      this.bestLeft[k] = this.scanLeft[k] + (missingLeft ? hist[missingOff + k] : 0);
    }
  }

  /** Squared-error counterpart of scanClassification: maximises S_L²/W_L + S_R²/W_R. */
  private scanRegression(hist: Float64Array, f: number, node: number): boolean {
    const minLeaf = this.params.minSamplesLeaf;
    const off = this.histOffset[f];
    const bins = this.binCounts[f];
    const missingOff = off + bins * 2;
    const nodeWeight = this.nodeStats[node * 3];
    const nodeSum = this.nodeStats[node * 3 + 1];
    const missingWeight = hist[missingOff];
    const missingSum = hist[missingOff + 1];
    let nonEmpty = missingWeight > 0 ? 1 : 0;
    let leftWeight = 0;
    let leftSum = 0;

    for (let b = 0; b < bins; b++) {
      const bo = off + b * 2;
      const w = hist[bo];
      if (w === 0) continue;
      nonEmpty++;
      leftWeight += w;
      leftSum += hist[bo + 1];

      const rightWeight = nodeWeight - leftWeight;
      if (leftWeight >= minLeaf && rightWeight >= minLeaf) {
        const rightSum = nodeSum - leftSum;
        const proxy = (leftSum * leftSum) / leftWeight + (rightSum * rightSum) / rightWeight;
        if (proxy > this.bestProxy) this.recordRegression(f, b, false, proxy, missingWeight > 0);
      }
      if (missingWeight > 0) {
        const lw = leftWeight + missingWeight;
        const rw = nodeWeight - lw;
        if (lw >= minLeaf && rw >= minLeaf) {
          const ls = leftSum + missingSum;
          const rs = nodeSum - ls;
          const proxy = (ls * ls) / lw + (rs * rs) / rw;
          if (proxy > this.bestProxy) this.recordRegression(f, b, true, proxy, true);
        }
      }
    }
    return nonEmpty <= 1;
  }

  private recordRegression(f: number, bin: number, missingLeft: boolean, proxy: number, sawMissing: boolean): void {
    this.bestFeature = f;
    this.bestBin = bin;
    this.bestMissingLeft = missingLeft;
    this.bestProxy = proxy;
    this.missingSeenInBestSplit = sawMissing;
  }

  /** Moves the node's rows going left to the front of its range, in place; returns where the right ones start. */
  private partition(start: number, end: number, feature: number, bin: number, missingLeft: boolean): number {
    const codes = this.set.codes;
    const index = this.rowIndex;
    const column = feature * this.rows;
    const missingCode = this.binCounts[feature];
    const weight = this.orderedWeight;
    const labels = this.classification ? this.orderedLabel : null;
    const targets = this.classification ? null : this.orderedTarget;
    let i = start;
    let j = end - 1;
    while (i <= j) {
      const row = index[i];
      const code = codes[column + row];
      if (code <= bin || (missingLeft && code === missingCode)) {
        i++;
        continue;
      }
      index[i] = index[j];
      index[j] = row;
      const w = weight[i];
      weight[i] = weight[j];
      weight[j] = w;
      if (labels) {
        const label = labels[i];
        labels[i] = labels[j];
        labels[j] = label;
      } else if (targets) {
        const target = targets[i];
        targets[i] = targets[j];
        targets[j] = target;
      }
      j--;
    }
    return i;
  }

  private setChildStats(node: number, leftNode: number, rightNode: number, start: number, mid: number, end: number): void {
    if (this.classification) {
      const K = this.classCount;
      for (let k = 0; k < K; k++) {
        const l = this.bestLeft[k];
        this.nodeStats[leftNode * K + k] = l;
        this.nodeStats[rightNode * K + k] = this.nodeStats[node * K + k] - l;
      }
    } else {
      // Exact sums over the rows keep the leaf means free of the rounding that subtraction accumulates.
      this.computeStats(leftNode, start, mid);
      this.computeStats(rightNode, mid, end);
    }
  }

  private computeStats(node: number, start: number, end: number): void {
    const base = node * this.statsWidth;
    const weight = this.orderedWeight;
    if (this.classification) {
      const labels = this.orderedLabel;
      for (let k = 0; k < this.classCount; k++) this.nodeStats[base + k] = 0;
      for (let i = start; i < end; i++) {
        const slot = base + labels[i];
        this.nodeStats[slot] = this.nodeStats[slot] + weight[i];
      }
      return;
    }
    const target = this.orderedTarget;
    let w = 0;
    let s = 0;
    let ss = 0;
    for (let i = start; i < end; i++) {
      const rw = weight[i];
      const y = target[i];
      w += rw;
      s += rw * y;
      ss += rw * y * y;
    }
    this.nodeStats[base] = w;
    this.nodeStats[base + 1] = s;
    this.nodeStats[base + 2] = ss;
  }

  private rawCount(base: number): number {
    if (!this.classification) return this.nodeStats[base];
    let total = 0;
    for (let k = 0; k < this.classCount; k++) total += this.nodeStats[base + k];
    return total;
  }

  private canSplit(node: number, depth: number): boolean {
    if (depth >= this.params.maxDepth) return false;
    const base = node * this.statsWidth;
    const count = this.rawCount(base);
    if (count < this.params.minSamplesSplit || count < 2 * this.params.minSamplesLeaf) return false;
    if (this.classification) {
      let present = 0;
      for (let k = 0; k < this.classCount; k++) if (this.nodeStats[base + k] > 0) present++;
      return present > 1;
    }
    const w = this.nodeStats[base];
    const s = this.nodeStats[base + 1];
    const ss = this.nodeStats[base + 2];
    return ss - (s * s) / w > 1e-12 * ss;
  }

  /**
   * Gives each child that will be split a histogram. The parent holds every feature's histogram here: when
   * that is cheaper than sampled direct histograms, the smaller child's is built and the larger child's is
   * the parent's minus it, computed in the parent's buffer.
   */
  private prepareChildHistograms(parentHist: number, start: number, mid: number, end: number, splitLeft: boolean, splitRight: boolean): void {
    this.childHistLeft = -1;
    this.childHistRight = -1;
    this.childModeLeft = HIST_NONE;
    this.childModeRight = HIST_NONE;
    if (!splitLeft && !splitRight) {
      this.releaseHistogram(parentHist);
      return;
    }
    const sizeLeft = mid - start;
    const sizeRight = end - mid;
    const smallIsLeft = sizeLeft <= sizeRight;
    const smallSize = smallIsLeft ? sizeLeft : sizeRight;
    const largeSize = smallIsLeft ? sizeRight : sizeLeft;
    const splitSmall = smallIsLeft ? splitLeft : splitRight;
    const splitLarge = smallIsLeft ? splitRight : splitLeft;

    if (!this.preferSubtraction(smallSize, largeSize, splitSmall, splitLarge)) {
      this.releaseHistogram(parentHist);
      this.childModeLeft = splitLeft ? HIST_LAZY : HIST_NONE;
      this.childModeRight = splitRight ? HIST_LAZY : HIST_NONE;
      return;
    }

    const smallStart = smallIsLeft ? start : mid;
    const smallEnd = smallIsLeft ? mid : end;
    const parent = this.histograms[parentHist] as Float64Array;
    let smallHist = -1;
    let largeHist = -1;
    if (splitLarge) {
      const built = this.acquireHistogram();
      const small = this.histograms[built] as Float64Array;
      this.buildAllHistograms(small, smallStart, smallEnd);
      for (let i = 0; i < this.histSize; i++) parent[i] = parent[i] - small[i];
      largeHist = parentHist;
      if (splitSmall) smallHist = built;
      else this.releaseHistogram(built);
    } else {
      this.buildAllHistograms(parent, smallStart, smallEnd);
      smallHist = parentHist;
    }
    const smallMode = smallHist >= 0 ? HIST_FULL : HIST_NONE;
    const largeMode = largeHist >= 0 ? HIST_FULL : HIST_NONE;
    if (smallIsLeft) {
      this.childHistLeft = smallHist;
      this.childModeLeft = smallMode;
      this.childHistRight = largeHist;
      this.childModeRight = largeMode;
    } else {
      this.childHistLeft = largeHist;
      this.childModeLeft = largeMode;
      this.childHistRight = smallHist;
      this.childModeRight = smallMode;
    }
  }

  private preferSubtraction(smallSize: number, largeSize: number, splitSmall: boolean, splitLarge: boolean): boolean {
    const strategy = this.params.histogramStrategy;
    if (strategy === 'subtract') return true;
    if (strategy === 'direct') return false;
    const sampledSlots = this.params.maxFeatures * VISIT_FACTOR;
    const directRows = (splitSmall ? smallSize : 0) + (splitLarge ? largeSize : 0);
    const directCost = directRows * sampledSlots * ROW_COST + (Number(splitSmall) + Number(splitLarge)) * sampledSlots * this.averageFeatureSlots * SLOT_COST;
    const subtractCost = smallSize * this.features * ROW_COST + (splitLarge ? 2 : 1) * this.histSize * SLOT_COST;
    return subtractCost < directCost;
  }

  private buildAllHistograms(hist: Float64Array, start: number, end: number): void {
    for (let f = 0; f < this.features; f++) this.buildFeatureHistogram(hist, f, start, end);
  }

  private buildFeatureHistogram(hist: Float64Array, f: number, start: number, end: number): void {
    const off = this.histOffset[f];
    const codes = this.set.codes;
    const index = this.rowIndex;
    const weight = this.orderedWeight;
    const column = f * this.rows;
    hist.fill(0, off, off + (this.binCounts[f] + 1) * this.channels);
    if (this.classification) {
      const labels = this.orderedLabel;
      const K = this.classCount;
      if (K === 2) {
        for (let i = start; i < end; i++) {
          const slot = off + (codes[column + index[i]] << 1) + labels[i];
          hist[slot] = hist[slot] + weight[i];
        }
      } else {
        for (let i = start; i < end; i++) {
          const slot = off + codes[column + index[i]] * K + labels[i];
          hist[slot] = hist[slot] + weight[i];
        }
      }
      return;
    }
    const target = this.orderedTarget;
    for (let i = start; i < end; i++) {
      const slot = off + (codes[column + index[i]] << 1);
      const w = weight[i];
      hist[slot] = hist[slot] + w;
      hist[slot + 1] = hist[slot + 1] + w * target[i];
    }
  }

  private acquireHistogram(): number {
    const free = this.freeHistograms.pop();
    if (free !== undefined) return free;
    this.histograms.push(new Float64Array(this.histSize));
    return this.histograms.length - 1;
  }

  private releaseHistogram(id: number): void {
    if (id >= 0) this.freeHistograms.push(id);
  }

  private push(node: number, start: number, end: number, depth: number, hist: number, mode: number): void {
    if ((this.stackSize + 1) * STACK_FIELDS > this.stack.length) {
      const grown = new Int32Array(this.stack.length * 2);
      grown.set(this.stack);
      this.stack = grown;
    }
    const at = this.stackSize * STACK_FIELDS;
    this.stack[at] = node;
    this.stack[at + 1] = start;
    this.stack[at + 2] = end;
    this.stack[at + 3] = depth;
    this.stack[at + 4] = hist;
    this.stack[at + 5] = mode;
    this.stackSize++;
  }

  private makeLeaf(node: number): void {
    this.nodeFeature[node] = LEAF;
    this.nodeThreshold[node] = 0;
    this.nodeMissingLeft[node] = 0;
    this.nodeLeft[node] = LEAF;
    this.nodeRight[node] = LEAF;
  }

  private allocateNodes(count: number): number {
    if (this.nodeCount + count > this.nodeCapacity) this.growNodes(Math.max(this.nodeCapacity * 2, this.nodeCount + count));
    const first = this.nodeCount;
    this.nodeCount += count;
    return first;
  }

  private growNodes(capacity: number): void {
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(old: T, make: (n: number) => T, width = 1): T => {
      const next = make(capacity * width);
      next.set(old);
      return next;
    };
    this.nodeFeature = grow(this.nodeFeature, (n) => new Int32Array(n));
    this.nodeThreshold = grow(this.nodeThreshold, (n) => new Float64Array(n));
    this.nodeMissingLeft = grow(this.nodeMissingLeft, (n) => new Uint8Array(n));
    this.nodeLeft = grow(this.nodeLeft, (n) => new Int32Array(n));
    this.nodeRight = grow(this.nodeRight, (n) => new Int32Array(n));
    this.nodeStats = grow(this.nodeStats, (n) => new Float64Array(n), this.statsWidth);
    this.nodeCapacity = capacity;
  }

  /** Copies the grown tree out into right-sized arrays and turns node statistics into node values. */
  private finishTree(): FlatTree {
    const n = this.nodeCount;
    const width = this.classification ? this.classCount : 1;
    const value = new Float64Array(n * width);
    const samples = new Float64Array(n);
    const sw = this.statsWidth;
    const weights = this.set.classWeights;
    for (let node = 0; node < n; node++) {
      const base = node * sw;
      samples[node] = this.rawCount(base);
      if (this.classification) {
        let total = 0;
        for (let k = 0; k < width; k++) total += weights[k] * this.nodeStats[base + k];
        for (let k = 0; k < width; k++) {
          value[node * width + k] = total > 0 ? (weights[k] * this.nodeStats[base + k]) / total : 0;
        }
      } else {
        const w = this.nodeStats[base];
        value[node] = w > 0 ? this.nodeStats[base + 1] / w : 0;
      }
    }
    return {
      nodeCount: n,
      valueWidth: width,
      feature: this.nodeFeature.slice(0, n),
      threshold: this.nodeThreshold.slice(0, n),
      missingLeft: this.nodeMissingLeft.slice(0, n),
      left: this.nodeLeft.slice(0, n),
      right: this.nodeRight.slice(0, n),
      value,
      samples,
    };
  }
}
