// 云调用: WeChat open APIs called from a cloud function without an access_token, the way
// wx-server-sdk's `cloud.openapi.<category>.<method>(data)` does it — the route WeChat documents
// (https://developers.weixin.qq.com/miniprogram/dev/wxcloud/guide/openapi/openapi.html) — but on
// @cloudbase/node-sdk, which we already ship:
//
//   app.callCompatibleWxOpenApi({ apiName: 'security.msgSecCheck', requestData: <protobuf> })
//   → POST <endpoint>?env=…&seqId=…, multipart/form-data: action=wx.openApi, apiName, requestData, envName, …
//   ← 200, a protobuf CommOpenApiResp { respData, contentType, errorCode, httpCode } (the SDK hands
//     the raw Buffer back), or JSON `{ code, message }` with content-type
//     `application/json; charset=utf-8` when CloudBase refuses (the SDK parses and throws it).
//
// Request and answer encodings follow wx-server-sdk (its openapi namespace and protobuf/openapi.js):
// `CommApiData { apiType = OPEN_API (0) = 1; openapiData = 2 { repeated KeyValuePair pairs = 1
// { string key = 1; bytes value = 2 } } }`, one pair per top-level field of the HTTPS body with
// the JSON encoding of its value as bytes. `apiName` is the API's cloud-call name (<category>.<method>,
// the name config.json's permissions.openapi lists), not its HTTPS path. The HTTPS body's
// snake_case field names are used as is (wx-server-sdk converts camelCase to them).
// Node-sdk's other entry, callWxOpenApi (action `wx.api`, JSON `requestData`, answer in
// `data.responseData` as text), cannot carry a binary answer such as a mini-program code.
import type { CloudBaseApp } from './context'

/** A refusal before WeChat answered: CloudBase's `{ code, message }`, or the cloud-call gateway's errorCode (e.g. -604101: the API is not in config.json's permissions.openapi). */
export class WxCallError extends Error {
  constructor(
    readonly code: string | number,
    message: string,
  ) {
    super(`${code} ${message}`.trim())
  }
}

/** WeChat's answer: its JSON body (errcode / errmsg as WeChat sent them), or bytes with their content type (an image). */
export type OpenApiAnswer =
  | { kind: 'json'; body: { errcode?: number; errmsg?: string; [k: string]: unknown } }
  | { kind: 'binary'; contentType: string; buffer: Buffer }

// ---------- protobuf, the few wire shapes the two messages need ----------
function varint(n: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(n))
  const out: number[] = []
  do {
    let b = Number(v & 0x7fn)
    v >>= 7n
    if (v) b |= 0x80
    out.push(b)
  } while (v)
  return Buffer.from(out)
}
const field = (no: number, wire: 0 | 2) => varint((no << 3) | wire)
const bytesField = (no: number, data: Buffer) => Buffer.concat([field(no, 2), varint(data.length), data])

/** The protobuf `CommApiData` wx-server-sdk sends for an open API whose HTTPS body is `data`. */
export function encodeOpenApiRequest(data: Record<string, unknown>): Buffer {
  const pairs: Buffer[] = []
  for (const [key, value] of Object.entries(data)) {
    const json = JSON.stringify(value)
    if (json === undefined) continue // undefined fields are left out, as JSON would
    pairs.push(bytesField(1, Buffer.concat([bytesField(1, Buffer.from(key, 'utf8')), bytesField(2, Buffer.from(json, 'utf8'))])))
  }
  return Buffer.concat([field(1, 0), varint(0), bytesField(2, Buffer.concat(pairs))])
}

/** Decodes `CommOpenApiResp` (respData = 1, contentType = 2, errorCode = 3, httpCode = 4; others skipped). Throws on malformed input. */
export function decodeOpenApiResponse(buf: Buffer): { respData: Buffer; contentType: string; errorCode: number; httpCode: number } {
  const out = { respData: Buffer.alloc(0), contentType: '', errorCode: 0, httpCode: 0 }
  let pos = 0
  const readVarint = (): bigint => {
    let v = 0n
    for (let shift = 0n; ; shift += 7n) {
      if (pos >= buf.length || shift > 63n) throw new Error('protobuf: truncated varint')
      const b = buf[pos++]
      v |= BigInt(b & 0x7f) << shift
      if (!(b & 0x80)) return v
    }
  }
  while (pos < buf.length) {
    const tag = Number(readVarint())
    const no = tag >>> 3
    const wire = tag & 7
    if (wire === 0) {
      const v = readVarint()
      if (no === 3) out.errorCode = Number(BigInt.asIntN(32, v))
      else if (no === 4) out.httpCode = Number(BigInt.asUintN(32, v))
    } else if (wire === 2) {
      const len = Number(readVarint())
      if (pos + len > buf.length) throw new Error('protobuf: truncated field')
      const data = buf.subarray(pos, pos + len)
      pos += len
      if (no === 1) out.respData = Buffer.from(data)
      else if (no === 2) out.contentType = data.toString('utf8')
    } else if (wire === 1) pos += 8
    else if (wire === 5) pos += 4
    else throw new Error(`protobuf: unexpected wire type ${wire}`)
  }
  return out
}

/**
 * One cloud call. JSON answers come back whatever their errcode (the caller decides what an
 * errcode means for it); throws WxCallError when CloudBase or the gateway refused, or the answer
 * is unreadable.
 */
export async function callOpenApi(app: CloudBaseApp, apiName: string, data: Record<string, unknown>): Promise<OpenApiAnswer> {
  let res: unknown
  try {
    res = await app.callCompatibleWxOpenApi({ apiName, requestData: encodeOpenApiRequest(data) })
  } catch (e) {
    const err = e as { code?: string | number; message?: string }
    throw new WxCallError(err?.code ?? 'SYS_ERR', err?.message ?? String(e))
  }
  if (!Buffer.isBuffer(res)) {
    // with the SDK's throwOnCode off, a CloudBase refusal comes back as the parsed object
    const r = res as { code?: string; message?: string } | null
    throw new WxCallError(r?.code ?? 'SYS_ERR', r?.message ?? `unexpected answer ${JSON.stringify(res)}`)
  }
  let wx: ReturnType<typeof decodeOpenApiResponse>
  try {
    wx = decodeOpenApiResponse(res)
  } catch {
    throw new WxCallError('SYS_ERR', `unreadable answer to ${apiName}`)
  }
  if (wx.errorCode) throw new WxCallError(wx.errorCode, `cloud call ${apiName} refused`)
  // WeChat sometimes labels JSON as text/plain (wx-server-sdk notes the same)
  if (/application\/json|text\/plain/.test(wx.contentType)) {
    try {
      return { kind: 'json', body: JSON.parse(wx.respData.toString('utf8')) }
    } catch {
      throw new WxCallError('SYS_ERR', `${apiName} answered invalid JSON`)
    }
  }
  return { kind: 'binary', contentType: wx.contentType.trim(), buffer: wx.respData }
}
