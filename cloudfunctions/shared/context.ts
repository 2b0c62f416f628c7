import type tcb from '@cloudbase/node-sdk'
import type { Caller } from '../../src/core'
import type { FilesPort } from './files'
import type { WechatPort } from './wechat'

export type CloudBaseApp = ReturnType<typeof tcb.init>
export type Db = ReturnType<CloudBaseApp['database']>

/**
 * Everything a service needs, passed explicitly. `openId` comes from the
 * platform (CloudBase in the cloud, the dev sign-in in the local runtime),
 * never from the event. `caller()` loads the roles lazily, once per request,
 * so actions that need no roles cost no extra round trip.
 */
export type Deps = {
  db: Db
  now: () => Date
  openId: string | null
  caller: () => Promise<Caller>
  /** content checks and subscription messages (cloud: WeChat; local: word list + recording) */
  wechat: WechatPort
  /** cloud storage: which fileIDs exist, temp URLs */
  files: FilesPort
  /**
   * Where browsers reach the H5 app (no trailing slash): QR codes that must open in any
   * scanner (badge checks; local signboards) point here. Cloud: env XF_PUBLIC_URL (static
   * hosting of the H5 build); local: the runtime's own URL. '' when unknown.
   */
  publicUrl: string
  /**
   * Tests only: stops a multi-document operation at a named step, as if the process had died
   * there. Nothing in production sets it (cloudMain and the local runtime never pass one),
   * so every `deps.faults?.at(…)` is a no-op there.
   */
  faults?: FaultPort
}

/** The steps an operation may be stopped after (each one a point a crash can leave it at). */
export type FaultStep =
  | 'move.claimed'
  | 'move.paths'
  | 'move.scoped'
  | 'move.recoded'
  | 'move.rescoped'
  | 'approve.claimed'
  | 'approve.seqTaken'
  | 'approve.plateRecorded'
  | 'approve.plateSet'
  | 'import.batch'
  | 'import.inserted'

/** Throws at the step a test chose; see test/helpers/faults.ts. */
export type FaultPort = { at(step: FaultStep): void }
