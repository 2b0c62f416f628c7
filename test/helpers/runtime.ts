import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { startRuntime, type Runtime } from '../../runtime/server'
import { seed } from '../../runtime/seed'
import { DEMO_ACCOUNTS } from '../../runtime/seed/demo'

export type TestRuntime = Runtime & {
  dataDir: string
  /** call a function action as `openId`; `at`: the instant the function sees as now (injected clock) */
  call: (fn: string, action: string, data: unknown, openId: string | null, at?: Date) => Promise<any>
  /** the same, expecting success: its data (else the test fails with the code and message) */
  ok: (fn: string, action: string, data: unknown, openId: string | null, at?: Date) => Promise<any>
  /** the same, expecting a refusal: its code and message */
  fail: (fn: string, action: string, data: unknown, openId: string | null, at?: Date) => Promise<{ code: string; message: string }>
}

/**
 * A fresh local runtime on a random port with its own data dir, seeded with the demo county.
 * Rate limits are on; `rateLimits: false` for suites where one demo villager places dozens of orders.
 */
export async function startTestRuntime(opts: { h5Dir?: string; rateLimits?: boolean } = {}): Promise<TestRuntime> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'xf-test-'))
  const rt = await startRuntime({ dataDir, accounts: DEMO_ACCOUNTS, h5Dir: opts.h5Dir, rateLimits: opts.rateLimits })
  await seed(rt.emulator, 'demo')
  const close = rt.close
  const call = (fn: string, action: string, data: unknown, openId: string | null, at?: Date) =>
    rt.invoke(fn, { action, data }, openId, at ? () => at : undefined) as Promise<any>
  return Object.assign(rt, {
    dataDir,
    call,
    async ok(fn: string, action: string, data: unknown, openId: string | null, at?: Date) {
      const r = await call(fn, action, data, openId, at)
      if (!r.ok) throw new Error(`${fn}.${action} as ${openId}: ${r.code} ${r.message}`)
      return r.data
    },
    async fail(fn: string, action: string, data: unknown, openId: string | null, at?: Date) {
      const r = await call(fn, action, data, openId, at)
      if (r.ok) throw new Error(`${fn}.${action} as ${openId} should have failed`)
      return r as { code: string; message: string }
    },
    async close() {
      await close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  })
}

/** POST /fn/<name> over HTTP, as the H5 app does. */
export async function httpCall(base: string, fn: string, event: unknown, token?: string) {
  const res = await fetch(`${base}/fn/${fn}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(event),
  })
  return { status: res.status, body: (await res.json()) as any }
}
