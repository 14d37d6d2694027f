/**
 * Runs one import in a process of its own and prints its peak RSS, so that the memory bound of a large
 * import is measured without the benchmark's other work in the same process.
 *   node --import tsx scripts/bench/_import-child.ts <workspace> <file> <entity>
 */
import { EngineHost } from '../../electron/engine/host';

const [workspace, file, entity] = process.argv.slice(2) as [string, string, 'transactions'];
const host = new EngineHost();
await host.call('workspace.open', { path: workspace });
const result = await host.runJob('import.run', { file, entity, policy: 'reject' });
await host.close();
process.stdout.write(`${JSON.stringify({ rowsLoaded: result.rowsLoaded, seconds: result.seconds, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`);
