// GET /metrics: the appliance's counters and gauges in Prometheus text format (version 0.0.4).
import type { Appliance } from '../appliance';

const escape = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

export function applianceMetrics(a: Appliance): string {
  const lines: string[] = [];
  for (const c of a.counters.all()) {
    lines.push(`# HELP ${c.name} ${c.help}`, `# TYPE ${c.name} counter`);
    const entries = c.entries();
    if (entries.length === 0) lines.push(`${c.name} 0`);
    for (const [label, value] of entries) {
      lines.push(
        c.label && label !== '' ? `${c.name}{${c.label}="${escape(label)}"} ${value}` : `${c.name} ${value}`,
      );
    }
  }
  const gauge = (name: string, help: string, value: number): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`);
  };
  gauge('ims_registrations', 'Current registration bindings', a.location.bindingCount);
  gauge('ims_active_calls', 'Calls in progress', a.calls.size);
  gauge(
    'ims_transactions',
    'Live SIP transactions (server + client)',
    a.transactions.serverCount + a.transactions.clientCount,
  );
  const cpu = process.cpuUsage();
  gauge('process_cpu_seconds_total', 'Process CPU time (user + system)', (cpu.user + cpu.system) / 1e6);
  gauge('process_resident_memory_bytes', 'Resident memory', process.memoryUsage().rss);
  return `${lines.join('\n')}\n`;
}
