// Constants tsup defines at build time.
declare const __DUCKMETRICS_VERSION__: string;
