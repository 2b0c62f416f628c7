// Contract of the cloud WeChat port (cloudfunctions/shared/wechat.ts, wxOpenApi.ts): the real
// @cloudbase/node-sdk is pointed at a local HTTP server standing in for CloudBase, which captures
// the exact request the SDK sends and answers as the cloud-call gateway does. The request and
// answer encodings are decoded and built here by a separate, generic protobuf reader/writer, so
// the adapter's own codec is not checked against itself.
//
// Sources: WeChat's cloud-call guide (developers.weixin.qq.com/miniprogram/dev/wxcloud/guide/openapi/openapi.html:
// APIs are named <category>.<method> and must be listed in config.json permissions.openapi);
// wx-server-sdk's openapi namespace (CommApiData { apiType OPEN_API = 0, openapiData.pairs[{ key,
// value: JSON bytes }] } sent through node-sdk's callCompatibleWxOpenApi; CommOpenApiResp
// { respData = 1, contentType = 2, errorCode = 3, httpCode = 4 } back); node-sdk 3.18.3
// src/wx/index.ts + src/utils/tcbapirequester.ts (action `wx.openApi`, multipart/form-data,
// raw answer; JSON answers labelled `application/json; charset=utf-8` are parsed and thrown);
// the API pages for the HTTPS bodies and answers: security.msgSecCheck v2, subscribeMessage.send,
// wxacode.getUnlimited, phonenumber.getPhoneNumber.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import tcb from '@cloudbase/node-sdk'
import { parseMultipart } from '../../runtime/upload'
import { cloudWechat, getUnlimited, type OutboxRecord } from '../../cloudfunctions/shared/wechat'
import { decodeOpenApiResponse, encodeOpenApiRequest } from '../../cloudfunctions/shared/wxOpenApi'

// ---------- a generic protobuf wire reader / writer (independent of the adapter's) ----------
type PbField = { no: number; wire: number; value: bigint | Buffer }
function readPb(buf: Buffer): PbField[] {
  const out: PbField[] = []
  let i = 0
  const vint = () => {
    let v = 0n
    let s = 0n
    for (;;) {
      const b = buf[i++]
      v |= BigInt(b & 0x7f) << s
      s += 7n
      if (b < 0x80) return v
    }
  }
  while (i < buf.length) {
    const tag = Number(vint())
    const wire = tag & 7
    if (wire === 0) out.push({ no: tag >> 3, wire, value: vint() })
    else if (wire === 2) {
      const n = Number(vint())
      out.push({ no: tag >> 3, wire, value: buf.subarray(i, i + n) })
      i += n
    } else throw new Error(`wire ${wire}`)
  }
  return out
}
function writePb(fields: { no: number; value: bigint | Buffer | string }[]): Buffer {
  const v = (n: bigint) => {
    const b: number[] = []
    let x = BigInt.asUintN(64, n)
    while (x >= 0x80n) {
      b.push(Number(x & 0x7fn) | 0x80)
      x >>= 7n
    }
    b.push(Number(x))
    return Buffer.from(b)
  }
  return Buffer.concat(
    fields.map((f) => {
      if (typeof f.value === 'bigint') return Buffer.concat([v(BigInt(f.no << 3)), v(f.value)])
      const data = typeof f.value === 'string' ? Buffer.from(f.value) : f.value
      return Buffer.concat([v(BigInt((f.no << 3) | 2)), v(BigInt(data.length)), data])
    }),
  )
}
/** The HTTPS body a CommApiData carries: apiType must be OPEN_API (0); pairs' values are JSON. */
function openApiBody(requestData: Buffer): Record<string, unknown> {
  const top = readPb(requestData)
  expect(top.find((f) => f.no === 1)?.value).toBe(0n)
  const openapiData = top.find((f) => f.no === 2)?.value as Buffer
  const body: Record<string, unknown> = {}
  for (const p of readPb(openapiData).filter((f) => f.no === 1)) {
    const kv = readPb(p.value as Buffer)
    const key = (kv.find((f) => f.no === 1)!.value as Buffer).toString()
    body[key] = JSON.parse((kv.find((f) => f.no === 2)!.value as Buffer).toString())
  }
  return body
}
const gatewayAnswer = (o: { respData?: Buffer | string; contentType?: string; errorCode?: number; httpCode?: number }) =>
  writePb([
    ...(o.respData !== undefined ? [{ no: 1, value: o.respData }] : []),
    ...(o.contentType !== undefined ? [{ no: 2, value: o.contentType }] : []),
    ...(o.errorCode !== undefined ? [{ no: 3, value: BigInt(o.errorCode) }] : []),
    { no: 4, value: BigInt(o.httpCode ?? 200) },
  ])
const jsonAnswer = (body: unknown) => gatewayAnswer({ respData: JSON.stringify(body), contentType: 'application/json; charset=utf-8' })

// ---------- the stand-in for CloudBase ----------
type Captured = { method: string; path: string; query: URLSearchParams; headers: http.IncomingHttpHeaders; fields: Record<string, Buffer> }
type Answer = { status?: number; contentType: string; body: Buffer | string }
let server: http.Server
let url: string
const seen: Captured[] = []
const answers: Answer[] = []

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const u = new URL(req.url ?? '/', 'http://x')
      const fields: Record<string, Buffer> = {}
      for (const p of parseMultipart(Buffer.concat(chunks), String(req.headers['content-type']))) fields[p.name] = p.data
      seen.push({ method: req.method ?? '', path: u.pathname, query: u.searchParams, headers: req.headers, fields })
      const a = answers.shift() ?? { status: 500, contentType: 'text/plain', body: 'no answer queued' }
      res.writeHead(a.status ?? 200, { 'content-type': a.contentType })
      res.end(a.body)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))
beforeEach(() => {
  seen.length = 0
  answers.length = 0
})

const app = () => tcb.init({ env: 'xf-prod-1a2b3c', secretId: 'AKIDtest', secretKey: 'test', serviceUrl: url, timeout: 10_000 })
const reply = (body: Buffer) => answers.push({ contentType: 'application/octet-stream', body })
const refuse = (code: string, message: string) => answers.push({ contentType: 'application/json; charset=utf-8', body: JSON.stringify({ code, message, requestId: 'r1' }) })
const silence = () => jest.spyOn(console, 'error').mockImplementation(() => {})

/** The one request the SDK sent, checked for the cloud-call envelope; returns the API name and its HTTPS body. */
function theCall(): { apiName: string; body: Record<string, unknown> } {
  expect(seen).toHaveLength(1)
  const c = seen[0]
  expect(c.method).toBe('POST')
  expect(c.path).toBe('/admin')
  expect(c.query.get('env')).toBe('xf-prod-1a2b3c')
  expect(String(c.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/)
  expect(c.fields.action.toString()).toBe('wx.openApi')
  expect(c.fields.envName.toString()).toBe('xf-prod-1a2b3c')
  return { apiName: c.fields.apiName.toString(), body: openApiBody(c.fields.requestData) }
}

const OPENID = 'oVillager0001abcdEFGH'

describe('security.msgSecCheck v2 through the real SDK', () => {
  test('a text goes out as version 2, scene 评论, with the writer’s openid; pass lets it through', async () => {
    reply(jsonAnswer({ errcode: 0, errmsg: 'ok', result: { suggest: 'pass', label: 100 }, detail: [], trace_id: 't1' }))
    await expect(cloudWechat(app(), {}).msgSecCheck('张大爷家门口的路灯修好了', OPENID)).resolves.toEqual({ ok: true })
    expect(theCall()).toEqual({ apiName: 'security.msgSecCheck', body: { content: '张大爷家门口的路灯修好了', version: 2, scene: 2, openid: OPENID } })
  })

  test('risky (errcode 0, result.suggest risky) is refused with a reason for the user', async () => {
    reply(jsonAnswer({ errcode: 0, errmsg: 'ok', result: { suggest: 'risky', label: 20001 }, detail: [{ strategy: 'content_model', errcode: 0, suggest: 'risky', label: 20001, prob: 90 }] }))
    await expect(cloudWechat(app(), {}).msgSecCheck('违规文本', OPENID)).resolves.toEqual({ ok: false, reason: '内容含有违法违规信息' })
  })

  test('review is refused too: nothing doubtful goes public', async () => {
    reply(jsonAnswer({ errcode: 0, errmsg: 'ok', result: { suggest: 'review', label: 20002 } }))
    await expect(cloudWechat(app(), {}).msgSecCheck('可疑文本', OPENID)).resolves.toEqual({ ok: false, reason: '内容可能含有不适宜公开的信息' })
  })

  test('errcode 87014 (version 1’s verdict) is treated as risky', async () => {
    reply(jsonAnswer({ errcode: 87014, errmsg: 'risky content' }))
    await expect(cloudWechat(app(), {}).msgSecCheck('违规文本', OPENID)).resolves.toEqual({ ok: false, reason: '内容含有违法违规信息' })
  })

  test('a caller without openid: the field is left out and WeChat’s refusal fails the check closed', async () => {
    silence()
    reply(jsonAnswer({ errcode: 40003, errmsg: 'invalid openid' }))
    const r = await cloudWechat(app(), {}).msgSecCheck('你好', null)
    expect(r).toEqual({ ok: false, reason: '内容安全检测暂不可用，请稍后重试' })
    expect(theCall().body).toEqual({ content: '你好', version: 2, scene: 2 })
  })

  test('the gateway refusing (API not in permissions.openapi, errorCode -604101) fails closed', async () => {
    silence()
    reply(gatewayAnswer({ errorCode: -604101 }))
    await expect(cloudWechat(app(), {}).msgSecCheck('你好', OPENID)).resolves.toEqual({ ok: false, reason: '内容安全检测暂不可用，请稍后重试' })
  })

  test('CloudBase refusing (JSON { code, message }) fails closed', async () => {
    silence()
    refuse('PERMISSION_DENIED', 'wx openapi not allowed')
    await expect(cloudWechat(app(), {}).msgSecCheck('你好', OPENID)).resolves.toEqual({ ok: false, reason: '内容安全检测暂不可用，请稍后重试' })
  })
})

describe('subscribeMessage.send through the real SDK', () => {
  const templates = {
    order_update: {
      id: 'TPL-order-update-01',
      page: 'pages/orders/detail',
      fields: { orderNo: 'character_string1', serviceName: 'thing2', status: 'phrase3', text: 'thing4' },
    },
  }
  const record: OutboxRecord = {
    kind: 'order_update',
    toOpenId: OPENID,
    orderId: 'o/1 2',
    data: { orderNo: 'XF20240501-0001', serviceName: '代买药品', status: '已接单啦啦啦', text: '志愿者王小明已接单，预计三十分钟内上门，请保持电话畅通谢谢' },
    attempts: 0,
  }

  test('the body is WeChat’s: touser, template_id, page with the order id, data keyed by template keyword, clipped to the keyword’s limit', async () => {
    reply(jsonAnswer({ errcode: 0, errmsg: 'ok', msgid: 294402298110051942 }))
    await expect(cloudWechat(app(), templates).sendSubscribeMessage(record)).resolves.toEqual({ ok: true })
    expect(theCall()).toEqual({
      apiName: 'subscribeMessage.send',
      body: {
        touser: OPENID,
        template_id: 'TPL-order-update-01',
        page: 'pages/orders/detail?id=o%2F1%202',
        data: {
          character_string1: { value: 'XF20240501-0001' },
          thing2: { value: '代买药品' },
          phrase3: { value: '已接单啦啦' },
          thing4: { value: '志愿者王小明已接单，预计三十分钟内上门，' },
        },
        miniprogram_state: 'formal',
        lang: 'zh_CN',
      },
    })
  })

  test('43101 (the user has not subscribed) is a failed send carrying WeChat’s code', async () => {
    reply(jsonAnswer({ errcode: 43101, errmsg: 'user refuse to accept the msg rid: 1' }))
    await expect(cloudWechat(app(), templates).sendSubscribeMessage(record)).resolves.toEqual({ ok: false, error: '43101 user refuse to accept the msg rid: 1' })
  })

  test('a notice kind with no template is not sent at all', async () => {
    await expect(cloudWechat(app(), templates).sendSubscribeMessage({ ...record, kind: 'unknown' })).resolves.toMatchObject({ ok: false })
    expect(seen).toHaveLength(0)
  })
})

describe('wxacode.getUnlimited through the real SDK', () => {
  const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]), Buffer.from('JFIF\0'), Buffer.alloc(64, 7), Buffer.from([0xff, 0xd9])])

  test('the grid code is the scene, the page has no leading slash, and the image bytes come back intact', async () => {
    reply(gatewayAnswer({ respData: JPEG, contentType: 'image/jpeg' }))
    const img = await getUnlimited(app(), 'A1B2C3D4', 'pages/scan/index')
    expect(img.equals(JPEG)).toBe(true)
    expect(theCall()).toEqual({ apiName: 'wxacode.getUnlimited', body: { scene: 'A1B2C3D4', page: 'pages/scan/index', check_path: false, width: 430 } })
  })

  test('a JSON answer (45009 rate limit) is an error naming WeChat’s code', async () => {
    reply(jsonAnswer({ errcode: 45009, errmsg: 'reach max api minute-freq limit' }))
    await expect(getUnlimited(app(), 'A1B2C3D4', 'pages/scan/index')).rejects.toThrow('wxacode.getUnlimited: 45009 reach max api minute-freq limit')
  })

  test('bytes that are not an image are refused', async () => {
    reply(gatewayAnswer({ respData: Buffer.from('<html>busy</html>'), contentType: 'text/html' }))
    await expect(getUnlimited(app(), 'A1B2C3D4', 'pages/scan/index')).rejects.toThrow('not an image')
  })

  test('CloudBase refusing is an error', async () => {
    refuse('SYS_ERR', 'internal')
    await expect(getUnlimited(app(), 'A1B2C3D4', 'pages/scan/index')).rejects.toThrow(/wxacode\.getUnlimited: .*internal/)
  })
})

describe('phonenumber.getPhoneNumber through the real SDK', () => {
  const wx = () => cloudWechat(app(), {})

  test('the button’s code goes out as is; a mainland number comes back without +86', async () => {
    reply(jsonAnswer({ errcode: 0, errmsg: 'ok', phone_info: { phoneNumber: '13800001111', purePhoneNumber: '13800001111', countryCode: '86', watermark: { timestamp: 1, appid: 'wx1' } } }))
    expect(await wx().phoneNumber('0a1b2c3d')).toBe('13800001111')
    expect(theCall()).toEqual({ apiName: 'phonenumber.getPhoneNumber', body: { code: '0a1b2c3d' } })
  })

  test('40029 (a used or made-up code) is refused with a plain message, as a person’s input error', async () => {
    silence()
    reply(jsonAnswer({ errcode: 40029, errmsg: 'invalid code' }))
    await expect(wx().phoneNumber('used')).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('请直接填写') })
  })

  test('the gateway refusing (API not in permissions.openapi) is the service’s failure', async () => {
    silence()
    reply(gatewayAnswer({ errorCode: -604101 }))
    await expect(wx().phoneNumber('0a1b2c3d')).rejects.toMatchObject({ code: 'INTERNAL' })
  })
})

describe('the open-API codec', () => {
  test('encodes exactly the pairs the generic reader finds, skipping undefined fields', () => {
    const body = { a: 'x', n: 2, o: { k: [1, '二'] }, u: undefined }
    expect(openApiBody(encodeOpenApiRequest(body))).toEqual({ a: 'x', n: 2, o: { k: [1, '二'] } })
  })
  test('decodes negative errorCodes and skips unknown fields', () => {
    const buf = Buffer.concat([writePb([{ no: 7, value: 'ignored' }]), gatewayAnswer({ respData: 'ok', contentType: 'text/plain', errorCode: -604101, httpCode: 200 })])
    expect(decodeOpenApiResponse(buf)).toEqual({ respData: Buffer.from('ok'), contentType: 'text/plain', errorCode: -604101, httpCode: 200 })
  })
  test('truncated input is an error, not a silent empty answer', () => {
    expect(() => decodeOpenApiResponse(Buffer.from([0x0a, 0x05, 0x61]))).toThrow()
  })
})
