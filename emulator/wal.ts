// Append-only write-ahead log with group commit.
//
// Every record is one line. Records appended during one event-loop turn (and
// any that arrive while a flush is in flight) are written with one write() and
// made durable with one fdatasync(); each append's promise resolves only after
// its line is on disk, so a caller that answers after awaiting it never
// acknowledges a write that a crash (kill -9, power loss) could lose.
//
// A log that takes over from another (compaction's log switch) is given the
// old log's close() as `after`: it writes nothing before every record of the
// old one is durable, so a crash can never keep a later batch and lose an
// earlier one.
import fs from 'node:fs'

type Waiter = { resolve: () => void; reject: (e: Error) => void }

export class WriteAheadLog {
  path: string
  private fd: number
  /** until this settles, nothing is written (the log this one takes over from is still flushing) */
  private after: Promise<void> | null
  private pending: string[] = []
  private waiters: Waiter[] = []
  private flushing = false
  private scheduled = false
  private failure: Error | null = null
  /** Promises of in-flight flushes, for durable() barriers. */
  private inflight: Promise<void> | null = null
  private closed = false

  constructor(path: string, opts: { after?: Promise<void> } = {}) {
    this.path = path
    this.fd = fs.openSync(path, 'a')
    this.after = opts.after ?? null
    if (this.after) {
      const after = this.after
      // A failure of the old log is this one's too (memory may hold its lost batches).
      after.then(
        () => {
          if (this.after === after) this.after = null
        },
        (e: Error) => {
          this.failure = this.failure ?? new Error(`write-ahead log failed: ${e.message}`)
        },
      )
    }
  }

  /** Append one record (must not contain a newline); resolves once it is durable. */
  append(line: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('write-ahead log is closed'))
    if (this.failure) return Promise.reject(this.failure)
    return new Promise<void>((resolve, reject) => {
      this.pending.push(line + '\n')
      this.waiters.push({ resolve, reject })
      this.schedule()
    })
  }

  /** Resolves once everything appended so far is durable (immediately when idle). */
  durable(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure)
    if (this.after) {
      const after = this.after
      return after.then(() => this.durable())
    }
    if (this.pending.length === 0 && this.waiters.length === 0) {
      if (!this.inflight) return Promise.resolve()
      // Everything appended so far is in the flush in flight.
      return this.inflight.then(() => {
        if (this.failure) throw this.failure
      })
    }
    return new Promise<void>((resolve, reject) => {
      // An empty record: rides along with the current batch.
      this.waiters.push({ resolve, reject })
      this.schedule()
    })
  }

  get idle(): boolean {
    return this.pending.length === 0 && this.waiters.length === 0 && !this.flushing
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      this.flush()
    })
  }

  private flush(): void {
    if (this.flushing || this.waiters.length === 0) return
    this.flushing = true
    const data = Buffer.from(this.pending.join(''), 'utf8')
    const waiters = this.waiters
    this.pending = []
    this.waiters = []
    this.inflight = this.writeAndSync(data)
      .then(
        () => {
          for (const w of waiters) w.resolve()
        },
        (e: Error) => {
          // Memory and disk may now disagree: refuse every further write.
          this.failure = new Error(`write-ahead log failed: ${e.message}`)
          for (const w of waiters) w.reject(this.failure)
        },
      )
      .finally(() => {
        this.flushing = false
        this.inflight = null
        if (this.waiters.length > 0) this.flush()
      })
  }

  private async writeAndSync(data: Buffer): Promise<void> {
    if (this.after) await this.after
    let off = 0
    while (off < data.length) {
      off += await new Promise<number>((resolve, reject) =>
        fs.write(this.fd, data, off, data.length - off, null, (err, n) => (err ? reject(err) : resolve(n))),
      )
    }
    await new Promise<void>((resolve, reject) => fs.fdatasync(this.fd, (err) => (err ? reject(err) : resolve())))
  }

  /** Wait until nothing is pending or in flight. */
  async drain(): Promise<void> {
    while (!this.idle) {
      if (this.inflight) await this.inflight
      else await this.durable().catch(() => undefined)
    }
  }

  /** Give the file a new name (the open descriptor keeps writing to it); the caller fsyncs the directory. */
  renameTo(newPath: string): void {
    fs.renameSync(this.path, newPath)
    this.path = newPath
  }

  async close(): Promise<void> {
    if (this.closed) return
    await this.drain()
    this.closed = true
    fs.closeSync(this.fd)
    if (this.failure) throw this.failure
  }
}
