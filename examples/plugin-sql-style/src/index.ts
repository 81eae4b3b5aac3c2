export { findSelectStars, sqlStyle, STYLE_RULES } from './sql-style-plugin.ts';
export type { RuleSeverity, SqlStyleOptions, StyleRule } from './sql-style-plugin.ts';
