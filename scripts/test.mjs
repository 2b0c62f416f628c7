// `npm test`: every layer — domain unit tests, function integration tests through the
// local runtime with the real SDK, end-to-end in Chromium against the H5 build, and the
// mini-program automator suite (skipped, saying why, without WeChat DevTools).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import path from 'node:path'
import { ensureH5Build, root } from './h5.mjs'

const run = (cmd, args) => spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env }).status ?? 1

// The end-to-end suite drives the H5 build: make sure it is there and current.
ensureH5Build('building H5 for the end-to-end suite…')
mkdirSync(path.join(root, 'test-artifacts'), { recursive: true })
const resultsFile = path.join(root, 'test-artifacts', 'jest-results.json')
rmSync(resultsFile, { force: true })
const status = run('npx', ['jest', '--ci', '--json', `--outputFile=${resultsFile}`, ...process.argv.slice(2)])

// Per-layer counts, then one plain closing line.
if (existsSync(resultsFile)) {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'))
  const layers = {}
  const skipped = []
  for (const file of results.testResults) {
    const layer = path.relative(path.join(root, 'test'), file.name).split(path.sep)[0]
    const l = (layers[layer] ??= { passed: 0, failed: 0, skipped: 0 })
    for (const a of file.assertionResults) {
      if (a.status === 'passed') l.passed++
      else if (a.status === 'failed') l.failed++
      else {
        l.skipped++
        skipped.push(a.fullName)
      }
    }
  }
  console.log('\nby layer:')
  for (const [layer, c] of Object.entries(layers)) console.log(`  ${layer.padEnd(12)} ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`)
  for (const name of skipped) console.log(`  skipped: ${name}`)
  console.log(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped`)
}
process.exit(status)
