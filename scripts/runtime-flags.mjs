// The V8 flags the service runs with (`npm start`, `npm run pal`, and the benchmarks' service processes).
//
// --max-semi-space-size=16: V8 sizes its young generation from the machine's memory, up to 64 MB per
// semi-space on a large host; the service allocates many short-lived objects (HTTP, JSON, SDK
// pipelines), so the young generation grows to its cap and stays there. Capped at 16 MB, a 5,000-
// association health check peaks at ~265 MB instead of ~400 MB, at the same speed (docs/
// benchmarks-health.md). Running `node src/main.ts` directly (a container image), pass the same flag,
// or set NODE_OPTIONS=--max-semi-space-size=16.
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=16'];
