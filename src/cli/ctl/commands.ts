/** The ctl command tree (Go `app.Commands`, same order, names, flags and texts) and its actions. */
import { createWriteStream } from 'node:fs'
import { parseJsonBig } from '../../util/gojson.js'
import { isPeerId, parsePeerId } from '../../api/common/cid.js'
import { expireAt, parseMetadata, waitForStatus } from './actions.js'
import { runAdd } from './add.js'
import { walkCommands } from './app.js'
import { checkErr, failWith, printValue, show, showStream } from './ctl.js'
import { DESCRIPTIONS } from './descriptions.js'
import {
  formatAlert, formatBandwidth, formatGlobalPinInfo, formatId, formatMetric, formatPin, formatRepoGC, formatVersion
} from './format.js'
import { makeDot } from './graph.js'
import { decodeCid, toIpfsPath } from './ipfs-path.js'
import {
  normAlert, normBandwidth, normConnectGraph, normGlobalPinInfo, normGlobalRepoGC, normId, normList, normMetric,
  normPin, normStrings, normVersion
} from './normalize.js'
import { pinOptionsQuery, queryEscape } from './query.js'
import { formatStatusItem } from './status-text.js'
import type { CommandDef, Context } from './app.js'
import type { Ctl } from './ctl.js'
import type { FlagDef } from './flags.js'

type Json = Record<string, any>

const WAIT_DESC = 'Wait for the pin to reach the minimum replication factor before returning'
const WAIT_LIMIT_DESC = 'How many peers should reach the desired status to finish waiting'
const WAIT_TIMEOUT_DESC = 'How long to --wait (in seconds). Default: forever'

const localFlag = (): FlagDef => ({ name: 'local', kind: 'bool', usage: 'run operation only on the contacted peer' })

/** Status names listed in the `status` help (Go `trackerStatusAllString`). */
const STATUS_NAMES = ['cluster_error', 'error', 'pin_error', 'pin_queued', 'pinned', 'pinning', 'queued', 'remote',
  'sharded', 'unexpectedly_unpinned', 'unpin_error', 'unpin_queued', 'unpinned', 'unpinning']

const STATUS_BITS: Record<string, number> = {
  undefined: 0,
  cluster_error: 2,
  pin_error: 4,
  unpin_error: 8,
  pinned: 16,
  pinning: 32,
  unpinning: 64,
  unpinned: 128,
  remote: 256,
  pin_queued: 512,
  unpin_queued: 1024,
  sharded: 2048,
  unexpectedly_unpinned: 4096,
  error: 14,
  queued: 1536
}

/** Go `TrackerStatusFromString`. */
export function trackerStatusFromString (s: string): number {
  let st = 0
  for (const v of s.replace(/ /g, '').split(',')) st |= STATUS_BITS[v] ?? 0
  return st
}

/** Go `TrackerStatus.String()`: an exact name, or all names sharing a bit. */
export function trackerStatusString (st: number): string {
  for (const [k, v] of Object.entries(STATUS_BITS)) if (v === st) return k
  return Object.entries(STATUS_BITS).filter(([, v]) => (v & st) > 0).map(([k]) => k).join(',')
}

const PIN_TYPE_BITS: Array<[string, number]> = [['pin', 2], ['meta-pin', 4], ['clusterdag-pin', 8], ['shard-pin', 16]]

/** The `filter` value the Go client sends for a `pin ls --filter` flag. */
export function pinTypeFilter (flag: string): string {
  let filter = 0
  for (const f of flag.split(',')) {
    const known = PIN_TYPE_BITS.find(([n]) => n === f)
    filter |= known != null ? known[1] : (f === '' || f === 'all' ? 30 : 1)
  }
  if (filter === 30) return 'all'
  return PIN_TYPE_BITS.filter(([, b]) => (b & filter) > 0).map(([n]) => n).join(',')
}

function sleep (ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Sends a pin/unpin request (`pin add|rm|update`); a failure prints the error and exits. */
async function pinRequest (ctl: Ctl, c: Context, method: 'POST' | 'DELETE', url: string, target: 'pinned' | 'unpinned'): Promise<void> {
  let pin: Json
  try {
    pin = normPin(await ctl.client.call(method, url))
  } catch (err) {
    failWith(ctl, err)
  }
  await handlePinResponse(ctl, c, pin, target)
}

/** Go `handlePinResponseFormatFlags`: optional wait, then the pin or its status. */
async function handlePinResponse (ctl: Ctl, c: Context, pin: Json, target: 'pinned' | 'unpinned'): Promise<void> {
  const cid = (pin.cid as string | null) ?? 'b'
  let status: Json | undefined
  if (c.bool('wait')) {
    const limit = c.isSet('wait-limit') ? c.int('wait-limit') : (target === 'pinned' ? Number(pin.replication_factor_min) : 0)
    status = await waitForStatus(ctl, { cid, target, limit, timeout: c.duration('wait-timeout') })
  }
  if (c.bool('no-status')) {
    printValue(ctl, pin, formatPin)
    return
  }
  if (status == null || status.cid == null) {
    await sleep(ctl.statusDelay)
    await show(ctl, async () => normGlobalPinInfo(await ctl.client.call('GET', `/pins/${cid}?local=false`)), formatGlobalPinInfo)
    return
  }
  printValue(ctl, status, formatGlobalPinInfo)
}

function parseCidArg (ctl: Ctl, s: string, doing = 'parsing cid'): string {
  try {
    return decodeCid(s)
  } catch (err) {
    checkErr(ctl, doing, err)
  }
}

function ipfsPath (ctl: Ctl, arg: string): string {
  try {
    return toIpfsPath(arg)
  } catch (err) {
    // PinPath errors are not API errors: `error : <message>`
    failWith(ctl, err)
  }
}

/** Builds the command tree; actions read the runtime from `getCtl()` (set by the startup sequence). */
export function buildCommands (getCtl: () => Ctl): CommandDef[] {
  const waitFlags = (): FlagDef[] => [
    { name: 'wait, w', kind: 'bool', usage: WAIT_DESC },
    { name: 'wait-limit, wl', kind: 'int', usage: WAIT_LIMIT_DESC, value: 0 },
    { name: 'wait-timeout, wt', kind: 'duration', usage: WAIT_TIMEOUT_DESC, value: 0 }
  ]
  const local = (c: Context): string => String(c.bool('local'))

  return [
    {
      name: 'id',
      usage: 'Retrieve peer information',
      description: DESCRIPTIONS.id,
      flags: [],
      action: async () => {
        const ctl = getCtl()
        await show(ctl, async () => normId(await ctl.client.call('GET', '/id')), formatId)
      }
    },
    {
      name: 'peers',
      usage: 'List and manage IPFS Cluster peers',
      description: DESCRIPTIONS.peers,
      subcommands: [
        {
          name: 'ls',
          usage: 'list the nodes participating in the IPFS Cluster',
          description: DESCRIPTIONS['peers ls'],
          flags: [],
          argsUsage: ' ',
          action: async () => { await showStream(getCtl(), 'GET', '/peers', normId, formatId) }
        },
        {
          name: 'rm',
          usage: 'remove a peer from the Cluster',
          description: DESCRIPTIONS['peers rm'],
          argsUsage: '<peer ID>',
          flags: [],
          action: async (c) => {
            const ctl = getCtl()
            let pid: string
            try {
              pid = parsePeerId(c.args[0] ?? '')
            } catch (err) {
              checkErr(ctl, 'parsing peer ID', err)
            }
            try {
              await ctl.client.call('DELETE', `/peers/${pid}`)
            } catch (err) {
              failWith(ctl, err)
            }
          }
        }
      ]
    },
    {
      name: 'add',
      usage: 'Add a file or directory to ipfs and pin it in the cluster',
      argsUsage: '<path>',
      description: DESCRIPTIONS.add,
      flags: [
        { name: 'recursive, r', kind: 'bool', usage: 'Add directory paths recursively' },
        { name: 'quiet, q', kind: 'bool', usage: 'Write only hashes to output (one per line)' },
        { name: 'quieter, Q', kind: 'bool', usage: 'Write only final hash to output' },
        { name: 'no-stream', kind: 'bool', usage: 'Buffer output locally. Produces a valid JSON array with --enc=json.' },
        { name: 'local', kind: 'bool', usage: 'Add to local peer but pin normally' },
        { name: 'name, n', kind: 'string', usage: 'Sets a name for this pin', value: '' },
        { name: 'replication-min, rmin', kind: 'int', usage: 'Sets the minimum replication factor for pinning this file', value: 0 },
        { name: 'replication-max, rmax', kind: 'int', usage: 'Sets the maximum replication factor for pinning this file', value: 0 },
        { name: 'expire-in', kind: 'string', usage: 'Duration after which the pin should be unpinned automatically' },
        { name: 'metadata', kind: 'stringSlice', usage: 'Pin metadata: key=value. Can be added multiple times' },
        { name: 'allocations, allocs', kind: 'string', usage: 'Optional comma-separated list of peer IDs' },
        { name: 'no-pin', kind: 'bool', usage: 'Do not pin after adding' },
        { name: 'wait', kind: 'bool', usage: WAIT_DESC },
        { name: 'wait-timeout, wt', kind: 'duration', usage: WAIT_TIMEOUT_DESC, value: 0 },
        { name: 'wrap-with-directory, w', kind: 'bool', usage: 'Wrap a with a directory object' },
        { name: 'format', kind: 'string', usage: "'unixfs' (add as unixfs DAG), 'car' (import CAR file)", value: 'unixfs' },
        { name: 'layout', kind: 'string', usage: 'Dag layout to use for dag generation: balanced or trickle', value: '' },
        { name: 'hidden, H', kind: 'bool', usage: 'Include files that are hidden.  Only takes effect on recursive add' },
        { name: 'chunker, s', kind: 'string', usage: "'size-<size>' or 'rabin-<min>-<avg>-<max>'", value: 'size-262144' },
        { name: 'raw-leaves', kind: 'bool', usage: 'Use raw blocks for leaves (experimental)' },
        { name: 'cid-version', kind: 'int', usage: 'CID version. Non default implies raw-leaves', value: 0 },
        { name: 'hash', kind: 'string', usage: 'Hash function to use. Implies cid-version=1', value: 'sha2-256' },
        { name: 'nocopy', kind: 'bool', usage: 'Add the URL using filestore. Implies raw-leaves. (experimental)' }
      ],
      action: async (c) => { await runAdd(getCtl(), c) }
    },
    {
      name: 'pin',
      usage: 'Pin and unpin and list items in IPFS Cluster',
      description: DESCRIPTIONS.pin,
      subcommands: [
        {
          name: 'add',
          usage: 'Pin an item in the cluster',
          description: DESCRIPTIONS['pin add'],
          argsUsage: '<CID|Path>',
          flags: [
            { name: 'replication, r', kind: 'int', usage: 'Sets a custom replication factor (overrides -rmax and -rmin)', value: 0 },
            { name: 'replication-min, rmin', kind: 'int', usage: 'Sets the minimum replication factor for this pin', value: 0 },
            { name: 'replication-max, rmax', kind: 'int', usage: 'Sets the maximum replication factor for this pin', value: 0 },
            { name: 'allocations, allocs', kind: 'string', usage: 'Optional comma-separated list of peer IDs' },
            { name: 'name, n', kind: 'string', usage: 'Sets a name for this pin', value: '' },
            { name: 'mode', kind: 'string', usage: 'Select a way to pin: recursive or direct', value: 'recursive' },
            { name: 'expire-in', kind: 'string', usage: 'Duration after which pin should be unpinned automatically' },
            { name: 'metadata', kind: 'stringSlice', usage: 'Pin metadata: key=value. Can be added multiple times' },
            { name: 'no-status, ns', kind: 'bool', usage: 'Prevents fetching pin status after pinning (faster, quieter)' },
            ...waitFlags()
          ],
          action: async (c) => {
            const ctl = getCtl()
            const arg = c.args[0] ?? ''
            let rmin = c.int('replication-min')
            let rmax = c.int('replication-max')
            const rpl = c.int('replication')
            if (rpl !== 0) { rmin = rpl; rmax = rpl }
            let allocs: string[] = []
            if (c.string('allocations') !== '') {
              const list = c.string('allocations').split(',').map((s) => s.trim())
              allocs = list.filter(isPeerId).map(parsePeerId)
              if (allocs.length !== list.length) checkErr(ctl, 'decoding allocations', new Error('some peer IDs could not be decoded'))
            }
            const exp = expireAt(ctl, c)
            const metadata = parseMetadata(ctl, c.stringSlice('metadata'))
            const path = ipfsPath(ctl, arg)
            const query = pinOptionsQuery({
              replicationFactorMin: rmin,
              replicationFactorMax: rmax,
              name: c.string('name'),
              mode: c.string('mode') === 'direct' ? 'direct' : 'recursive',
              shardSize: 0,
              userAllocations: allocs,
              expireAt: exp,
              metadata
            })
            await pinRequest(ctl, c, 'POST', `/pins${path}?${query}`, 'pinned')
          }
        },
        {
          name: 'rm',
          usage: 'Unpin an item from the cluster',
          description: DESCRIPTIONS['pin rm'],
          argsUsage: '<CID|Path>',
          flags: [
            { name: 'no-status, ns', kind: 'bool', usage: 'Prevents fetching pin status after unpinning (faster, quieter)' },
            ...waitFlags()
          ],
          action: async (c) => {
            const ctl = getCtl()
            const path = ipfsPath(ctl, c.args[0] ?? '')
            await pinRequest(ctl, c, 'DELETE', `/pins${path}`, 'unpinned')
          }
        },
        {
          name: 'update',
          usage: 'Pin a new item based on an existing one',
          description: DESCRIPTIONS['pin update'],
          argsUsage: '<existing-CID> <new-CID|Path>',
          flags: [
            { name: 'name, n', kind: 'string', usage: 'Sets a name for this updated pin', value: '' },
            { name: 'expire-in', kind: 'string', usage: 'Duration after which the pin should be unpinned automatically after updating' },
            { name: 'no-status, ns', kind: 'bool', usage: 'Prevents fetching pin status after updating (faster, quieter)' },
            ...waitFlags()
          ],
          action: async (c) => {
            const ctl = getCtl()
            const from = parseCidArg(ctl, c.args[0] ?? '', 'parsing from Cid')
            const exp = expireAt(ctl, c)
            const path = ipfsPath(ctl, c.args[1] ?? '')
            const query = pinOptionsQuery({
              replicationFactorMin: 0,
              replicationFactorMax: 0,
              name: c.string('name'),
              mode: 'recursive',
              shardSize: 0,
              userAllocations: [],
              expireAt: exp,
              metadata: {},
              pinUpdate: from
            })
            await pinRequest(ctl, c, 'POST', `/pins${path}?${query}`, 'pinned')
          }
        },
        {
          name: 'ls',
          usage: 'List items in the cluster pinset',
          description: DESCRIPTIONS['pin ls'],
          argsUsage: '[CID]',
          flags: [{ name: 'filter', kind: 'string', usage: 'Comma separated list of pin types. See help above.', value: 'all' }],
          action: async (c) => {
            const ctl = getCtl()
            const arg = c.args[0] ?? ''
            if (arg !== '') {
              const cid = parseCidArg(ctl, arg)
              await show(ctl, async () => normPin(await ctl.client.call('GET', `/allocations/${cid}`)), formatPin)
              return
            }
            await showStream(ctl, 'GET', `/allocations?filter=${queryEscape(pinTypeFilter(c.string('filter')))}`, normPin, formatPin)
          }
        }
      ]
    },
    {
      name: 'status',
      usage: 'Retrieve the status of tracked items',
      description: DESCRIPTIONS.status + STATUS_NAMES.map((n) => '  - ' + n).join('\n'),
      argsUsage: '[CID1] [CID2]...',
      flags: [localFlag(), { name: 'filter', kind: 'string', usage: 'comma-separated list of filters' }],
      action: async (c) => {
        const ctl = getCtl()
        const cids = c.args.map((a) => parseCidArg(ctl, a))
        if (cids.length === 1) {
          let v: Json
          try {
            v = normGlobalPinInfo(await ctl.client.call('GET', `/pins/${cids[0]}?local=${local(c)}`))
          } catch (err) {
            // as the Go ctl: the empty status is printed before the error
            printValue(ctl, normGlobalPinInfo({}), formatGlobalPinInfo)
            failWith(ctl, err)
          }
          printValue(ctl, v, formatGlobalPinInfo)
          return
        }
        let filter = ''
        if (cids.length === 0) {
          const flag = c.string('filter')
          const st = trackerStatusFromString(flag)
          if (st === 0 && flag !== '') checkErr(ctl, 'parsing filter flag', new Error('invalid filter name'))
          if (st !== 0) filter = trackerStatusString(st)
        }
        await showStream(ctl, 'GET', `/pins?local=${local(c)}&filter=${queryEscape(filter)}&cids=${cids.join(',')}`,
          normGlobalPinInfo, formatGlobalPinInfo, formatStatusItem)
      }
    },
    {
      name: 'recover',
      usage: 'Recover tracked items in error state',
      description: DESCRIPTIONS.recover,
      argsUsage: '[CID]',
      flags: [localFlag()],
      action: async (c) => {
        const ctl = getCtl()
        const arg = c.args[0] ?? ''
        if (arg !== '') {
          const cid = parseCidArg(ctl, arg)
          await show(ctl, async () => normGlobalPinInfo(await ctl.client.call('POST', `/pins/${cid}/recover?local=${local(c)}`)), formatGlobalPinInfo)
          return
        }
        await showStream(ctl, 'POST', `/pins/recover?local=${local(c)}`, normGlobalPinInfo, formatGlobalPinInfo, formatStatusItem)
      }
    },
    {
      name: 'version',
      usage: 'Retrieve cluster version',
      description: DESCRIPTIONS.version,
      argsUsage: ' ',
      flags: [],
      action: async () => {
        const ctl = getCtl()
        await show(ctl, async () => normVersion(await ctl.client.call('GET', '/version')), formatVersion)
      }
    },
    {
      name: 'health',
      usage: 'Cluster monitoring information',
      description: DESCRIPTIONS.health,
      subcommands: [
        {
          name: 'graph',
          usage: 'create a graph displaying connectivity of cluster peers',
          description: DESCRIPTIONS['health graph'],
          flags: [
            { name: 'file, f', kind: 'string', usage: 'sets an output dot-file for the connectivity graph', value: '' },
            { name: 'all-ipfs-peers', kind: 'bool', usage: 'causes the graph to mark nodes for ipfs peers not directly in the cluster' }
          ],
          action: async (c) => {
            const ctl = getCtl()
            let g: Json
            try {
              g = normConnectGraph(await ctl.client.call('GET', '/health/graph'))
            } catch (err) {
              failWith(ctl, err)
            }
            const dot = makeDot(g, c.bool('all-ipfs-peers'))
            const file = c.string('file')
            if (file === '') {
              ctl.io.stdout.write(dot)
              return
            }
            await writeFile(ctl, file, dot)
          }
        },
        {
          name: 'metrics',
          usage: 'List latest metrics logged by this peer',
          description: DESCRIPTIONS['health metrics'],
          argsUsage: '<metric name>',
          action: async (c) => {
            const ctl = getCtl()
            const name = c.args[0] ?? ''
            if (name === '') {
              await show(ctl, async () => normStrings(await ctl.client.call('GET', '/monitor/metrics')), (l) => (l ?? []).map((n) => n + '\n').join(''))
              return
            }
            await show(ctl, async () => normList(await ctl.client.call('GET', `/monitor/metrics/${name}`, parseJsonBig), normMetric),
              (l) => (l ?? []).map((m) => formatMetric(m)).join(''))
          }
        },
        {
          name: 'alerts',
          usage: 'List the latest expired metric alerts',
          description: DESCRIPTIONS['health alerts'],
          action: async () => {
            const ctl = getCtl()
            await show(ctl, async () => normList(await ctl.client.call('GET', '/health/alerts', parseJsonBig), normAlert),
              (l) => (l ?? []).map((a) => formatAlert(a)).join(''))
          }
        },
        {
          name: 'bandwidth',
          usage: 'Lists bandwidth stats for libp2p protocols',
          description: DESCRIPTIONS['health bandwidth'],
          action: async () => {
            const ctl = getCtl()
            await show(ctl, async () => normBandwidth(await ctl.client.call('GET', '/health/bandwidth', parseJsonBig)), formatBandwidth)
          }
        }
      ]
    },
    {
      name: 'ipfs',
      usage: 'Manage IPFS daemon',
      description: DESCRIPTIONS.ipfs,
      subcommands: [
        {
          name: 'gc',
          usage: 'run garbage collection on IPFS repos of cluster peers',
          description: DESCRIPTIONS['ipfs gc'],
          flags: [localFlag()],
          action: async (c) => {
            const ctl = getCtl()
            await show(ctl, async () => normGlobalRepoGC(await ctl.client.call('POST', `/ipfs/gc?local=${local(c)}`)), formatRepoGC)
          }
        }
      ]
    },
    {
      name: 'commands',
      usage: 'List all commands',
      argsUsage: ' ',
      hidden: true,
      action: async (c) => {
        c.io.stdout.write(walkCommands(c.app.commands, 'ipfs-cluster-ctl'))
      }
    }
  ]
}

function goOpenError (path: string, err: any): Error {
  const why: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
    ENOTDIR: 'not a directory',
    EROFS: 'read-only file system'
  }
  return new Error(`open ${path}: ${why[err?.code] ?? String(err?.message ?? err)}`)
}

async function writeFile (ctl: Ctl, path: string, text: string): Promise<void> {
  const ws = createWriteStream(path)
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => { resolve() })
      ws.once('error', reject)
    })
  } catch (err) {
    checkErr(ctl, 'creating output file', goOpenError(path, err))
  }
  try {
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject)
      ws.end(text, () => { resolve() })
    })
  } catch (err) {
    checkErr(ctl, 'printing graph', err)
  }
}
