/** The V8 flags the service runs with; see runtime-flags.mjs. */
export declare const SERVICE_NODE_FLAGS: string[];
