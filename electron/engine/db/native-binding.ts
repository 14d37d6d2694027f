/**
 * Which compiled better-sqlite3 addon to load. One install serves two runtimes with different ABIs: plain
 * Node (CLI, tests, benchmarks) uses the addon npm built; Electron uses a copy built for its ABI by
 * scripts/electron-native.mjs, whose path the main process passes in BPW_SQLITE_BINDING. The packaged app
 * has only the Electron build, rebuilt by electron-builder, and needs no override.
 */
export function sqliteNativeBinding(): string | undefined {
  const override = process.env.BPW_SQLITE_BINDING;
  return override && override.length > 0 ? override : undefined;
}
