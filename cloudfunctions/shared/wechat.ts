// The WeChat port: content checks, subscription messages and signboard codes. Real in the cloud
// (云调用 through node-sdk, wxOpenApi.ts), recording locally. Services get
// it explicitly in Deps; nothing else talks to WeChat.
import type { QRCodeToBufferOptions } from 'qrcode'
import { AppError } from '../../src/core'
import type { CloudBaseApp } from './context'
import { callOpenApi } from './wxOpenApi'

/** One outbox record as the sender hands it over (see services/inbox.ts OutboxDoc). */
export type OutboxRecord = {
  _id?: string
  kind: string
  toOpenId: string
  orderId: string
  data: Record<string, string>
  attempts: number
}

export type CheckResult = { ok: boolean; reason?: string }
export type SendResult = { ok: boolean; error?: string; /** locally: recorded instead of sent */ recorded?: boolean }

export interface WechatPort {
  /** Text content check (security.msgSecCheck v2). `ok: false` carries a Chinese reason for the user. */
  msgSecCheck(text: string, openId: string | null): Promise<CheckResult>
  /** One subscription message (subscribeMessage.send) for an outbox record. Never throws. */
  sendSubscribeMessage(record: OutboxRecord): Promise<SendResult>
  /**
   * The template a notice kind is sent with (XF_WX_TEMPLATES), or null when none is configured.
   * A kind with a template is sent only to someone whose consent is on record (services/subscriptions.ts).
   */
  templateId?(kind: string): string | null
  /**
   * The PNG code a grid's signboard carries, opening `page` with the grid code.
   * Cloud: a mini-program code (wxacode.getUnlimited, `scene` = grid code), made once per
   * grid and cached in storage (the port handles its own caching). Local: a standard QR
   * code of the H5 URL `${publicUrl}/#/${page}?code=<scene>`, any phone camera opens it;
   * regenerated each time (cheap, and it follows the runtime's address). Throws on failure.
   */
  miniCode(scene: string, page: string, publicUrl: string): Promise<Buffer>
  /**
   * The phone number behind a phone-number button's one-time `code` (phonenumber.getPhoneNumber):
   * mainland numbers without +86. Throws AppError: VALIDATION for a code WeChat refuses (used,
   * expired, made up), INTERNAL when WeChat could not be asked. Local: a fake that accepts
   * `FAKE_PHONE_CODE` + an 11-digit number (nothing here can reach WeChat).
   */
  phoneNumber(code: string): Promise<string>
}

/** The local port's phone-number codes: this prefix and the number it stands for. */
export const FAKE_PHONE_CODE = 'local-phone:'
const PHONE_REFUSED = '没能取到微信绑定的手机号，请直接填写'

/** The H5 address a local signboard QR code points at. */
export const scanUrl = (publicUrl: string, page: string, code: string) => `${publicUrl}/#/${page}?code=${encodeURIComponent(code)}`

// ---------- local ----------
/** Always refused locally, whatever XF_BLOCKED_WORDS says (a small demo list). */
export const DEFAULT_BLOCKED_WORDS = ['赌博', '毒品', '色情', '法轮功', '代开发票', '枪支']

export function blockedWordsFromEnv(env: Record<string, string | undefined> = process.env): string[] {
  const extra = (env.XF_BLOCKED_WORDS ?? '')
    .split(/[,，]/)
    .map((w) => w.trim())
    .filter(Boolean)
  return [...new Set([...DEFAULT_BLOCKED_WORDS, ...extra])]
}

/**
 * The local port: a configurable word list instead of msgSecCheck; sends are
 * recorded (the sender marks the outbox record sent with `via: 'recorded'`)
 * instead of reaching WeChat. `sent` keeps what was recorded, for tests.
 */
export function localWechat(opts: { blockedWords?: string[]; templates?: TemplateConfig } = {}): WechatPort & { sent: OutboxRecord[] } {
  const templates = opts.templates ?? templatesFromEnv()
  const words = (opts.blockedWords ?? blockedWordsFromEnv()).map((w) => w.toLowerCase())
  const sent: OutboxRecord[] = []
  return {
    sent,
    async msgSecCheck(text) {
      const lower = text.toLowerCase()
      const hit = words.find((w) => lower.includes(w))
      return hit ? { ok: false, reason: `含有不适宜公开的词语「${hit}」` } : { ok: true }
    },
    async sendSubscribeMessage(record) {
      sent.push(record)
      return { ok: true, recorded: true }
    },
    templateId: (kind) => templates[kind]?.id ?? null,
    async miniCode(scene, page, publicUrl) {
      if (!/^https?:\/\//.test(publicUrl)) throw new AppError('INTERNAL', '未配置 H5 访问地址，无法生成二维码')
      // required lazily: the cloud bundles never load it (scripts/build-functions.ts keeps it external)
      const QRCode = require('qrcode') as typeof import('qrcode')
      // 8 px a module, 8-bit grey without alpha: ≈ 1.5 KB, and a PDF embeds it as is (no soft mask)
      const opts = { type: 'png', errorCorrectionLevel: 'M', margin: 1, scale: 8, rendererOpts: { colorType: 0 } } as QRCodeToBufferOptions
      return QRCode.toBuffer(scanUrl(publicUrl, page, scene), opts)
    },
    async phoneNumber(code) {
      const phone = code.startsWith(FAKE_PHONE_CODE) ? code.slice(FAKE_PHONE_CODE.length) : ''
      if (!/^1\d{10}$/.test(phone)) throw new AppError('VALIDATION', PHONE_REFUSED)
      return phone
    },
  }
}

// ---------- cloud ----------
/**
 * Subscription message templates, one per notice kind, configured per
 * deployment in env XF_WX_TEMPLATES (JSON):
 *   { "order_update": { "id": "<templateId>", "page": "pages/orders/detail",
 *       "fields": { "orderNo": "character_string1", "serviceName": "thing2", "status": "phrase3", "text": "thing4" } }, … }
 * `fields` maps our outbox data keys to the template's keywords.
 */
export type TemplateConfig = Record<string, { id: string; page?: string; fields: Record<string, string> }>

export function templatesFromEnv(env: Record<string, string | undefined> = process.env): TemplateConfig {
  try {
    return env.XF_WX_TEMPLATES ? (JSON.parse(env.XF_WX_TEMPLATES) as TemplateConfig) : {}
  } catch {
    console.error('[wechat] XF_WX_TEMPLATES is not valid JSON')
    return {}
  }
}

/** Limits of subscription message values by keyword type (thing ≤ 20 chars, phrase ≤ 5, character_string ≤ 32). */
function clipValue(keyword: string, value: string): string {
  const max = keyword.startsWith('thing') ? 20 : keyword.startsWith('phrase') ? 5 : keyword.startsWith('character_string') ? 32 : 20
  return value.length > max ? value.slice(0, max) : value
}

/**
 * The cloud port: 云调用 through node-sdk (see wxOpenApi.ts for the wire format and its sources).
 * The function's config.json must list the APIs in permissions.openapi (security.msgSecCheck,
 * subscribeMessage.send, wxacode.getUnlimited, phonenumber.getPhoneNumber) — scripts/build-functions.ts writes them; a missing
 * one is refused by the gateway (errorCode -604101). Pinned by test/unit/wechat-contract.test.ts
 * against the real SDK; what no test here can show is WeChat's own acceptance on a live environment.
 */
export function cloudWechat(app: CloudBaseApp, templates: TemplateConfig = templatesFromEnv()): WechatPort {
  /** A JSON-answering API: WeChat's body, or `{ errcode: -1 }` when the call never reached WeChat. */
  const call = async (apiName: string, requestData: Record<string, unknown>): Promise<{ errcode: number; errmsg?: string; [k: string]: unknown }> => {
    try {
      const a = await callOpenApi(app, apiName, requestData)
      if (a.kind !== 'json') return { errcode: -1, errmsg: `${apiName} answered ${a.contentType}` }
      return { ...a.body, errcode: Number(a.body.errcode ?? 0) }
    } catch (e) {
      return { errcode: -1, errmsg: (e as Error)?.message ?? String(e) }
    }
  }
  return {
    async msgSecCheck(text, openId) {
      // security.msgSecCheck v2 (POST /wxa/msg_sec_check; developers.weixin.qq.com/miniprogram/dev/server/API/sec-center/sec-check/api_msgseccheck.html):
      // body { content ≤ 2500 chars, version: 2, scene: 2 (评论), openid } — openid is required and must
      // belong to a user who opened the mini-program in the last 2 hours. Its verdict is
      // `result.suggest` (pass / review / risky) with errcode 0; errcode 87014 was version 1's "risky".
      try {
        const r = await call('security.msgSecCheck', { content: text, version: 2, scene: 2, openid: openId ?? undefined })
        if (r.errcode === 87014) return { ok: false, reason: '内容含有违法违规信息' }
        if (r.errcode !== 0) {
          // the check itself failed: fail closed (nothing unchecked goes public)
          console.error('[wechat] msgSecCheck failed', r.errcode, r.errmsg)
          return { ok: false, reason: '内容安全检测暂不可用，请稍后重试' }
        }
        const suggest = (r.result as { suggest?: string } | undefined)?.suggest
        if (suggest && suggest !== 'pass') return { ok: false, reason: suggest === 'review' ? '内容可能含有不适宜公开的信息' : '内容含有违法违规信息' }
        return { ok: true }
      } catch (e) {
        console.error('[wechat] msgSecCheck error', e)
        return { ok: false, reason: '内容安全检测暂不可用，请稍后重试' }
      }
    },
    templateId: (kind) => templates[kind]?.id ?? null,
    async sendSubscribeMessage(record) {
      const t = templates[record.kind]
      if (!t) return { ok: false, error: `没有为「${record.kind}」配置订阅消息模板` }
      const data: Record<string, { value: string }> = {}
      for (const [ours, keyword] of Object.entries(t.fields)) data[keyword] = { value: clipValue(keyword, record.data[ours] ?? '') }
      try {
        // subscribeMessage.send (POST /cgi-bin/message/subscribe/send;
        // developers.weixin.qq.com/miniprogram/dev/api-backend/open-api/subscribe-message/subscribeMessage.send.html)
        const r = await call('subscribeMessage.send', {
          touser: record.toOpenId,
          template_id: t.id,
          page: `${t.page ?? 'pages/orders/detail'}?id=${encodeURIComponent(record.orderId)}`,
          data,
          miniprogram_state: 'formal',
          lang: 'zh_CN',
        })
        // 43101: the user has not subscribed (or used up the one-time opt-in) — a permanent failure for this record
        return r.errcode === 0 ? { ok: true } : { ok: false, error: `${r.errcode} ${r.errmsg ?? ''}`.trim() }
      } catch (e) {
        return { ok: false, error: String((e as Error)?.message ?? e) }
      }
    },
    async miniCode(scene, page) {
      // cache: the grid's miniCodeFileId (one read; a download when cached)
      const db = app.database()
      const grid = (await db.collection('grids').where({ code: scene }).field({ miniCodeFileId: true }).limit(1).get()).data[0] as
        | { _id: string; miniCodeFileId?: string }
        | undefined
      if (grid?.miniCodeFileId) {
        try {
          const dl = await app.downloadFile({ fileID: grid.miniCodeFileId })
          if (dl.fileContent && (dl.fileContent as Buffer).length > 0) return Buffer.from(dl.fileContent as Buffer)
        } catch (e) {
          console.error('[wechat] cached mini-program code unavailable, making a new one', (e as Error)?.message ?? e)
        }
      }
      const png = await getUnlimited(app, scene, page)
      const up = (await app.uploadFile({ cloudPath: `signboards/minicode/${scene}.png`, fileContent: png })) as { fileID?: string }
      if (grid && up.fileID) await db.collection('grids').doc(grid._id).update({ miniCodeFileId: up.fileID })
      return png
    },
    async phoneNumber(code) {
      // phonenumber.getPhoneNumber (POST /wxa/business/getuserphonenumber;
      // developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-info/phone-number/getPhoneNumber.html):
      // body { code } (the button's, valid 5 minutes, once); answer { errcode 0, phone_info { phoneNumber
      // (with the country code for numbers abroad), purePhoneNumber, countryCode } }; 40029: an invalid code.
      const r = await call('phonenumber.getPhoneNumber', { code })
      if (r.errcode === -1) {
        console.error('[wechat] getPhoneNumber unavailable', r.errmsg)
        throw new AppError('INTERNAL', PHONE_REFUSED)
      }
      const info = r.phone_info as { phoneNumber?: string; purePhoneNumber?: string; countryCode?: string } | undefined
      const phone = info?.countryCode === '86' || !info?.countryCode ? info?.purePhoneNumber : info?.phoneNumber
      if (r.errcode !== 0 || !phone) {
        console.error('[wechat] getPhoneNumber refused', r.errcode, r.errmsg)
        throw new AppError('VALIDATION', PHONE_REFUSED)
      }
      return phone
    },
  }
}

/**
 * wxacode.getUnlimited (POST /wxa/getwxacodeunlimit;
 * developers.weixin.qq.com/miniprogram/dev/api-backend/open-api/qr-code/wxacode.getUnlimited.html):
 * body { scene ≤ 32 visible characters, page without a leading "/" or query, check_path, width 280–1280 }.
 * WeChat answers with the image bytes (content type image/jpeg or image/png), or JSON
 * `{ errcode, errmsg }` on failure (45009 rate limit, 41030 page missing, 40169 bad scene).
 * A grid code is ≤ 16 characters. `check_path: false` so an unreleased page still gets a code.
 */
export async function getUnlimited(app: CloudBaseApp, scene: string, page: string): Promise<Buffer> {
  const a = await callOpenApi(app, 'wxacode.getUnlimited', { scene, page, check_path: false, width: 430 }).catch((e: Error) => {
    throw new Error(`wxacode.getUnlimited: ${e.message}`)
  })
  if (a.kind === 'json') throw new Error(`wxacode.getUnlimited: ${a.body.errcode ?? ''} ${a.body.errmsg ?? ''}`.trim())
  const buf = a.buffer
  // PNG or JPEG signature, or it is not an image
  if (!(buf.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47])) || (buf[0] === 0xff && buf[1] === 0xd8)))
    throw new Error(`wxacode.getUnlimited: the answer (${a.contentType}) is not an image`)
  return buf
}
