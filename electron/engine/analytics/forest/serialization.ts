import type { FlatTree } from './tree';

/**
 * Trees travel as base64 of their typed arrays' bytes: compact, exact for doubles, quick to decode.
 * Bytes are little-endian, the order of every platform the app ships on.
 */
export interface SerializedTree {
  nodeCount: number;
  valueWidth: number;
  feature: string;
  threshold: string;
  missingLeft: string;
  left: string;
  right: string;
  value: string;
  samples: string;
}

function toBase64(array: Int32Array | Float64Array | Uint8Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function fromBase64<T extends Int32Array | Float64Array | Uint8Array>(
  text: unknown,
  make: (buffer: ArrayBuffer) => T,
  bytesPerElement: number,
  length: number,
  what: string,
): T {
  if (typeof text !== 'string') throw new Error(`Model tree field ${what} is missing.`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength !== length * bytesPerElement) {
    throw new Error(`Model tree field ${what} holds ${bytes.byteLength} bytes, expected ${length * bytesPerElement}.`);
  }
  // Copy into a fresh buffer: Node's pooled Buffers are not aligned for 8-byte views.
  const buffer = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(buffer).set(bytes);
  return make(buffer);
}

export function serializeTree(tree: FlatTree): SerializedTree {
  return {
    nodeCount: tree.nodeCount,
    valueWidth: tree.valueWidth,
    feature: toBase64(tree.feature),
    threshold: toBase64(tree.threshold),
    missingLeft: toBase64(tree.missingLeft),
    left: toBase64(tree.left),
    right: toBase64(tree.right),
    value: toBase64(tree.value),
    samples: toBase64(tree.samples),
  };
}

/**
 * Decodes a tree and checks it can be walked safely: features in range, and children always after
 * their parent, so a corrupted model cannot send scoring into a loop.
 */
export function deserializeTree(input: SerializedTree, features: number, valueWidth: number): FlatTree {
  const n = input.nodeCount;
  if (!Number.isInteger(n) || n < 1) throw new Error(`A model tree has an invalid node count (${String(n)}).`);
  if (input.valueWidth !== valueWidth) throw new Error(`A model tree has ${input.valueWidth} values per node, expected ${valueWidth}.`);
  const tree: FlatTree = {
    nodeCount: n,
    valueWidth,
    feature: fromBase64(input.feature, (b) => new Int32Array(b), 4, n, 'feature'),
    threshold: fromBase64(input.threshold, (b) => new Float64Array(b), 8, n, 'threshold'),
    missingLeft: fromBase64(input.missingLeft, (b) => new Uint8Array(b), 1, n, 'missingLeft'),
    left: fromBase64(input.left, (b) => new Int32Array(b), 4, n, 'left'),
    right: fromBase64(input.right, (b) => new Int32Array(b), 4, n, 'right'),
    value: fromBase64(input.value, (b) => new Float64Array(b), 8, n * valueWidth, 'value'),
    samples: fromBase64(input.samples, (b) => new Float64Array(b), 8, n, 'samples'),
  };
  for (let node = 0; node < n; node++) {
    const f = tree.feature[node];
    if (f === -1) continue;
    const l = tree.left[node];
    const r = tree.right[node];
    if (f < 0 || f >= features || l <= node || r <= node || l >= n || r >= n) {
      throw new Error(`A model tree is corrupt at node ${node}.`);
    }
  }
  return tree;
}
