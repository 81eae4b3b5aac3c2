// TypeDoc plugin: names the API reference's modules after the import paths users write
// (`@duckmetrics/core`, `@duckmetrics/core/testing`) instead of the entry files' names (`index`, `testing`).
import { Converter, ReflectionKind } from 'typedoc';

const NAMES = { index: '@duckmetrics/core', testing: '@duckmetrics/core/testing' };

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const name = NAMES[module.name];
      if (name) module.name = name;
    }
  });
}
