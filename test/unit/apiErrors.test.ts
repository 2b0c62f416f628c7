// How the app's one call (src/api) tells a person what failed: the service (an answer came, but a
// 5xx or a crashed function) or their network (no answer at all, after the retries).
jest.mock('@tarojs/taro', () => ({ __esModule: true, default: { getStorageSync: () => '', setStorageSync: () => {}, removeStorageSync: () => {} } }))

import { ApiError, call } from '../../src/api'
import { NETWORK_TROUBLE, SERVICE_TROUBLE } from '../../src/core/errors'

const realFetch = global.fetch
let attempts = 0
const answer = (fn: () => Promise<Response>) => {
  attempts = 0
  global.fetch = (async () => {
    attempts++
    return fn()
  }) as typeof fetch
}

beforeAll(() => {
  process.env.TARO_ENV = 'h5'
  jest.spyOn(console, 'warn').mockImplementation(() => {})
})
afterAll(() => {
  global.fetch = realFetch
})

const failure = (p: Promise<unknown>) => p.then(() => null, (e: ApiError) => ({ code: e.code, message: e.message }))

test('a 500 from the server is the service’s problem, asked once', async () => {
  answer(async () => new Response('boom', { status: 500 }))
  expect(await failure(call('order', 'mine', {}))).toEqual({ code: 'INTERNAL', message: SERVICE_TROUBLE })
  expect(attempts).toBe(1)
})

test('an unreadable answer is the service’s problem too', async () => {
  answer(async () => new Response(JSON.stringify({ result: null }), { status: 200 }))
  expect(await failure(call('order', 'mine', {}))).toEqual({ code: 'INTERNAL', message: SERVICE_TROUBLE })
})

test('no answer at all (offline) is the network, after three tries', async () => {
  answer(async () => {
    throw new TypeError('Failed to fetch')
  })
  expect(await failure(call('order', 'mine', {}))).toEqual({ code: 'NETWORK', message: NETWORK_TROUBLE })
  expect(attempts).toBe(3)
}, 10_000)

test('a refusal the server gives keeps its code and words', async () => {
  answer(async () => new Response(JSON.stringify({ result: { ok: false, code: 'FORBIDDEN', message: '无权查看' } }), { status: 200 }))
  expect(await failure(call('order', 'mine', {}))).toEqual({ code: 'FORBIDDEN', message: '无权查看' })
})
