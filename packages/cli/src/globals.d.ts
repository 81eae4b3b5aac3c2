declare const __DUCKMETRICS_VERSION__: string;
