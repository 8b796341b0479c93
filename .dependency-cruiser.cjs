// The layer rules of ../shared/DESIGN.md, enforced as part of `npm test`.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-runtime-free',
      comment:
        'shared/ is used by every side: it imports nothing from main, preload, renderer, Electron or Node.',
      severity: 'error',
      from: { path: '^shared/' },
      to: {
        pathNot: '^shared/|(^|/)node_modules/(zod|decimal\\.js)/',
      },
    },
    {
      name: 'shared-no-node-builtins',
      comment: 'shared/ may not import node:* or any Node core module.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-only-shared-and-browser-packages',
      comment: 'The sandboxed renderer imports only its own files, shared/, and browser packages.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { path: '^(main|preload)/' },
    },
    {
      name: 'renderer-no-node',
      comment: 'The sandboxed renderer has no Node: no core modules.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-no-node-packages',
      comment: 'Packages that only run under Node or Electron are not for the renderer.',
      severity: 'error',
      from: { path: '^renderer/' },
      to: {
        path: '(^|/)node_modules/(electron|better-sqlite3-multiple-ciphers|@napi-rs|simple-git|pino|opossum)(/|$)',
      },
    },
    {
      name: 'electron-only-in-shell-and-preload',
      comment: 'Only main/electron/ and preload/ may import electron; the core runs under plain Node.',
      severity: 'error',
      from: { pathNot: '^(main/electron|preload)/' },
      to: { path: '^electron$|(^|/)node_modules/electron/|^types/electron/' },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    exclude: { path: '^(out|node_modules)/' },
    doNotFollow: { path: '(^|/)node_modules|^types/' },
    tsConfig: { fileName: 'tsconfig.node.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
