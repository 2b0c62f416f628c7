import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

// Every villager downloads the weapp main package before the first screen; the staff and
// volunteer screens are subpackages. What the villager pages import at run time goes into the
// main package, so they must not reach the libraries only the subpackages and the functions
// can afford: the full zod above all (its schemas run at load, nothing of it can be shaken off;
// the villager pages check input with src/core/checks.ts instead), and dayjs with its zone
// plugins (they format times with src/core/timeText.ts).
const root = path.resolve(__dirname, '../..')
const src = path.join(root, 'src')
const HEAVY = ['zod', 'dayjs', 'echarts', '@nutui/nutui-react-taro', 'qrcode']

/** The villager pages of the mini-program (the app config's `pages`, as the weapp build reads it). */
function mainPages(): string[] {
  ;(globalThis as any).defineAppConfig = (c: unknown) => c
  const saved = process.env.TARO_ENV
  process.env.TARO_ENV = 'weapp'
  try {
    let pages: string[] = []
    jest.isolateModules(() => {
      pages = require('../../src/app.config').default.pages
    })
    return pages
  } finally {
    if (saved === undefined) delete (process.env as Record<string, string | undefined>).TARO_ENV
    else process.env.TARO_ENV = saved
  }
}

function resolve(from: string, spec: string): string | null {
  const base = spec.startsWith('@/') ? path.join(src, spec.slice(2)) : spec.startsWith('.') ? path.resolve(path.dirname(from), spec) : null
  if (!base) return null
  for (const c of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts'), path.join(base, 'index.tsx')]) if (existsSync(c) && /\.tsx?$/.test(c)) return c
  return null
}

/** Imports that survive compilation: not `import type`, and not an import of types alone. */
function runtimeImports(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS)
  const out: string[] = []
  for (const s of sf.statements) {
    if (ts.isImportDeclaration(s)) {
      const c = s.importClause
      if (c?.isTypeOnly) continue
      const named = c?.namedBindings
      if (c && !c.name && named && ts.isNamedImports(named) && named.elements.length && named.elements.every((e) => e.isTypeOnly)) continue
      out.push((s.moduleSpecifier as ts.StringLiteral).text)
    } else if (ts.isExportDeclaration(s) && s.moduleSpecifier && !s.isTypeOnly) {
      out.push((s.moduleSpecifier as ts.StringLiteral).text)
    }
  }
  return out
}

/** For each package reached from the entries, one chain of files that reaches it. */
function reachedPackages(entries: string[]): Map<string, string[]> {
  const seen = new Set<string>()
  const packages = new Map<string, string[]>()
  const queue: [string, string[]][] = entries.map((e) => [e, [e]])
  while (queue.length) {
    const [file, chain] = queue.shift()!
    if (seen.has(file)) continue
    seen.add(file)
    for (const spec of runtimeImports(file)) {
      if (/\.(s?css|png|svg)$/.test(spec)) continue
      const next = resolve(file, spec)
      if (next) queue.push([next, [...chain, next]])
      else if (!spec.startsWith('.') && !spec.startsWith('@/')) {
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]
        if (!packages.has(pkg)) packages.set(pkg, chain.map((f) => path.relative(root, f)))
      }
    }
  }
  return packages
}

describe('the weapp main package (villager pages)', () => {
  test('reaches none of the heavy libraries the subpackages and functions use (the full zod above all)', () => {
    const entries = [path.join(src, 'app.tsx'), ...mainPages().map((p) => resolve(path.join(src, 'app.tsx'), `./${p}`)!)]
    expect(entries.every(Boolean)).toBe(true)
    const reached = reachedPackages(entries)
    const offenders = HEAVY.filter((p) => reached.has(p)).map((p) => `${p} via ${reached.get(p)!.join(' → ')}`)
    expect(offenders).toEqual([])
    // the walk does see packages: a broken walk must not pass for a clean one
    expect(reached.has('@tarojs/taro')).toBe(true)
  })
})
