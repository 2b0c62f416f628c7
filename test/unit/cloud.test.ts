// The cloud entry's reading of HTTP access service invocations (anonymous H5 calls such as the badge check).
import { httpEvent } from '../../cloudfunctions/shared/cloud'

test('a mini-program call is not an HTTP event', () => {
  expect(httpEvent({ action: 'verify', data: { plate: 'XF01-0001' } })).toBeNull()
  expect(httpEvent(null)).toBeNull()
})

test('POST with a JSON body (plain or base64) gives the event', () => {
  const ev = { action: 'verify', data: { token: 'v1.k.x.y.z' } }
  expect(httpEvent({ httpMethod: 'POST', body: JSON.stringify(ev) })).toEqual({ event: ev })
  expect(httpEvent({ httpMethod: 'POST', body: Buffer.from(JSON.stringify(ev)).toString('base64'), isBase64Encoded: true })).toEqual({ event: ev })
})

test('other methods and bodies that are not JSON give an empty event (the function then refuses it)', () => {
  expect(httpEvent({ httpMethod: 'GET', body: '' })).toEqual({ event: null })
  expect(httpEvent({ httpMethod: 'POST', body: '{not json' })).toEqual({ event: null })
})
