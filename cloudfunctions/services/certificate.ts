// 志愿服务记录证明: the volunteer's own verified services (and labelled manual hours) from
// the ledger, as a PDF in storage under their own prefix; each certificate's number is
// kept (`certificates`) so the issuer can confirm it later.
import { randomInt } from 'node:crypto'
import { certificateOf, localDay, type CertificateView, type GridNode, type HoursRecord } from '../../src/core'
import { renderCertificate } from '../shared/certificatePdf'
import type { Deps } from '../shared/context'
import { unauthenticated } from '../shared/errors'
import type { BalanceDoc, EntryDoc } from './ledger'

/** At most this many service records on one certificate (the oldest first). */
const MAX_RECORDS = 1000

/**
 * Round trips: balance + hours entries (1, at once), the names of the villages and the
 * county (1), the certificate record + the upload (1, at once), the temp URL (1).
 */
export async function certificate(deps: Deps): Promise<CertificateView> {
  if (!deps.openId) throw unauthenticated()
  const { db } = deps
  const me = deps.openId
  const _ = db.command
  const [bRes, eRes] = await Promise.all([
    db.collection('pointBalances').doc(me).get(),
    db.collection('points').where({ userId: me, kind: 'hours' }).orderBy('createdAt', 'asc').limit(MAX_RECORDS).get(),
  ])
  const balance = bRes.data[0] as BalanceDoc | undefined
  const entries = (eRes.data as EntryDoc[]).filter((e) => e.hoursKind === 'verified' || e.hoursKind === 'manual')
  const name = balance?.name ?? (await deps.caller()).name
  const villageOf = (e: EntryDoc) => e.workVillageId ?? e.villageId
  const ids = [...new Set([...entries.map(villageOf), ...(balance ? [balance.countyId] : [])])]
  const nodes = ids.length ? ((await db.collection('grids').where({ _id: _.in(ids) }).limit(ids.length).get()).data as GridNode[]) : []
  const named = new Map(nodes.map((n) => [n._id, n]))
  const county = balance ? named.get(balance.countyId) : undefined
  const records: HoursRecord[] = entries.map((e) => ({
    at: new Date(e.at),
    hours: e.hours,
    hoursKind: e.hoursKind!,
    serviceName: e.serviceName,
    reason: e.reason,
    organiser: named.get(villageOf(e)) ? `${named.get(villageOf(e))!.name}新时代文明实践站` : '新时代文明实践站',
  }))
  const now = deps.now()
  const no = `ZM${localDay(now)}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`
  const data = certificateOf({
    no,
    issuedAt: now,
    name,
    plate: balance?.plate ?? null,
    records,
    issuer: county ? `${county.name}新时代文明实践中心` : '新时代文明实践中心',
    contact: county?.hotline ?? null,
  })
  const bytes = await renderCertificate(data)
  const fileName = `志愿服务记录证明-${name}-${no}.pdf`
  const [, fileId] = await Promise.all([
    db.collection('certificates').add({ _id: no, userId: me, name, plate: data.plate, services: data.services.length, serviceHours: data.serviceHours, manualHours: data.manualHours, issuedAt: now }),
    deps.files.upload(`certificates/${me}/${no}.pdf`, bytes),
  ])
  const url = (await deps.files.tempUrls([fileId])).get(fileId) ?? ''
  return { url, fileId, fileName, certificateNo: no, services: data.services.length, hours: data.serviceHours }
}
