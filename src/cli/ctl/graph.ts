/**
 * `health graph`: the ConnectGraph as a graphviz DOT document, byte-identical to
 * the Go ctl (`makeDot` in graph.go written through ipfs-cluster/go-dot).
 */

type Json = Record<string, any>

interface Vertex {
  id: string
  label: string
  group: string
  color: string
  shape: string
  peripheries: number
}

const byteSort = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

function shorten (id: string): string {
  return id.slice(0, 2) + '*' + id.slice(id.length - 6)
}

function label (a: string, b: string): string {
  return `< <B> ${a} </B> <BR/> <B> ${b} </B> >`
}

function vertexLine (v: Vertex): string {
  const attrs: Array<[string, string]> = [
    ['label', v.label], ['group', v.group], ['color', v.color], ['style', 'filled'], ['colorscheme', 'x11'],
    ['fontcolor', 'black'], ['fontname', 'Arial'], ['shape', v.shape]
  ]
  if (v.peripheries !== 0) attrs.push(['peripheries', String(v.peripheries)])
  let s = `${v.id} [`
  for (const [k, val] of attrs) {
    if (val === '') continue
    s += `${k}=${val.startsWith('<') ? val : `"${val}"`} `
  }
  return s + ']'
}

/**
 * Renders a normalised ConnectGraph. With `allIpfsPeers`, IPFS swarm peers that
 * are not cluster daemons become nodes too. The result has no trailing newline.
 */
export function makeDot (cg: Json, allIpfsPeers = false): string {
  const ipfsLinks: Record<string, string[] | null> = cg.ipfs_links ?? {}
  const clusterLinks: Record<string, string[] | null> = cg.cluster_links ?? {}
  const trust: Record<string, boolean> = cg.cluster_trust_links ?? {}
  const names: Record<string, string> = cg.id_to_peername ?? {}
  const clusterToIpfs: Record<string, string> = cg.cluster_to_ipfs ?? {}
  const self: string = cg.cluster_id ?? ''

  // as makeDot: keep only edges to cluster IPFS daemons unless allIpfsPeers
  const ipfsEdges = new Map<string, string[]>()
  for (const [k, v] of Object.entries(ipfsLinks)) {
    // a key's list is always rebuilt, even if an earlier key added it as a blank target
    const list: string[] = []
    ipfsEdges.set(k, list)
    for (const id of v ?? []) {
      if (id in ipfsLinks || allIpfsPeers) list.push(id)
      if (allIpfsPeers && !ipfsEdges.has(id)) ipfsEdges.set(id, [])
    }
  }

  const clusterNodes = new Map<string, Vertex>()
  const ipfsNodes = new Map<string, Vertex>()
  const clusterLines: string[] = []
  const ipfsLines: string[] = []

  const clusterKeys = Object.keys(clusterLinks).sort(byteSort)
  for (const k of clusterKeys) {
    const n = clusterNodes.size
    const isSelf = k === self
    const trusted = !isSelf && trust[k] === true
    const v: Vertex = {
      id: `${trusted ? 'T' : 'C'}${n}`,
      label: label(names[k] ?? '', shorten(k)),
      group: k,
      color: isSelf || trusted ? 'orange' : 'darkorange3',
      shape: 'box3d',
      peripheries: isSelf ? 2 : 0
    }
    clusterNodes.set(k, v)
    clusterLines.push(vertexLine(v))
  }

  const ipfsKeys = [...ipfsEdges.keys()].sort(byteSort)
  for (const k of ipfsKeys) {
    const v: Vertex = { id: `I${ipfsNodes.size}`, label: label('IPFS', shorten(k)), group: k, color: 'turquoise3', shape: 'cylinder', peripheries: 0 }
    ipfsNodes.set(k, v)
    ipfsLines.push(vertexLine(v))
  }
  for (const k of clusterKeys) {
    if (k in clusterToIpfs) continue
    // the errored node is keyed by the cluster peer ID, as in Go
    const v: Vertex = { id: `I${ipfsNodes.size}`, label: label('IPFS', 'Errored'), group: k, color: 'firebrick1', shape: 'cylinder', peripheries: 0 }
    ipfsNodes.set(k, v)
    ipfsLines.push(vertexLine(v))
  }

  const clusterEdges: string[] = []
  for (const k of clusterKeys) {
    for (const p of clusterLinks[k] ?? []) {
      const to = clusterNodes.get(p)
      // Go crashes on a target that is not a cluster node: skip it
      if (to == null) continue
      clusterEdges.push(`${(clusterNodes.get(k) as Vertex).id} -> ${to.id}`)
    }
  }

  const clusterIpfsEdges: string[] = []
  for (const k of clusterKeys) {
    const from = (clusterNodes.get(k) as Vertex).id
    if (!(k in clusterToIpfs)) {
      const errored = ipfsNodes.get(k)
      if (errored != null) clusterIpfsEdges.push(`${from} -> ${errored.id} [ style="dotted" ]`)
      continue
    }
    const to = ipfsNodes.get(clusterToIpfs[k])
    if (to != null) clusterIpfsEdges.push(`${from} -> ${to.id}`)
  }

  const ipfsEdgeLines: string[] = []
  for (const k of ipfsKeys) {
    const from = (ipfsNodes.get(k) as Vertex).id
    for (const t of ipfsEdges.get(k) ?? []) {
      const to = ipfsNodes.get(t)
      if (to != null) ipfsEdgeLines.push(`${from} -> ${to.id}`)
    }
  }

  const block = (lines: string[]): string => lines.map((l) => l + '\n').join('')
  return 'digraph cluster {\n' +
    '/* The nodes of the connectivity graph */\n' +
    '/* The cluster-service peers */\n' +
    'subgraph  {\nrank="min"\n' + block(clusterLines) + '}\n\n' +
    '/* The ipfs peers */\n' +
    'subgraph  {\nrank="max"\n' + block(ipfsLines) + '}\n\n' +
    '/* Edges representing active connections in the cluster */\n' +
    '/* The connections among cluster-service peers */\n' +
    block(clusterEdges) + '\n' +
    '/* The connections between cluster peers and their ipfs daemons */\n' +
    block(clusterIpfsEdges) + '\n' +
    '/* The swarm peer connections among ipfs daemons in the cluster */\n' +
    block(ipfsEdgeLines) +
    '}'
}
