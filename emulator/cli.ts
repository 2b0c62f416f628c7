#!/usr/bin/env -S npx tsx
// Run the emulator on its own, for any CloudBase project:
//
//   npx tsx emulator/cli.ts --data ./.cloudbase-data --port 9000 --collection users --collection orders
//
// then, in that project:
//
//   tcb.init({ env: 'local', secretId: 'local', secretKey: 'local', serviceUrl: 'http://127.0.0.1:9000/tcb' })
//
// Collections are created in the CloudBase console in the cloud; here, by --collection
// (repeatable) or --collections <file.json> ([{ "name": "orders", "indexes": [...] }]).
import http from 'node:http'
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { Emulator, type IndexSpec } from './index'

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: '.cloudbase-data' },
    port: { type: 'string', default: '9000' },
    host: { type: 'string', default: '127.0.0.1' },
    collection: { type: 'string', multiple: true, default: [] },
    collections: { type: 'string' },
    env: { type: 'string', default: 'local' },
  },
})

async function main() {
  const port = Number(values.port)
  const publicUrl = `http://${values.host}:${port}`
  const emulator = await Emulator.open({ dataDir: values.data!, publicUrl, env: values.env })
  const declared: { name: string; indexes?: IndexSpec[] }[] = [
    ...(values.collection ?? []).map((name) => ({ name })),
    ...(values.collections ? (JSON.parse(readFileSync(values.collections, 'utf8')) as { name: string; indexes?: IndexSpec[] }[]) : []),
  ]
  for (const c of declared) await emulator.createCollection(c.name, c.indexes ?? [])

  const server = http.createServer((req, res) => {
    emulator.requestListener(req, res).catch((e) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
      res.end(String((e as Error)?.message ?? e))
    })
  })
  server.listen(port, values.host, () => {
    console.log(`CloudBase emulator on ${publicUrl} (data: ${emulator.dataDir}; collections: ${emulator.listCollections().join(', ') || 'none'})`)
    console.log(`point the SDK at it: tcb.init({ env: '${values.env}', secretId: 'local', secretKey: 'local', serviceUrl: '${publicUrl}/tcb' })`)
  })
  const stop = () => {
    server.close(() => void emulator.close().then(() => process.exit(0)))
    server.closeIdleConnections() // keep-alive sockets would hold close() for seconds
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
