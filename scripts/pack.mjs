// `npm run pack`: the packages as installable tarballs, before they are on the registry.
//
// Writes into one folder (default `packed/`, or the folder given as the first argument):
//   packages/<name>-<version>.tgz   one tarball per published package (what `npm publish` would upload)
//   duckmetrics-<version>.tgz       the CLI with the @duckmetrics packages it depends on inside it, so that
//                                   `npm install -g duckmetrics-<version>.tgz` never asks a registry for our
//                                   unpublished names (third-party dependencies still come from the registry)
//   packed.json                     what was packed: the bundle's path, each package's tarball and files
// and prints the one `npm install -g` command (`--quiet`: not). Run `npm run build` first (the root `pack` script does).
//
// Why a bundle and not `npm install -g` of every tarball: npm resolves each global package on its own, so the CLI's
// dependency on `@duckmetrics/core@0.1.0` is looked up on the registry even when core's tarball is installed in the
// same command (a 404 today, a stranger's package if anyone ever took the name).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const out = path.resolve(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? path.join(root, 'packed'));
const quiet = process.argv.includes('--quiet');

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

/** Every published package: the non-private folders under packages/. */
function publishedPackages() {
  return readdirSync(path.join(root, 'packages'))
    .map((dir) => ({ dir, file: path.join(root, 'packages', dir, 'package.json') }))
    .filter(({ file }) => existsSync(file))
    .map(({ dir, file }) => ({ dir, manifest: readJson(file) }))
    .filter(({ manifest }) => manifest.private !== true)
    .sort((a, b) => a.dir.localeCompare(b.dir));
}

function npmPack(args, cwd) {
  const stdout = execFileSync(npm, ['pack', '--json', '--loglevel=error', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(stdout);
}

function extract(tarball, into) {
  mkdirSync(into, { recursive: true });
  execFileSync('tar', ['-xzf', tarball, '-C', into, '--strip-components=1'], { stdio: 'inherit' });
}

const packages = publishedPackages();
for (const { dir } of packages) {
  if (!existsSync(path.join(root, 'packages', dir, 'dist'))) throw new Error(`packages/${dir}/dist is missing: run npm run build first`);
}
rmSync(out, { recursive: true, force: true });
const packageDir = path.join(out, 'packages');
mkdirSync(packageDir, { recursive: true });
const packed = npmPack(['--pack-destination', packageDir, ...packages.map((p) => `--workspace=packages/${p.dir}`)], root);
const tarballOf = new Map(packed.map((p) => [p.name, path.join(packageDir, p.filename)]));

// The bundle: the CLI's tarball unpacked, its @duckmetrics dependencies unpacked into dist/node_modules (where the
// CLI's own files find them first), and their third-party dependencies added to the CLI's, which npm installs in
// the CLI's node_modules. Not `bundleDependencies`: npm then expects every dependency of a bundled package inside the
// bundle too, DuckDB's 68 MB platform binary included, and installs them as empty folders.
const cli = packages.find((p) => p.manifest.name === '@duckmetrics/cli').manifest;
const staging = mkdtempSync(path.join(os.tmpdir(), 'duckmetrics-bundle-'));
try {
  const stage = path.join(staging, 'package');
  extract(tarballOf.get(cli.name), stage);
  const manifest = readJson(path.join(stage, 'package.json'));
  const bundled = Object.keys(manifest.dependencies).filter((name) => tarballOf.has(name));
  const dependencies = Object.fromEntries(Object.entries(manifest.dependencies).filter(([name]) => !tarballOf.has(name)));
  for (const name of bundled) {
    const into = path.join(stage, 'dist', 'node_modules', ...name.split('/'));
    extract(tarballOf.get(name), into);
    for (const [dep, range] of Object.entries(readJson(path.join(into, 'package.json')).dependencies ?? {})) {
      if (tarballOf.has(dep)) continue;
      if (dependencies[dep] !== undefined && dependencies[dep] !== range) throw new Error(`${name} wants ${dep}@${range}, another package ${dependencies[dep]}: align them`);
      dependencies[dep] = range;
    }
  }
  const sorted = Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(path.join(stage, 'package.json'), `${JSON.stringify({ ...manifest, dependencies: sorted }, null, 2)}\n`);
  const [bundle] = npmPack(['--pack-destination', staging], stage);
  renameSync(path.join(staging, bundle.filename), path.join(out, `duckmetrics-${cli.version}.tgz`));
} finally {
  rmSync(staging, { recursive: true, force: true });
}

const bundlePath = path.join(out, `duckmetrics-${cli.version}.tgz`);
// What was packed, for tests and scripts: each package's tarball and files (as `npm pack --json` lists them).
const summary = { bundle: bundlePath, packages: packed.map((p) => ({ name: p.name, version: p.version, tarball: tarballOf.get(p.name), files: p.files.map((f) => f.path) })) };
writeFileSync(path.join(out, 'packed.json'), `${JSON.stringify(summary, null, 2)}\n`);
if (!quiet) {
  const shown = path.relative(process.cwd(), bundlePath) || bundlePath;
  process.stdout.write(
    [
      `Packed ${packed.length} packages into ${path.relative(process.cwd(), packageDir) || packageDir}/ and the CLI with them into ${shown}`,
      '',
      'Install the duckmetrics command (from anywhere, no registry lookup of @duckmetrics packages):',
      `  npm install -g ${bundlePath}`,
      'Then, in an empty folder:',
      '  duckmetrics init my-metrics && cd my-metrics && duckmetrics build',
      '',
    ].join('\n'),
  );
}
