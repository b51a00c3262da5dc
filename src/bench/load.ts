import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import autocannon from 'autocannon';

export type LoadResult = {
  tool: string;
  requests: number;
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  non3xx: number;
};

const run = promisify(execFile);

/** `wrk` when the machine has it (it costs the server less CPU), else autocannon. */
export async function loadTool(): Promise<'wrk' | 'autocannon'> {
  if (process.env.AFFNET_BENCH_LOAD === 'autocannon') return 'autocannon';
  try {
    await run('wrk', ['--version']).catch((error: { stdout?: string }) => {
      if (!error.stdout?.includes('wrk')) throw error;
    });
    return 'wrk';
  } catch {
    return 'autocannon';
  }
}

export async function load(
  tool: 'wrk' | 'autocannon',
  url: string,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  if (tool === 'wrk') {
    const { stdout } = await run(
      'wrk',
      ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', url],
      { maxBuffer: 1 << 20 },
    );
    const ms = (label: string) => {
      const match = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(stdout);
      if (!match) throw new Error(`no ${label}% latency in wrk output:\n${stdout}`);
      const value = Number(match[1]);
      return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
    };
    const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
    return {
      tool,
      requests,
      requestsPerS: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]),
      p50Ms: ms('50'),
      p99Ms: ms('99'),
      non3xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0),
    };
  }
  const result = await autocannon({ url, connections, duration: seconds });
  return {
    tool,
    requests: result.requests.total,
    requestsPerS: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non3xx: result.non2xx - result['3xx'],
  };
}
