// Writes metric.schema.json from the valibot schema in the built package (run after tsup).
import { writeFileSync } from 'node:fs';
import { metricJsonSchema } from '../dist/index.js';

const schema = await metricJsonSchema();
writeFileSync(new URL('../metric.schema.json', import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
