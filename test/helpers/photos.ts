import type { Runtime } from '../../runtime/server'
import { uploadPrefix } from '../../cloudfunctions/shared/files'

/** A real 1×1 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64')

let n = 0
/** Upload `count` small PNGs through the SDK (as the weapp does) into `owner`'s own prefix and return their fileIDs. */
export async function uploadPhotos(rt: Pick<Runtime, 'app'>, count: number, owner: string): Promise<string[]> {
  const out: string[] = []
  for (let i = 0; i < count; i++) {
    const up = await rt.app.uploadFile({ cloudPath: `${uploadPrefix(owner)}${Date.now().toString(36)}-${++n}.png`, fileContent: PNG })
    out.push(up.fileID)
  }
  return out
}
