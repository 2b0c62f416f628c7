import tcb from '@cloudbase/node-sdk'
import { parseArgs } from 'node:util'
import { COLLECTIONS, SECURITY_RULE } from '../database/collections'
import { demoCounty } from '../runtime/seed/demo'

/**
 * Prepare a real CloudBase environment: create every collection (CloudBase does
 * not create them on first write), optionally load the demo county, and print
 * the indexes and security rule to apply in the console (node-sdk cannot create
 * indexes). Needs TCB_ENV, TCB_SECRET_ID and TCB_SECRET_KEY (a CAM key of the
 * account that owns the environment).
 *   npx tsx scripts/bootstrap-cloud.ts [--seed demo]
 */
async function main() {
  const { values } = parseArgs({ options: { seed: { type: 'string' } } })
  const { TCB_ENV: env, TCB_SECRET_ID: secretId, TCB_SECRET_KEY: secretKey } = process.env
  if (!env || !secretId || !secretKey) {
    console.error('请设置环境变量 TCB_ENV、TCB_SECRET_ID、TCB_SECRET_KEY')
    process.exit(2)
  }
  const db = tcb.init({ env, secretId, secretKey }).database()
  for (const c of COLLECTIONS) {
    try {
      await db.createCollection(c.name)
      console.log(`created   ${c.name}`)
    } catch (e) {
      const msg = String((e as Error).message ?? e)
      if (/exist/i.test(msg)) console.log(`exists    ${c.name}`)
      else throw e
    }
  }
  if (values.seed === 'demo') {
    const data = demoCounty()
    for (const [name, docs] of Object.entries({ grids: data.grids, users: data.users, services: data.services, teams: data.teams })) {
      for (const d of docs) await db.collection(name).doc((d as { _id: string })._id).set(d)
      console.log(`seeded    ${name}: ${docs.length}`)
    }
  }
  console.log('\nApply in the CloudBase console (数据库 → 集合 → 索引管理 / 权限设置):')
  for (const c of COLLECTIONS) {
    for (const i of c.indexes) console.log(`  ${c.name}: ${i.name} ${i.unique ? '(unique) ' : ''}${i.keys.map((k) => `${k.field} ${k.dir === 1 ? 'asc' : 'desc'}`).join(', ')}`)
    console.log(`  ${c.name}: security rule ${JSON.stringify(SECURITY_RULE)}`)
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
