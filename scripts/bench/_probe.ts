import SQLite from 'better-sqlite3';

const stats = new Map<string, { n: number; ms: number }>();
const proto = (SQLite as any).prototype;
const origPrepare = proto.prepare;
proto.prepare = function (sql: string) {
  const stmt = origPrepare.call(this, sql);
  for (const m of ['run', 'all']) {
    const orig = stmt[m];
    stmt[m] = function (...a: unknown[]) {
      const t = performance.now();
      try {
        return orig.apply(this, a);
      } finally {
        const key = sql
          .replace(/\(\?(, \?)*\)/g, '(…)')
          .replace(/values .*/, 'values …')
          .slice(0, 110);
        const s = stats.get(key) ?? { n: 0, ms: 0 };
        s.n++;
        s.ms += performance.now() - t;
        stats.set(key, s);
      }
    };
  }
  return stmt;
};
process.on('exit', () => {
  for (const [k, s] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12))
    console.error(s.ms.toFixed(0).padStart(6), 'ms', String(s.n).padStart(6), k);
});
process.argv.splice(2, 0, 'ours', '--port', process.env.PORT!, '--count', '10000');
await import('./contenders.ts');
